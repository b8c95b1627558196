/// The decoded value of one parameter group, by what the log recorded.
public enum DecodedValue: Hashable, Sendable {
    /// A `CK_ULONG`, handle, slot or enumerated value, named in a domain.
    case number(UInt64, NameDomain)
    /// A `CK_FLAGS` value of a flag set (`nil`: a set without bit names, shown in hex).
    case flags(UInt64, FlagSet?)
    /// A `CK_BBOOL` as passed (0 is false, anything else true).
    case bool(UInt8)
    /// A pointer whose target is not recorded: only whether it was NULL.
    case pointer(isNull: Bool)
    /// The pointer was NULL.
    case null
    /// A pointer was given but the call left no value to record (it failed).
    case noValue
    /// The memory could not be read safely, so it was not.
    case unreadable
    /// The record was cut before this argument (the record's truncated flag is set).
    case notRecorded
    /// A byte buffer (in, out, label, string or message parameter).
    case buffer(BufferValue)
    /// A fixed-size, blank-padded character array of a structure.
    case characters([UInt8])
/// A `CK_VERSION`.
    case version(Version)
    /// An out-structure such as `CK_SESSION_INFO`.
    case structure(StructureValue)
    /// An array of handles, slots, mechanism types or interfaces.
    case array(ArrayValue)
    /// A `CK_ATTRIBUTE` template.
    case template(TemplateValue)
    /// A `CK_MECHANISM`.
    case mechanism(MechanismValue)
    /// `CK_C_INITIALIZE_ARGS`.
    case initArgs(InitArgsValue)
    /// A `CK_INTERFACE`.
    case interface(InterfaceValue)
    /// The version of a returned `CK_FUNCTION_LIST`.
    case functionList(version: Version)
}
