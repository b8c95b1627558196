/// One `CK_ATTRIBUTE` of a template.
public struct TemplateAttribute: Hashable, Sendable {
    /// The `CK_ATTRIBUTE_TYPE`.
    public var type: UInt64
    /// The value: `pValue`, `ulValueLen` and the bytes kept.
    public var value: BufferValue
    /// For template-valued attributes (`CKA_WRAP_TEMPLATE`...), the nested template decoded
    /// from the value's bytes.
    public var nested: TemplateValue?

    /// Creates an attribute.
    public init(type: UInt64, value: BufferValue, nested: TemplateValue? = nil) {
        self.type = type
        self.value = value
        self.nested = nested
    }

    /// The C name of the type (`CKA_LABEL`), or hex.
    public var typeName: String { NameDomain.attribute.display(type) }
}
