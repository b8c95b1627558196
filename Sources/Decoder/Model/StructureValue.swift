/// A recorded out-structure such as `CK_SESSION_INFO`, field by field.
public struct StructureValue: Hashable, Sendable {
    /// One field.
    public struct Field: Hashable, Sendable {
        /// The C field name (`ulDeviceError`).
        public var name: String
        /// The field's value (``DecodedValue/number(_:_:)``, ``DecodedValue/flags(_:_:)``,
        /// ``DecodedValue/version(_:)``, ``DecodedValue/characters(_:)`` or ``DecodedValue/bool(_:)``).
        public var value: DecodedValue

        /// Creates a field.
        public init(name: String, value: DecodedValue) {
            self.name = name
            self.value = value
        }
    }

    /// The C type name (`CK_SESSION_INFO`).
    public var typeName: String
    /// The fields in declaration order.
    public var fields: [Field]

    /// Creates a structure value.
    public init(typeName: String, fields: [Field]) {
        self.typeName = typeName
        self.fields = fields
    }
}
