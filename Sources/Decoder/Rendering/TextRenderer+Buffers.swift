extension TextRenderer {
    /// The lines of a buffer argument (or an attribute value).
    ///
    /// - Parameters:
    ///   - label: `[out] pSignature`, `CKA_VALUE`...
    ///   - kind: The argument's kind (`label32` and `utf8z` are shown as text).
    ///   - lengthName: The length parameter's name, for NULL-data out buffers (`pulSignatureLen`).
    ///   - isText: Show printable content as quoted text rather than hex (public buffers).
    func bufferLines(_ label: String, _ buffer: BufferValue, kind: ArgumentKind?, lengthName: String? = nil,
                     isText: Bool = false) -> [String] {
        let isOutput = kind?.isOutput ?? false
        let isText = isText || kind == .label32 || kind == .utf8z
        if buffer.isUnreadable {
            return ["\(label) = <unreadable>" + (buffer.length.map { " (\(length($0)))" } ?? "")]
        }
        if !buffer.hasData {
            var line = "\(label) = NULL"
            if let value = buffer.length, isOutput || value != 0 {
                line += ", \(lengthName.map { isOutput ? "*" + $0 : $0 } ?? "length") = \(number(value, .plain))"
            }
            if isOutput, !buffer.hasLengthPointer {
                line += ", \(lengthName ?? "length pointer") = NULL"
            }
            return [line]
        }
        guard let content = buffer.content else {
            if isText, buffer.length == 0 { return ["\(label) = \"\""] }
            var line: String
            if let value = buffer.length {
                let captured = value == 0 || isUnavailable(value) ? "" : " (not captured)"
                line = "\(label) = \(length(value))\(captured)"
            } else if isOutput {
                line = "\(label): no value"
            } else {
                line = "\(label) = non-NULL"
            }
            if let capacity = buffer.capacity { line += ", buffer \(capacity) bytes" }
            if isOutput, !buffer.hasLengthPointer { line += ", \(lengthName ?? "length pointer") = NULL" }
            return [line]
        }
        let secret = buffer.isSecret ? " [SECRET]" : ""
        if isText, !buffer.isTruncated, let text = TextQuoting.quoted(content, trimmingBlanks: kind == .label32) {
            return ["\(label) = \(text)\(secret)"]
        }
        var head = "\(label): \(length(buffer.length ?? UInt64(content.count)))"
        if buffer.isTruncated || UInt64(content.count) < buffer.length ?? 0 {
            head += ", first \(content.count) shown"
        }
        if let capacity = buffer.capacity, isOutput, capacity != buffer.length { head += " (buffer \(capacity) bytes)" }
        return hexLines(head + secret, content)
    }

    /// `1 byte`, `64 bytes`, or `CK_UNAVAILABLE_INFORMATION`.
    func length(_ value: UInt64) -> String {
        if isUnavailable(value) { return "CK_UNAVAILABLE_INFORMATION" }
        return value == 1 ? "1 byte" : "\(value) bytes"
    }

    /// The lines of an array argument (slot list, mechanism list, object handles, interfaces).
    func arrayLines(_ label: String, _ array: ArrayValue, kind: ArgumentKind) -> [String] {
        if array.isUnreadable {
            return ["\(label) = <unreadable>"]
        }
        var notes: [String] = []
        if let count = array.count, count != array.elements.map({ UInt64($0.count) }) { notes.append("count \(count)") }
        if let capacity = array.capacity, array.hasArray {
            notes.append(kind == .outArrayMax ? "max \(capacity)" : "room for \(capacity)")
        }
        if !array.hasCountPointer, kind != .outArrayMax { notes.append("count pointer NULL") }
        if array.isTruncated { notes.append("first \(array.elements?.count ?? 0) shown") }
        let suffix = notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"
        guard let elements = array.elements else {
            return ["\(label) = \(array.hasArray ? "no elements" : "NULL")\(suffix)"]
        }
        let shown = elements.map(element)
        if shown.count <= 8, !elements.contains(where: { if case .interface = $0 { true } else { false } }) {
            return ["\(label) = [\(shown.joined(separator: ", "))]\(suffix)"]
        }
        return ["\(label): \(elements.count) elements\(suffix)"] + shown.map { "  " + $0 }
    }

    private func element(_ value: DecodedValue) -> String {
        switch value {
        case .number(let value, let domain):
            return number(value, domain)
        case .interface(let interface):
            let name = TextQuoting.quotedOrHex(Array(interface.name.utf8))
            return "\(name) \(interface.version), flags = \(FlagSet.interface.display(interface.flags))"
        default:
            return "\(value)"
        }
    }
}
