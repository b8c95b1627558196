/// One parameter group of a function: how it is encoded, the C parameter names it covers
/// and the kind's option (a flag set, a structure name, a buffer's data class...).
public struct ArgumentSchema: Hashable, Sendable {
    /// How the group is encoded in a call record.
    public var kind: ArgumentKind
    /// The C parameter names, pointer first (`["pSignature", "pulSignatureLen"]`).
    public var names: [String]
    /// The kind's option from `spec/functions.json`, if any (`"data"`, `"CK_SESSION_INFO"`, `"session"`).
    public var option: String?

    /// Creates a parameter group.
    public init(kind: ArgumentKind, names: [String], option: String?) {
        self.kind = kind
        self.names = names
        self.option = option
    }

    /// The name the group is shown under: its first C parameter name.
    public var name: String { names.first ?? "?" }
}
