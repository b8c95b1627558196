import CExport

/// Buffer flag bits (docs/log-format.md, "Buffer").
enum BufferFlag {
    static let pointer: UInt8 = 0x01
    static let lengthPointer: UInt8 = 0x02
    static let capacity: UInt8 = 0x04
    static let length: UInt8 = 0x08
    static let content: UInt8 = 0x10
    static let truncated: UInt8 = 0x20
    static let secret: UInt8 = 0x40
    static let unreadable: UInt8 = 0x80
}

/// What a buffer holds, from the function table's option; decides when content is kept.
enum BufferClass: Int {
    case publicValue = 0
    case data = 1
    case secret = 2
    case pin = 3
}

extension RecordEncoder {
    static let okRV: UInt64 = 0
    static let bufferTooSmallRV: UInt64 = 0x150

    /// The most content bytes kept for one buffer at this capture level.
    var contentCap: Int { capture == .lengths ? 256 : 4096 }

    /// Whether content of this class is kept, and whether it is marked secret.
    func keeps(_ rawClass: Int) -> (keep: Bool, secret: Bool) {
        switch BufferClass(rawValue: rawClass) ?? .secret {
        case .publicValue: return (true, false)
        case .data: return (capture != .lengths, false)
        case .secret, .pin: return (capture == .secrets, true)
        }
    }

    mutating func patch(_ offset: Int, _ value: UInt8) {
        guard offset < capacity else { return }
        base.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
    }

    /// Writes `bytes content` (uvarint n + n bytes, capped) and returns the flags to add.
    mutating func content(_ address: UInt64, length: UInt64, secret: Bool) -> UInt8 {
        let n = Int(min(length, UInt64(contentCap)))
        let mark = position
        uvarint(UInt64(n))
        guard copyFromApplication(address, count: n) else {
            position = mark
            return BufferFlag.unreadable
        }
        var flags = BufferFlag.content
        if UInt64(n) < length { flags |= BufferFlag.truncated }
        if secret { flags |= BufferFlag.secret }
        return flags
    }

    mutating func pointer(_ value: UInt64) {
        u8(value != 0 ? 1 : 0)
    }

    mutating func ulong(_ value: UInt64) {
        uvarint(value)
    }

    /// An input buffer given as pointer and length.
    mutating func inBytes(_ address: UInt64, length: UInt64, class rawClass: Int) {
        let at = position
        u8(0)
        var flags = BufferFlag.length | (address != 0 ? BufferFlag.pointer : 0)
        uvarint(length)
        let policy = keeps(rawClass)
        if address != 0 && length > 0 && policy.keep {
            flags |= content(address, length: length, secret: policy.secret)
        }
        patch(at, flags)
    }

    /// Starts an output buffer or array: the flags byte (patched when the rest is known), the
    /// pointer bits and, when known, the capacity the application offered.
    /// - Returns: Where the flags byte is, and the flags so far.
    mutating func beginOutput(_ address: UInt64, lengthPointer: UInt64, capacity: UInt64?) -> (at: Int, flags: UInt8) {
        let at = position
        u8(0)
        var flags = (address != 0 ? BufferFlag.pointer : 0) | (lengthPointer != 0 ? BufferFlag.lengthPointer : 0)
        if let capacity {
            flags |= BufferFlag.capacity
            uvarint(capacity)
        }
        return (at, flags)
    }

    /// An output buffer with an in/out length pointer (the two-call length convention).
    mutating func outBytes(_ address: UInt64, lengthPointer: UInt64, pre: Int, class rawClass: Int) {
        var (at, flags) = beginOutput(address, lengthPointer: lengthPointer, capacity: preValue(pre))
        var length: UInt64? = nil
        if lengthPointer != 0 && (rv == Self.okRV || rv == Self.bufferTooSmallRV) {
            length = load(lengthPointer, as: CK_ULONG.self).map { UInt64($0) }
            if let length {
                flags |= BufferFlag.length
                uvarint(length)
            } else {
                flags |= BufferFlag.unreadable
            }
        }
        let policy = keeps(rawClass)
        if rv == Self.okRV, address != 0, let length, length > 0, policy.keep {
            flags |= content(address, length: length, secret: policy.secret)
        }
        patch(at, flags)
    }

    /// An output buffer whose length is passed by value (C_GenerateRandom).
    mutating func outBytesFixed(_ address: UInt64, length: UInt64, class rawClass: Int) {
        let at = position
        u8(0)
        var flags = BufferFlag.length | (address != 0 ? BufferFlag.pointer : 0)
        uvarint(length)
        let policy = keeps(rawClass)
        if rv == Self.okRV && address != 0 && length > 0 && policy.keep {
            flags |= content(address, length: length, secret: policy.secret)
        }
        patch(at, flags)
    }

    /// The 32-byte blank-padded label of C_InitToken.
    mutating func label32(_ address: UInt64) {
        let at = position
        u8(0)
        var flags = BufferFlag.length | (address != 0 ? BufferFlag.pointer : 0)
        uvarint(32)
        if address != 0 { flags |= content(address, length: 32, secret: false) }
        patch(at, flags)
    }

    /// A NUL-terminated UTF-8 string (C_GetInterface's name), at most 256 bytes read.
    mutating func utf8z(_ address: UInt64) {
        let at = position
        u8(0)
        var flags: UInt8 = address != 0 ? BufferFlag.pointer : 0
        if address != 0 {
            var length: UInt64 = 0
            var readable = true
            while length < 256 {
                guard let byte = load(address + length, as: UInt8.self) else { readable = false; break }
                if byte == 0 { break }
                length += 1
            }
            if readable {
                flags |= BufferFlag.length
                uvarint(length)
                if length > 0 { flags |= content(address, length: length, secret: false) }
            } else {
                flags |= BufferFlag.unreadable
            }
        }
        patch(at, flags)
    }

    /// A CK_ULONG (or handle) the module writes: state, then the value on CKR_OK.
    mutating func outULong(_ address: UInt64) {
        guard address != 0 else { u8(0); return }
        guard rv == Self.okRV, let value = load(address, as: CK_ULONG.self) else { u8(1); return }
        u8(2)
        uvarint(UInt64(value))
    }
}
