/// Rendered text as UTF-8 bytes, built without a `String` per piece: text is appended as
/// UTF-8, numbers as digits. Reading a log renders every call into one buffer and hands it
/// to the output stream in blocks (``LogReader/render(with:to:filter:)``).
public struct TextBuffer {
    /// The bytes; only the first `count` are text, the rest is room to grow into (so that
    /// appending is a copy into place, not an array append).
    private var storage: [UInt8]
    /// The number of bytes of text.
    public private(set) var count = 0

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Creates an empty buffer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 256) {
        storage = [UInt8](repeating: 0, count: max(0, capacity))
    }

    /// Empties the buffer, keeping its storage.
    public mutating func removeAll() {
        count = 0
    }

    /// Makes room for `extra` more bytes.
    private mutating func reserve(_ extra: Int) {
        if count + extra > storage.count {
            storage += [UInt8](repeating: 0, count: max(storage.count, count + extra - storage.count))
        }
    }

    /// Appends UTF-8 bytes.
    mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        reserve(source.count)
        let start = count
        if source.count <= 16 {
            // Names and separators: a byte loop is cheaper than a call to copy memory.
            for index in 0..<source.count { storage[start + index] = source[index] }
        } else {
            storage.withUnsafeMutableBufferPointer { target in
                (target.baseAddress! + start).update(from: base, count: source.count)
            }
        }
        count += source.count
    }

    /// Appends `text`.
    public mutating func append(_ text: String) {
        // Native and literal strings hand out their UTF-8 in place: one copy, no decoding.
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
        if copied == nil { append(contentsOf: Array(text.utf8)) }
    }

    /// Appends a literal.
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Appends bytes of UTF-8.
    mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends one ASCII character.
    mutating func append(ascii: Unicode.Scalar) {
        append(byte: UInt8(ascii: ascii))
    }

    /// Appends one byte.
    mutating func append(byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    /// Appends `value` in decimal, with leading zeros up to `width` digits.
    mutating func appendDecimal(_ value: UInt64, width: Int = 1) {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20, value >= limit {
            digits += 1
            limit = limit &* 10
        }
        let length = max(digits, width)
        reserve(length)
        var rest = value
        var position = count + length
        while position > count {
            position -= 1
            storage[position] = UInt8(truncatingIfNeeded: rest % 10) + UInt8(ascii: "0")
            rest /= 10
        }
        count += length
    }

    /// Appends `value` as `0x…` in lower case (``Hex/number(_:)``).
    mutating func appendHex(_ value: UInt64) {
        let digits = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
        reserve(digits + 2)
        storage[count] = UInt8(ascii: "0")
        storage[count + 1] = UInt8(ascii: "x")
        for index in 0..<digits {
            storage[count + 2 + index] = Self.hexDigits[Int(value >> UInt64((digits - 1 - index) * 4)) & 0xf]
        }
        count += digits + 2
    }

    /// The text as a `String`.
    public var string: String { String(decoding: storage[..<count], as: UTF8.self) }

    /// Writes the text to `output` and empties the buffer.
    public mutating func flush(to output: inout some TextOutputStream) {
        guard count > 0 else { return }
        output.write(string)
        removeAll()
    }
}
