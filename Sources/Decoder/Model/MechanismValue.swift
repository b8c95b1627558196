/// A recorded `CK_MECHANISM` (docs/log-format.md, "Mechanism").
public struct MechanismValue: Hashable, Sendable {
    /// How the mechanism parameter was recorded.
    public enum ParameterForm: Hashable, Sendable {
        /// Not recorded (it holds pointers, or its length did not match).
        case notRecorded
        /// The parameter's raw bytes follow.
        case raw
        /// Recorded field by field: see ``MechanismValue/structure``.
        case structured
        /// Recorded field by field, but not readable by this decoder: an unknown structure id
        /// or malformed fields. ``MechanismValue/parameter`` holds the recorded bytes.
        case unreadable
    }

    /// The `CK_MECHANISM_TYPE`.
    public var type: UInt64
    /// `ulParameterLen`.
    public var parameterLength: UInt64
    /// How the parameter was recorded.
    public var form: ParameterForm
    /// The parameter's bytes, for ``ParameterForm/raw`` (and the undecodable record for
    /// ``ParameterForm/unreadable``).
    public var parameter: [UInt8]?
    /// The decoded parameter structure, for ``ParameterForm/structured``.
    public var structure: StructureValue?

    /// Creates a mechanism value.
    public init(type: UInt64, parameterLength: UInt64, form: ParameterForm, parameter: [UInt8]? = nil,
                structure: StructureValue? = nil) {
        self.type = type
        self.parameterLength = parameterLength
        self.form = form
        self.parameter = parameter
        self.structure = structure
    }
}
