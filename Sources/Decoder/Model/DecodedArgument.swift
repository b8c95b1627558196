/// One decoded parameter group of a call: its schema and its value.
public struct DecodedArgument: Hashable, Sendable {
    /// How the group was encoded, its C parameter names and option.
    public var schema: ArgumentSchema
    /// What was recorded.
    public var value: DecodedValue

    /// Creates an argument.
    public init(schema: ArgumentSchema, value: DecodedValue) {
        self.schema = schema
        self.value = value
    }

    /// The name the group is shown under (its first C parameter name).
    public var name: String { schema.name }
    /// The group's kind.
    public var kind: ArgumentKind { schema.kind }
    /// Whether the module writes this group (an out-parameter).
    public var isOutput: Bool { schema.kind.isOutput }
}
