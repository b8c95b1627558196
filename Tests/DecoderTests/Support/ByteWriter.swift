/// Appends the log format's primitive encodings (docs/log-format.md) to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) { littleEndian(UInt64(value), width: 2) }

    mutating func u32(_ value: UInt32) { littleEndian(UInt64(value), width: 4) }

    mutating func u64(_ value: UInt64) { littleEndian(value, width: 8) }

    mutating func littleEndian(_ value: UInt64, width: Int) {
        for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    /// Unsigned LEB128.
    mutating func uvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// `(v << 1) ^ (v >> 63)`, then LEB128.
    mutating func zigzag(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// `uvarint n` then `n` bytes.
    mutating func prefixed(_ content: [UInt8]) {
        uvarint(UInt64(content.count))
        bytes += content
    }

    /// A NUL-padded fixed field.
    mutating func padded(_ text: String, width: Int) {
        let utf8 = Array(text.utf8.prefix(width))
        bytes += utf8 + [UInt8](repeating: 0, count: width - utf8.count)
    }
}
