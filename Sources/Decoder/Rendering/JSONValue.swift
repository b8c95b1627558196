/// A JSON value with ordered object keys, written without Foundation.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(UInt64)
    case signed(Int64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// `{"value": n, "name": "CK…"}`: a number together with its C name.
    static func named(_ value: UInt64, _ name: String) -> JSONValue {
        .object([("value", .number(value)), ("name", .string(name))])
    }

    /// Appends the value's compact JSON text, UTF-8 encoded, to `output`.
    func write(to output: inout some JSONOutput) {
        switch self {
        case .null: output.append(ascii: "null")
        case .bool(let value): output.append(ascii: value ? "true" : "false")
        case .number(let value): output.append(decimal: value)
        case .signed(let value):
            if value < 0 { output.append(byte: UInt8(ascii: "-")) }
            output.append(decimal: value.magnitude)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            output.append(byte: UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(byte: UInt8(ascii: ",")) }
                value.write(to: &output)
            }
            output.append(byte: UInt8(ascii: "]"))
        case .object(let members):
            output.append(byte: UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output.append(byte: UInt8(ascii: ",")) }
                Self.writeString(key, to: &output)
                output.append(byte: UInt8(ascii: ":"))
                value.write(to: &output)
            }
            output.append(byte: UInt8(ascii: "}"))
        }
    }

    /// The compact JSON text.
    var text: String {
        var output: [UInt8] = []
        write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Whether a byte must be escaped in a JSON string.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// A JSON string: quotes, backslashes and control characters escaped; the rest as UTF-8.
    static func writeString(_ value: String, to output: inout some JSONOutput) {
        output.append(byte: UInt8(ascii: "\""))
        let utf8 = value.utf8
        // Most strings need no escape: copied in one go, from their storage when they have one.
        let copied: Bool? = utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: needsEscape) else { return false }
            output.append(utf8: bytes)
            return true
        }
        if copied == true || (copied == nil && !utf8.contains(where: needsEscape)) {
            if copied == nil { output.append(utf8: Array(utf8)) }
            output.append(byte: UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(ascii: #"\""#)
            case UInt8(ascii: "\\"): output.append(ascii: #"\\"#)
            case UInt8(ascii: "\n"): output.append(ascii: #"\n"#)
            case UInt8(ascii: "\r"): output.append(ascii: #"\r"#)
            case UInt8(ascii: "\t"): output.append(ascii: #"\t"#)
            case 0..<0x20:
                output.append(ascii: #"\u00"#)
                output.append(byte: hexDigits[Int(byte >> 4)])
                output.append(byte: hexDigits[Int(byte & 0xf)])
            default:
                output.append(byte: byte)
            }
        }
        output.append(byte: UInt8(ascii: "\""))
    }
}

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
