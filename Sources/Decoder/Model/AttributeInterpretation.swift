/// What an attribute's bytes mean, by its type (see ``AttributeValueKind``).
public enum AttributeInterpretation: Hashable, Sendable {
    /// A `CK_BBOOL`.
    case bool(Bool)
    /// A `CK_ULONG`, named in a domain.
    case number(UInt64, NameDomain)
    /// UTF-8 text.
    case text(String)
    /// A `CK_DATE` as `YYYY-MM-DD` (empty for an empty date).
    case date(String)
    /// `CK_MECHANISM_TYPE` values.
    case mechanisms([UInt64])
    /// A nested template.
    case template(TemplateValue)
    /// Bytes with no further meaning known (or not matching the type's size).
    case bytes([UInt8])
}

extension TemplateAttribute {
    /// The meaning of the recorded bytes, or `nil` when no bytes were recorded.
    ///
    /// - Parameter ulongSize: `sizeof(CK_ULONG)` in the traced process (from the header).
    public func interpretation(ulongSize: Int) -> AttributeInterpretation? {
        guard let content = value.content else { return nil }
        let whole = !value.isTruncated
        switch AttributeValueKind(attributeType: type) {
        case .bool where content.count == 1:
            return .bool(content[0] != 0)
        case .ulong(let domain) where content.count == ulongSize && whole:
            return .number(Self.ulong(content[...]), domain)
        case .text where whole:
            return String(validating: content, as: UTF8.self).map(AttributeInterpretation.text) ?? .bytes(content)
        case .date where content.isEmpty:
            return .date("")
        case .date where content.count == 8 && content.allSatisfy({ (0x30...0x39).contains($0) }):
            let digits = String(decoding: content, as: UTF8.self)
            return .date("\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))")
        case .mechanisms where ulongSize > 0 && content.count % ulongSize == 0:
            let values = stride(from: 0, to: content.count, by: ulongSize).map {
                Self.ulong(content[$0..<$0 + ulongSize])
            }
            return .mechanisms(values)
        case .template:
            return nested.map(AttributeInterpretation.template) ?? .bytes(content)
        default:
            return .bytes(content)
        }
    }

    /// A little-endian `CK_ULONG` (the traced platforms are little-endian).
    private static func ulong(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
