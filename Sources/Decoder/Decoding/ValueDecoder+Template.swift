extension ValueDecoder {
    /// Reads a template; with `allowNested`, decodes the values of template-valued attributes
    /// (`CKA_WRAP_TEMPLATE`...) as nested templates, one level deep.
    static func template(from cursor: inout ByteCursor, allowNested: Bool) throws(DecodeFailure) -> TemplateValue {
        let flags = try cursor.u8()
        let count = try cursor.uvarint()
        let recorded = try cursor.count(minimumElementSize: 2)
        var value = TemplateValue(hasTemplate: flags & 1 != 0, count: count, attributes: [],
                                  isTruncated: flags & 0x20 != 0, isUnreadable: flags & 0x80 != 0)
        value.attributes.reserveCapacity(recorded)
        for _ in 0..<recorded {
            let type = try cursor.uvarint()
            let (buffer, contentOffset) = try buffer(from: &cursor)
            var attribute = TemplateAttribute(type: type, value: buffer)
            if allowNested, let content = buffer.content, AttributeValueKind(attributeType: type) == .template {
                attribute.nested = try nestedTemplate(content, fileOffset: contentOffset, cut: buffer.isTruncated)
            }
            value.attributes.append(attribute)
        }
        return value
    }

    /// Decodes a nested template from an attribute's bytes. When the bytes were cut (`cut`),
    /// whatever parses is kept and the template is marked truncated.
    private static func nestedTemplate(_ bytes: [UInt8], fileOffset: Int, cut: Bool) throws(DecodeFailure) -> TemplateValue? {
        var cursor = ByteCursor(bytes, fileBase: fileOffset)
        if cut {
            return lenientTemplate(&cursor)
        }
        let nested = try template(from: &cursor, allowNested: false)
        guard cursor.isAtEnd else {
            throw DecodeFailure(offset: cursor.fileOffset, reason: .leftoverBytes(cursor.remaining))
        }
        return nested
    }

    /// Reads as much of a cut template as is there.
    private static func lenientTemplate(_ cursor: inout ByteCursor) -> TemplateValue? {
        guard let flags = try? cursor.u8(), let count = try? cursor.uvarint(),
              let recorded = try? cursor.uvarint() else { return nil }
        var value = TemplateValue(hasTemplate: flags & 1 != 0, count: count, attributes: [], isTruncated: true,
                                  isUnreadable: flags & 0x80 != 0)
        var left = recorded
        while left > 0, let type = try? cursor.uvarint(), let (buffer, _) = try? buffer(from: &cursor) {
            value.attributes.append(TemplateAttribute(type: type, value: buffer))
            left -= 1
        }
        return value
    }
}
