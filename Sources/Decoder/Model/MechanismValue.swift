/// A recorded `CK_MECHANISM` (docs/log-format.md, "Mechanism").
public struct MechanismValue: Hashable, Sendable {
    /// How the mechanism parameter was recorded.
    public enum ParameterForm: Hashable, Sendable {
        /// Not recorded (it holds pointers, or its length did not match).
        case notRecorded
        /// The parameter's raw bytes follow.
        case raw
    }

    /// The `CK_MECHANISM_TYPE`.
    public var type: UInt64
    /// `ulParameterLen`.
    public var parameterLength: UInt64
    /// How the parameter was recorded.
    public var form: ParameterForm
    /// The parameter's bytes, for ``ParameterForm/raw``.
    public var parameter: [UInt8]?

    /// Creates a mechanism value.
    public init(type: UInt64, parameterLength: UInt64, form: ParameterForm, parameter: [UInt8]? = nil) {
        self.type = type
        self.parameterLength = parameterLength
        self.form = form
        self.parameter = parameter
    }
}
