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
