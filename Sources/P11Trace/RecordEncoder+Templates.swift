import CExport

extension RecordEncoder {
    static let attributeSensitiveRV: UInt64 = 0x11
    static let attributeTypeInvalidRV: UInt64 = 0x12
    static let unavailable = UInt64(CK_ULONG.max)

    /// A template. Input templates keep non-secret values; output templates
    /// (C_GetAttributeValue) keep values the module wrote.
    mutating func template(_ address: UInt64, count: UInt64, output: Bool) {
        template(address, count: count, output: output, depth: 0)
    }

    private mutating func template(_ address: UInt64, count: UInt64, output: Bool, depth: Int) {
        let at = position
        u8(0)
        var flags: UInt8 = address != 0 ? BufferFlag.pointer : 0
        uvarint(count)
        var n = address != 0 ? min(count, 64) : 0
        if n < count && address != 0 { flags |= BufferFlag.truncated }
        let stride = UInt64(MemoryLayout<CK_ATTRIBUTE>.stride)
        // The object class and protection flags decide whether CKA_VALUE is secret.
        var objectClass: UInt64? = nil
        var protected = false
        if !output {
            for i in 0..<n {
                guard let a = load(address + i * stride, as: CK_ATTRIBUTE.self) else { n = 0; flags |= BufferFlag.unreadable; break }
                let type = UInt64(a.type)
                let value = UInt64(UInt(bitPattern: a.pValue))
                if type == AttributePolicy.cka_CLASS, a.ulValueLen == MemoryLayout<CK_ULONG>.size {
                    objectClass = load(value, as: CK_ULONG.self).map { UInt64($0) }
                } else if (type == AttributePolicy.cka_SENSITIVE || type == AttributePolicy.cka_EXTRACTABLE),
                          a.ulValueLen == 1, let b = load(value, as: UInt8.self) {
                    if (type == AttributePolicy.cka_SENSITIVE) == (b != 0) { protected = true }
                }
            }
        }
        let countAt = position
        uvarint(n)
        for i in 0..<n {
            guard let a = load(address + i * stride, as: CK_ATTRIBUTE.self) else {
                // Keep the record consistent: no attributes rather than a count that lies.
                position = countAt
                uvarint(0)
                flags |= BufferFlag.unreadable
                break
            }
            let type = UInt64(a.type)
            uvarint(type)
            let secret = AttributePolicy.isAlwaysSecret(type)
                || (type == AttributePolicy.cka_VALUE && (protected || !AttributePolicy.valueIsPublic(forClass: objectClass)))
            attributeValue(a, type: type, secret: secret, output: output, depth: depth)
        }
        patch(at, flags)
    }

    private mutating func attributeValue(_ a: CK_ATTRIBUTE, type: UInt64, secret: Bool, output: Bool, depth: Int) {
        let at = position
        u8(0)
        let value = UInt64(UInt(bitPattern: a.pValue))
        let length = UInt64(a.ulValueLen)
        var flags = BufferFlag.length | (value != 0 ? BufferFlag.pointer : 0)
        uvarint(length)
        let readable: Bool
        if output {
            readable = (rv == Self.okRV || rv == Self.attributeSensitiveRV || rv == Self.attributeTypeInvalidRV
                        || rv == Self.bufferTooSmallRV) && length != Self.unavailable
        } else {
            readable = true
        }
        let keep = !secret || capture == .secrets
        if readable && keep && value != 0 && length > 0 && length != Self.unavailable {
            if AttributePolicy.nestedTemplates.contains(type) && depth == 0 {
                flags |= nested(value, count: length / UInt64(MemoryLayout<CK_ATTRIBUTE>.stride), output: output)
            } else {
                flags |= content(value, length: length, secret: secret)
            }
        }
        patch(at, flags)
    }

    /// A nested template as buffer content: a 3-byte padded uvarint length, then the template.
    private mutating func nested(_ address: UInt64, count: UInt64, output: Bool) -> UInt8 {
        let lengthAt = position
        u8(0x80); u8(0x80); u8(0)
        let start = position
        template(address, count: count, output: output, depth: 1)
        let size = position - start
        guard !overflow, size < (1 << 21) else { return 0 }
        patch(lengthAt, UInt8(size & 0x7F) | 0x80)
        patch(lengthAt + 1, UInt8((size >> 7) & 0x7F) | 0x80)
        patch(lengthAt + 2, UInt8(size >> 14))
        return BufferFlag.content
    }
}
