extension TextRenderer {
    /// Structures with more fields than this are shown one field per line.
    static let fieldsOnOneLine = 5

    /// The lines of an out-structure (or a mechanism parameter: `joiner` " " after its name).
    func structureLines(_ label: String, _ structure: StructureValue, joiner: String = " = ") -> [String] {
        var text = TextBuffer()
        text.append(label)
        text.append(joiner)
        if structure.fields.count <= Self.fieldsOnOneLine {
            appendOnOneLine(structure, to: &text)
            return [text.string]
        }
        text.append(ascii: "{")
        var lines = [text.string]
        for field in structure.fields {
            text.removeAll()
            text.append("    ")
            appendField(field, to: &text)
            lines.append(text.string)
        }
        return lines + ["  }"]
    }

    /// Appends `{ name = value, ... }`.
    func appendOnOneLine(_ structure: StructureValue, to text: inout TextBuffer) {
        text.append("{ ")
        for (index, field) in structure.fields.enumerated() {
            if index > 0 { text.append(", ") }
            appendField(field, to: &text)
        }
        text.append(" }")
    }

    /// Appends `name = value`, or for a buffer field `pIv: 12 bytes = 00112233...`.
    private func appendField(_ field: StructureValue.Field, to text: inout TextBuffer) {
        text.append(field.name)
        guard case .buffer(let buffer) = field.value else {
            text.append(" = ")
            return appendFieldValue(field.value, to: &text)
        }
        if !buffer.hasData {
            text.append(" = NULL" + (buffer.length.map { $0 != 0 ? " (length \($0))" : "" } ?? ""))
            return
        }
        text.append(": \(length(buffer.length ?? 0))")
        if buffer.isUnreadable { return text.append(" <unreadable>") }
        guard let content = buffer.content else { return text.append(buffer.length == 0 ? "" : " (not captured)") }
        if buffer.isTruncated { text.append(", first \(content.count) shown") }
        text.append(" = " + Hex.string(content) + (buffer.isSecret ? " [SECRET]" : ""))
    }

    private func appendFieldValue(_ value: DecodedValue, to text: inout TextBuffer) {
        switch value {
        case .number(let value, let domain): appendNumber(value, domain, to: &text)
        case .flags(let flags, let set): appendFlags(flags, set, to: &text)
        case .version(let version): text.append(version.description)
        case .characters(let bytes): text.append(TextQuoting.quotedOrHex(bytes, trimmingBlanks: true))
        case .bool(let bool): text.append(self.bool(bool))
        default: text.append("\(value)")
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
