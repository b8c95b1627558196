/// Shows bytes as quoted text when they are text.
enum TextQuoting {
    /// `bytes` as a quoted, escaped string, or `nil` if they are not printable UTF-8 text.
    ///
    /// - Parameter trimmingBlanks: Drop trailing blanks and NULs (fixed, blank-padded fields).
    static func quoted(_ bytes: [UInt8], trimmingBlanks: Bool = false) -> String? {
        var slice = bytes[...]
        if trimmingBlanks {
            while let last = slice.last, last == 0x20 || last == 0 { slice.removeLast() }
        }
        guard let text = String(validating: slice, as: UTF8.self) else { return nil }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                return nil
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `bytes` quoted if they are text, else in hex.
    static func quotedOrHex(_ bytes: [UInt8], trimmingBlanks: Bool = false) -> String {
        quoted(bytes, trimmingBlanks: trimmingBlanks) ?? Hex.string(bytes)
    }
}
