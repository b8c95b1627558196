/// How a parameter group is encoded in a call record (docs/log-format.md, "Argument encodings").
///
/// The raw values are the kind strings of `spec/functions.json`.
public enum ArgumentKind: String, Hashable, Sendable, CaseIterable {
    case ulong = "ulong"
    case slot = "slot"
    case session = "session"
    case object = "object"
    case mechanismType = "mechanism_type"
    case userType = "user_type"
    case flags = "flags"
    case bool = "bool"
    case pointer = "pointer"
    case inBytes = "in_bytes"
    case outBytes = "out_bytes"
    case outBytesFixed = "out_bytes_fixed"
    case messageParam = "message_param"
    case label32 = "label32"
    case utf8z = "utf8z"
    case outUlong = "out_ulong"
    case outHandle = "out_handle"
    case outStruct = "out_struct"
    case outArray = "out_array"
    case outArrayMax = "out_array_max"
    case inTemplate = "in_template"
    case outTemplate = "out_template"
    case mechanism = "mechanism"
    case initArgs = "init_args"
    case versionIn = "version_in"
    case functionListOut = "function_list_out"
    case interfaceOut = "interface_out"
    case interfaceList = "interface_list"

    /// Whether the module writes the group's value (an out-parameter) rather than reads it.
    public var isOutput: Bool {
        switch self {
        case .outBytes, .outBytesFixed, .outUlong, .outHandle, .outStruct, .outArray, .outArrayMax,
             .outTemplate, .functionListOut, .interfaceOut, .interfaceList:
            true
        default:
            false
        }
    }
}
