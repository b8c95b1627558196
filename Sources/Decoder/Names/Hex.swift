/// Hexadecimal spellings shared by the renderers.
enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `value` as `0x…` in lower case.
    static func number(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }

    /// `bytes` as lower-case hex pairs without separators.
    static func string<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
