extension TextRenderer {
    /// Structures with more fields than this are shown one field per line.
    private static let fieldsOnOneLine = 5

    /// The lines of an out-structure (or a mechanism parameter: `joiner` " " after its name).
    func structureLines(_ label: String, _ structure: StructureValue, joiner: String = " = ") -> [String] {
        let fields = structure.fields.map(fieldText)
        if fields.count <= Self.fieldsOnOneLine {
            return ["\(label)\(joiner){ \(fields.joined(separator: ", ")) }"]
        }
        return ["\(label)\(joiner){"] + fields.map { "    " + $0 } + ["  }"]
    }

    /// `name = value`, or for a buffer field `pIv: 12 bytes = 00112233...`.
    private func fieldText(_ field: StructureValue.Field) -> String {
        guard case .buffer(let buffer) = field.value else { return "\(field.name) = \(fieldValue(field.value))" }
        if !buffer.hasData {
            return "\(field.name) = NULL" + (buffer.length.map { $0 != 0 ? " (length \($0))" : "" } ?? "")
        }
        var text = "\(field.name): \(length(buffer.length ?? 0))"
        if buffer.isUnreadable { return text + " <unreadable>" }
        guard let content = buffer.content else { return text + (buffer.length == 0 ? "" : " (not captured)") }
        if buffer.isTruncated { text += ", first \(content.count) shown" }
        return text + " = " + Hex.string(content) + (buffer.isSecret ? " [SECRET]" : "")
    }

    private func fieldValue(_ value: DecodedValue) -> String {
        switch value {
        case .number(let value, let domain): number(value, domain)
        case .flags(let flags, let set): self.flags(flags, set)
        case .version(let version): version.description
        case .characters(let bytes): TextQuoting.quotedOrHex(bytes, trimmingBlanks: true)
        case .bool(let bool): self.bool(bool)
        default: "\(value)"
        }
    }

    /// The lines of a template: a heading, then one line per attribute (nested templates indented).
    func templateLines(_ label: String, _ template: TemplateValue) -> [String] {
        if template.isUnreadable {
            return ["\(label) = <unreadable> (\(template.count) attributes)"]
        }
        if !template.hasTemplate {
            return ["\(label) = NULL" + (template.count != 0 ? " (count \(template.count))" : "")]
        }
        var heading = "\(label): \(template.count) attribute\(template.count == 1 ? "" : "s")"
        if template.isTruncated || UInt64(template.attributes.count) < template.count {
            heading += ", first \(template.attributes.count) shown"
        }
        var lines = [heading]
        for attribute in template.attributes {
            lines += attributeLines(attribute).map { "  " + $0 }
        }
        return lines
    }

    private func attributeLines(_ attribute: TemplateAttribute) -> [String] {
        let name = attribute.typeName
        let secret = attribute.value.isSecret ? " [SECRET]" : ""
        switch attribute.interpretation(ulongSize: ulongSize) {
        case .bool(let value):
            return ["\(name) = \(value ? "CK_TRUE" : "CK_FALSE")\(secret)"]
        case .number(let value, let domain):
            return ["\(name) = \(number(value, domain))\(secret)"]
        case .text(let text):
            return ["\(name) = \(TextQuoting.quotedOrHex(Array(text.utf8)))\(secret)"]
        case .date(let date):
            return ["\(name) = \(date.isEmpty ? "(empty)" : date)\(secret)"]
        case .mechanisms(let types):
            return ["\(name) = [\(types.map { NameDomain.mechanism.display($0) }.joined(separator: ", "))]\(secret)"]
        case .template(let nested):
            return templateLines(name, nested)
        case .bytes, nil:
            return bufferLines(name, attribute.value, kind: nil, lengthName: "ulValueLen")
        }
    }
}
