extension P11KitRenderer {
    /// The `IN:` lines of an input argument.
    func input(_ name: String, _ kind: ArgumentKind, _ value: DecodedValue, option: String?) -> [String] {
        switch value {
        case .number(let number, _):
            switch kind {
            case .session: return ["\(name) = S\(number)"]
            case .object: return ["\(name) = H\(number)"]
            case .slot: return ["\(name) = SL\(number)"]
            case .mechanismType: return ["\(name) = \(constant(number, .mechanism, prefix: "CKM"))"]
            case .userType: return ["\(name) = \(constant(number, .userType, prefix: "CKU"))"]
            default: return ["\(name) = \(number)"]
            }
        case .flags(let flags, _):
            return ["\(name) = \(flags)\(P11KitFlags.names(flags, P11KitFlags.forArgument(option)))"]
        case .bool(let bool):
            return ["\(name) = \(bool != 0 ? "CK_TRUE" : "CK_FALSE")"]
        case .pointer, .null:
            return ["\(name) = \(pointer(value))"]
        case .buffer(let buffer) where kind == .label32:
            guard buffer.hasData else { return ["\(name) = NULL"] }
            let bytes = buffer.content.map { Array($0.prefix { $0 != 0 }) }
            return ["\(name) = " + (bytes.map { "\"" + String(decoding: $0, as: UTF8.self) + "\"" } ?? "NOT-PRINTED")]
        case .buffer(let buffer):
            return ["\(name) = \(byteArray(buffer, length: buffer.length))"]
        case .mechanism(let mechanism):
            return ["\(name) = {\n\tmechanism: \(constant(mechanism.type, .mechanism, prefix: "CKM"))\n"
                + "\tpParameter: (\(mechanism.parameterLength)) \(mechanismParameter(mechanism))\n      }"]
        case .template(let template):
            return ["\(name) = \(inputTemplate(template))"]
        case .initArgs(let args):
            return ["\(name) = " + initArgs(args)]
        case .unreadable, .notRecorded, .noValue:
            return ["\(name) = \(Self.unknownNumber)"]
        default:
            return ["\(name) = \(Self.unknownNumber)"]
        }
    }

    /// The `OUT:` line of an output argument of a call that returned `CKR_OK`, if p11-kit has one.
    func output(_ name: String, _ kind: ArgumentKind, _ value: DecodedValue, option: String?) -> String? {
        switch value {
        case .null:
            return "\(name) = NULL"
        case .number(let number, _):
            let prefix = switch option { case "session": "S"; case "object": "H"; case "slot": "SL"; default: "" }
            return "\(name) = \(Self.unknownPointer) = \(prefix)\(number)"
        case .structure(let structure):
            return "\(name) = " + self.structure(structure)
        case .noValue, .unreadable, .notRecorded:
            return "\(name) = \(Self.unknownPointer) = \(Self.unknownNumber)"
        default:
            return nil
        }
    }

    /// `NULL` or the placeholder of a non-NULL address.
    func pointer(_ value: DecodedValue) -> String {
        switch value {
        case .null, .pointer(isNull: true): "NULL"
        default: Self.unknownPointer
        }
    }

    /// p11-kit's `log_ulong_pointer` of an array's count pointer: the address and the value
    /// read through it (`capacity`: before the call).
    func ulongPointer(_ value: DecodedValue, count: KeyPath<ArrayValue, UInt64?>, prefix: String) -> String {
        if let array = array(value) {
            guard array.hasCountPointer else { return "NULL" }
            return "\(Self.unknownPointer) = \(array[keyPath: count].map { prefix + String($0) } ?? Self.unknownNumber)"
        }
        if let buffer = buffer(value) {
            guard buffer.hasLengthPointer else { return "NULL" }
            return "\(Self.unknownPointer) = \(buffer.capacity.map { prefix + String($0) } ?? Self.unknownNumber)"
        }
        return "\(Self.unknownPointer) = \(Self.unknownNumber)"
    }

    func buffer(_ value: DecodedValue) -> BufferValue? {
        if case .buffer(let buffer) = value { return buffer }
        return nil
    }

    func array(_ value: DecodedValue) -> ArrayValue? {
        if case .array(let array) = value { return array }
        return nil
    }

    /// An out-buffer's line (`log_byte_array`): kept on `CKR_OK` and `CKR_BUFFER_TOO_SMALL`.
    func outBytes(_ name: String, _ value: DecodedValue, status: UInt64) -> String? {
        guard status == Self.ok || status == Self.bufferTooSmall, var buffer = buffer(value) else { return nil }
        if status == Self.bufferTooSmall { buffer.hasData = false }
        if !buffer.hasLengthPointer && buffer.length == nil {
            return "\(name) = (?) NOTHING"
        }
        return "\(name) = \(byteArray(buffer, length: buffer.length))"
    }

    /// `(n) "bytes"`, `(n) NOTHING` without data, `(n) NOT-PRINTED` when the log holds no content.
    func byteArray(_ buffer: BufferValue, length: UInt64?) -> String {
        let count = length.map { String($0) } ?? Self.unknownNumber
        guard buffer.hasData else { return "(\(count)) NOTHING" }
        if length == 0 { return "(0) \"\"" }
        guard let content = buffer.content, !buffer.isUnreadable else { return "(\(count)) NOT-PRINTED" }
        if let length, isUnavailable(length) { return "(\(count)) ????" }
        return "(\(count)) " + Self.someBytes(content.prefix(Int(clamping: length ?? UInt64(content.count))))
    }

    /// p11-kit's `log_some_bytes`: at most 120 characters including the opening quote, escapes
    /// in upper-case hex; when the limit is reached the text is cut there and `..."` appended.
    static func someBytes(_ bytes: some Collection<UInt8>) -> String {
        let limit = 120
        var text: [UInt8] = [0x22]
        for byte in bytes {
            if text.count >= limit { break }
            switch byte {
            case 0x09: text += Array("\\t".utf8)
            case 0x0a: text += Array("\\n".utf8)
            case 0x0d: text += Array("\\r".utf8)
            case 32..<127: text.append(byte)
            default: text += Array("\\x".utf8) + hex2(byte, uppercase: true)
            }
        }
        if text.count >= limit {
            return String(decoding: text.prefix(limit), as: UTF8.self) + "...\""
        }
        return String(decoding: text, as: UTF8.self) + "\""
    }

    /// p11-kit's `format_some_bytes` (attribute values): the first 128 bytes, escapes in
    /// lower-case hex, `...` before the closing quote when cut.
    static func attributeBytes(_ bytes: [UInt8], length: UInt64) -> String {
        var text: [UInt8] = [0x22]
        for byte in bytes.prefix(128) {
            switch byte {
            case 0x09: text += Array("\\t".utf8)
            case 0x0a: text += Array("\\n".utf8)
            case 0x0d: text += Array("\\r".utf8)
            case 32..<127: text.append(byte)
            default: text += Array("\\x".utf8) + hex2(byte, uppercase: false)
            }
        }
        if length > 128 { text += Array("...".utf8) }
        return String(decoding: text, as: UTF8.self) + "\""
    }

    static func hex2(_ byte: UInt8, uppercase: Bool) -> [UInt8] {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        return [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
    }

    /// `0x%08lX`.
    static func hex8(_ value: UInt64) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// A constant's C name, or p11-kit's spelling of an unknown one (`CKM_0x%08lX`; `0x%08lX`
    /// with an empty prefix).
    func constant(_ value: UInt64, _ domain: NameDomain, prefix: String) -> String {
        if let name = domain.name(for: value) { return name }
        return (prefix.isEmpty ? "" : prefix + "_") + Self.hex8(value)
    }

    /// Whether `value` is `CK_UNAVAILABLE_INFORMATION` for the traced `CK_ULONG`.
    func isUnavailable(_ value: UInt64) -> Bool {
        value == UInt64.max || (ulongSize == 4 && value == UInt64(UInt32.max))
    }

    /// The parameter of a mechanism: its bytes when recorded, `NULL` for an empty one.
    private func mechanismParameter(_ mechanism: MechanismValue) -> String {
        if case .raw = mechanism.form, let bytes = mechanism.parameter {
            return Self.someBytes(bytes)
        }
        return mechanism.parameterLength == 0 ? "NULL" : "NOT-PRINTED"
    }

    private func initArgs(_ args: InitArgsValue) -> String {
        func address(_ present: Bool) -> String { present ? Self.unknownPointer : Self.hex8(0) }
        return "{\n\tCreateMutex: \(address(args.hasCreateMutex))\n\tDestroyMutex: \(address(args.hasDestroyMutex))\n"
            + "\tLockMutex: \(address(args.hasLockMutex))\n\tUnlockMutex: \(address(args.hasUnlockMutex))\n"
            + "\tflags: \(args.flags)\(P11KitFlags.names(args.flags, P11KitFlags.initialize))\n"
            + "\treserved: \(address(args.hasReserved))\n      }"
    }

    /// An out-array's line (`log_ulong_array`, `log_mechanism_type_array`): kept on `CKR_OK`
    /// and `CKR_BUFFER_TOO_SMALL` (then without elements).
    func outArray(_ name: String, _ value: DecodedValue, option: String?, status: UInt64) -> String? {
        guard status == Self.ok || status == Self.bufferTooSmall, let array = array(value) else { return nil }
        guard array.hasCountPointer else { return "\(name) = (?) NO-VALUES" }
        let count = array.count.map { String($0) } ?? Self.unknownNumber
        guard array.hasArray, status == Self.ok else { return "\(name) = (\(count)) NO-VALUES" }
        let elements = (array.elements ?? []).map { element -> String in
            guard case .number(let number, _) = element else { return Self.unknownNumber }
            switch option {
            case "mechanism_type": return constant(number, .mechanism, prefix: "CKM")
            case "slot": return "SL\(number)"
            case "object": return "H\(number)"
            default: return String(number)
            }
        }
        let more = array.isTruncated ? ", ..." : ""
        return "\(name) = (\(count)) [ \(elements.joined(separator: ", "))\(more) ]"
    }
}
