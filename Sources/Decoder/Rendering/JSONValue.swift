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
    func write(to output: inout [UInt8]) {
        switch self {
        case .null: output += "null".utf8
        case .bool(let value): output += (value ? "true" : "false").utf8
        case .number(let value): Self.writeDecimal(value, to: &output)
        case .signed(let value):
            if value < 0 { output.append(UInt8(ascii: "-")) }
            Self.writeDecimal(value.magnitude, to: &output)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The compact JSON text.
    var text: String {
        var output: [UInt8] = []
        write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `value` in decimal digits.
    private static func writeDecimal(_ value: UInt64, to output: inout [UInt8]) {
        guard value >= 10 else { return output.append(UInt8(ascii: "0") + UInt8(value)) }
        writeDecimal(value / 10, to: &output)
        output.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Whether a byte must be escaped in a JSON string.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// A JSON string: quotes, backslashes and control characters escaped; the rest as UTF-8.
    private static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let utf8 = value.utf8
        // Most strings need no escape: copied in one go, from their storage when they have one.
        let copied: Bool? = utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: needsEscape) else { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true || (copied == nil && !utf8.contains(where: needsEscape)) {
            if copied == nil { output.append(contentsOf: utf8) }
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += #"\""#.utf8
            case UInt8(ascii: "\\"): output += #"\\"#.utf8
            case UInt8(ascii: "\n"): output += #"\n"#.utf8
            case UInt8(ascii: "\r"): output += #"\r"#.utf8
            case UInt8(ascii: "\t"): output += #"\t"#.utf8
            case 0..<0x20:
                output += #"\u00"#.utf8
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xf)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
