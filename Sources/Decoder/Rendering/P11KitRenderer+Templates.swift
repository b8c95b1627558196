extension P11KitRenderer {
    /// p11-kit's `log_attribute_types`: `(n) [ CKA_A, CKA_B ]`, `(n) NONE` for a NULL template.
    func attributeTypes(_ value: DecodedValue) -> String {
        guard case .template(let template) = value else { return Self.unknownNumber }
        guard template.hasTemplate else { return "(\(template.count)) NONE" }
        let names = template.attributes.map { constant($0.type, .attribute, prefix: "CKA") }
        return "(\(template.count)) [ \(names.joined(separator: ", "))\(more(template)) ]"
    }

    /// An input template with its values (p11-kit prints only the types; see
    /// docs/p11-kit-format.md): `(n) [ { CKA_A = value }, ... ]`.
    func inputTemplate(_ template: TemplateValue) -> String {
        guard template.hasTemplate else { return "(\(template.count)) NONE" }
        let items = template.attributes.map(attribute)
        return "(\(template.count)) [ \(items.joined(separator: ", "))\(more(template)) ]"
    }

    /// An output template (`log_attribute_array`). p11-kit prints it on `CKR_OK` only (on
    /// `CKR_BUFFER_TOO_SMALL` as `(n) NONE`); the values the specification defines after
    /// `CKR_ATTRIBUTE_SENSITIVE`, `CKR_ATTRIBUTE_TYPE_INVALID` and `CKR_BUFFER_TOO_SMALL` are
    /// printed too.
    func outTemplate(_ name: String, _ value: DecodedValue, status: UInt64) -> String? {
        let defined = [Self.ok, Self.bufferTooSmall, Self.attributeSensitive, Self.attributeTypeInvalid]
        guard defined.contains(status), case .template(let template) = value else { return nil }
        guard template.hasTemplate else { return "\(name) = (\(template.count)) NONE" }
        let items = template.attributes.map(attribute)
        let open = items.isEmpty ? "[" : "[ "
        return "\(name) = (\(template.count)) \(open)\(items.joined(separator: ", "))\(more(template)) ]"
    }

    private func more(_ template: TemplateValue) -> String {
        template.isTruncated || UInt64(template.attributes.count) < template.count ? ", ..." : ""
    }

    /// One attribute as p11-kit's `format_attribute` writes it, showing every value the log holds.
    func attribute(_ attribute: TemplateAttribute) -> String {
        let name = constant(attribute.type, .attribute, prefix: "CKA")
        return "{ \(name) = \(attributeValue(attribute)) }"
    }

    private func attributeValue(_ attribute: TemplateAttribute) -> String {
        let value = attribute.value
        guard let length = value.length else { return "(\(Self.unknownNumber)) NOT-PRINTED" }
        if isUnavailable(length) { return "(-1) INVALID" }
        if value.hasData, let content = value.content, !value.isTruncated,
           content.count == ulongSize, let domain = Self.namedULong[attribute.type] {
            let number = content.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if attribute.type == 0x87 {
                return Self.categories[number].map { "\(number) (\($0))" } ?? String(number)
            }
            return constant(number, domain, prefix: "")
        }
        guard value.hasData else { return "(\(length)) NULL" }
        if length == 0 { return "(0) \"\"" }
        if let nested = attribute.nested { return "(\(length)) " + inputTemplate(nested) }
        guard let content = value.content, !value.isUnreadable else { return "(\(length)) NOT-PRINTED" }
        return "(\(length)) " + Self.attributeBytes(content, length: length)
    }

    /// Attributes p11-kit shows by name when they hold one `CK_ULONG`.
    private static let namedULong: [UInt64: NameDomain] = [
        0x0: .objectClass, 0x80: .certificateType, 0x87: .plain, 0x100: .keyType,
    ]

    /// p11-kit's names of `CKA_CERTIFICATE_CATEGORY` values.
    private static let categories: [UInt64: String] = [0: "unspecified", 1: "token-user", 2: "authority", 3: "other-entry"]
}
