/// The bytes of rendered text, built without a `String` per piece: text is appended as UTF-8,
/// numbers as digits. A renderer keeps one and reuses its storage from call to call.
struct TextBuffer {
    /// The UTF-8 bytes so far.
    private(set) var bytes: [UInt8] = []

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Empties the buffer, keeping its storage.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends `text`.
    mutating func append(_ text: String) {
        // Native and literal strings hand out their UTF-8 in place: one copy, no decoding.
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: text.utf8) }
    }

    /// Appends a literal.
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one ASCII character.
    mutating func append(ascii: Unicode.Scalar) {
        bytes.append(UInt8(ascii: ascii))
    }

    /// Appends `value` in decimal, with leading zeros up to `width` digits.
    mutating func appendDecimal(_ value: UInt64, width: Int = 1) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 20 digits at most, kept off the heap
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { digits in
            repeat {
                digits[count] = UInt8(truncatingIfNeeded: rest % 10) + UInt8(ascii: "0")
                rest /= 10
                count += 1
            } while rest != 0
            for _ in count..<max(count, width) { bytes.append(UInt8(ascii: "0")) }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(digits[index]) }
        }
    }

    /// Appends `value` as `0x…` in lower case (``Hex/number(_:)``).
    mutating func appendHex(_ value: UInt64) {
        bytes.append(UInt8(ascii: "0"))
        bytes.append(UInt8(ascii: "x"))
        let digits = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
        for index in stride(from: digits - 1, through: 0, by: -1) {
            bytes.append(Self.hexDigits[Int(value >> UInt64(index * 4)) & 0xf])
        }
    }

    /// The text as a `String`.
    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes the text to `output` and empties the buffer.
    mutating func flush(to output: inout some TextOutputStream) {
        output.write(string)
        removeAll()
    }
}
