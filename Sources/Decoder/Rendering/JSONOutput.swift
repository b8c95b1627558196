/// Where JSON text goes: a byte array, or a ``TextBuffer`` the renderers write into.
protocol JSONOutput {
    /// Appends one byte.
    mutating func append(byte: UInt8)
    /// Appends UTF-8 bytes.
    mutating func append(utf8: UnsafeBufferPointer<UInt8>)
    /// Appends `value` in decimal digits.
    mutating func append(decimal value: UInt64)
}

extension JSONOutput {
    /// Appends ASCII text.
    mutating func append(ascii text: StaticString) {
        text.withUTF8Buffer { append(utf8: $0) }
    }

    /// Appends UTF-8 bytes.
    mutating func append(utf8 bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(utf8: $0) }
    }
}

extension Array: JSONOutput where Element == UInt8 {
    mutating func append(byte: UInt8) { append(byte) }
    mutating func append(utf8: UnsafeBufferPointer<UInt8>) { append(contentsOf: utf8) }
    mutating func append(decimal value: UInt64) {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20, value >= limit {
            digits += 1
            limit = limit &* 10
        }
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var rest = value
        var position = count
        repeat {
            position -= 1
            self[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest != 0
    }
}

extension TextBuffer: JSONOutput {
    mutating func append(utf8: UnsafeBufferPointer<UInt8>) { append(utf8) }
    mutating func append(decimal value: UInt64) { appendDecimal(value) }
}
