/// The default, human-readable format: a summary of the log, then per call a header line
///
///     #12 +0.001234567s 7.3us tid 4711 softhsm2 C_Sign = CKR_OK job #1 wait #1 from libp11.so.3
///
/// followed by one indented line per argument; out-parameters are marked `[out]`.
public struct TextRenderer: CallRenderer {
    /// Bytes shown per hex line when a buffer is long.
    static let bytesPerLine = 16

    /// `sizeof(CK_ULONG)` in the traced process, to read attribute values.
    let ulongSize: Int
    private var firstStart: UInt64?

    /// Creates a renderer for a log with this header.
    public init(header: LogHeader) {
        ulongSize = header.ulongSize
    }

    /// Writes the call's header line, then its context and arguments.
    public mutating func write(_ call: DecodedCall, to output: inout some TextOutputStream) {
        var text = TextBuffer()
        write(call, into: &text)
        text.flush(to: &output)
    }

    /// Appends what ``write(_:to:)`` writes.
    public mutating func write(_ call: DecodedCall, into text: inout TextBuffer) {
        let first = firstStart ?? call.startNanoseconds
        firstStart = first
        text.append(ascii: "#")
        text.appendDecimal(UInt64(call.sequence))
        text.append(ascii: " ")
        TimeFormat.appendOffset(nanoseconds: Int64(bitPattern: call.startNanoseconds &- first), to: &text)
        text.append(ascii: " ")
        TimeFormat.appendDuration(nanoseconds: call.durationNanoseconds, to: &text)
        text.append(" tid ")
        text.appendDecimal(UInt64(call.threadID))
        text.append(ascii: " ")
        text.append(call.moduleName)
        text.append(ascii: " ")
        text.append(call.function.name)
        text.append(" = ")
        NameDomain.returnValue.append(call.returnValue.rawValue, to: &text)
        if call.flags.contains(.nested) { text.append(" [nested]") }
        if call.flags.contains(.truncated) { text.append(" [truncated]") }
        if call.flags.contains(.onBehalf) { text.append(" [managed: on the caller's behalf]") }
        if call.flags.contains(.absorbed) { text.append(" [managed: absorbed, not passed to the module]") }
        if let context = call.context { Self.appendContextSuffix(context, to: &text) }
        text.append(ascii: "\n")
        for argument in call.arguments {
            appendLines(for: argument, to: &text)
        }
    }

    /// ` job #1 wait #2 from libp11.so.3`: the async job and wait context when the call ran in
    /// a job, and the caller's library.
    static func contextSuffix(_ context: CallContext) -> String {
        var text = TextBuffer()
        appendContextSuffix(context, to: &text)
        return text.string
    }

    /// Appends ``contextSuffix(_:)``.
    private static func appendContextSuffix(_ context: CallContext, to text: inout TextBuffer) {
        if context.job != 0 {
            text.append(" job #")
            text.appendDecimal(context.job)
            text.append(" wait #")
            text.appendDecimal(context.waitContext)
        }
        if let caller = context.callerName {
            text.append(" from ")
            text.append(caller)
        }
    }

    /// Appends the lines of one argument, indented: the common one-line values directly,
    /// the others through ``lines(for:)``.
    private func appendLines(for argument: DecodedArgument, to text: inout TextBuffer) {
        let name = argument.schema.names[0]
        let marker: StaticString = argument.isOutput ? "  [out] " : "  "
        switch argument.value {
        case .number(let value, let domain):
            text.append(marker)
            if argument.isOutput { text.append(ascii: "*") }
            text.append(name)
            text.append(" = ")
            appendNumber(value, domain, to: &text)
        case .flags(let value, let set):
            text.append(marker)
            text.append(name)
            text.append(" = ")
            appendFlags(value, set, to: &text)
        case .structure(let structure) where argument.kind != .messageParam && structure.fields.count <= Self.fieldsOnOneLine:
            text.append(marker)
            text.append(ascii: "*")
            text.append(name)
            text.append(" = ")
            appendOnOneLine(structure, to: &text)
        default:
            for line in lines(for: argument) {
                text.append("  ")
                text.append(line)
                text.append(ascii: "\n")
            }
            return
        }
        text.append(ascii: "\n")
    }

    /// Appends ``number(_:_:)``.
    func appendNumber(_ value: UInt64, _ domain: NameDomain, to text: inout TextBuffer) {
        if domain == .plain, isUnavailable(value) {
            text.append("CK_UNAVAILABLE_INFORMATION")
        } else {
            domain.append(value, to: &text)
        }
    }

    /// Appends ``flags(_:_:)``.
    func appendFlags(_ value: UInt64, _ set: FlagSet?, to text: inout TextBuffer) {
        if let set { set.append(value, to: &text) } else { text.appendHex(value) }
    }

    /// The lines of one argument: the first names it; continuation lines are indented.
    func lines(for argument: DecodedArgument) -> [String] {
        let marker = argument.isOutput ? "[out] " : ""
        let names = argument.schema.names
        let name = names[0]
        switch argument.value {
        case .number(let value, let domain):
            let label = argument.isOutput ? "*" + name : name
            return [marker + "\(label) = \(number(value, domain))"]
        case .flags(let value, let set):
            return [marker + "\(name) = \(flags(value, set))"]
        case .bool(let value):
            return [marker + "\(name) = \(bool(value))"]
        case .pointer(let isNull):
            return [marker + "\(name) = \(isNull ? "NULL" : "non-NULL")"]
        case .null:
            return [marker + "\(name) = NULL"]
        case .noValue:
            return [marker + "*\(name): no value"]
        case .unreadable:
            return [marker + "\(name) = <unreadable>"]
        case .notRecorded:
            return [marker + "\(name) = <not recorded: record truncated>"]
        case .buffer(let buffer):
            return bufferLines(marker + name, buffer, kind: argument.kind, lengthName: names.dropFirst().first,
                               isText: argument.schema.option == "public")
        case .characters(let bytes):
            return [marker + "\(name) = \(TextQuoting.quotedOrHex(bytes, trimmingBlanks: true))"]
        case .version(let version):
            return [marker + "\(name) = \(version)"]
        case .functionList(let version):
            return [marker + "*\(name) = function list \(version)"]
        case .interface(let interface):
            return [marker + "*\(name) = \(self.interface(interface))"]
        case .initArgs(let args):
            return [marker + "\(name) = \(initArgs(args))"]
        case .mechanism(let mechanism):
            return mechanismLines(marker + name, mechanism)
        case .structure(let structure) where argument.kind == .messageParam:
            return structureLines(marker + name + " = " + structure.typeName, structure, joiner: " ")
        case .structure(let structure):
            return structureLines(marker + "*" + name, structure)
        case .array(let array):
            return arrayLines(marker + name, array, kind: argument.kind)
        case .template(let template):
            return templateLines(marker + name, template)
        }
    }

    func number(_ value: UInt64, _ domain: NameDomain) -> String {
        if domain == .plain, isUnavailable(value) {
            return "CK_UNAVAILABLE_INFORMATION"
        }
        return domain.display(value)
    }

    func flags(_ value: UInt64, _ set: FlagSet?) -> String {
        set?.display(value) ?? Hex.number(value)
    }

    func bool(_ value: UInt8) -> String {
        switch value {
        case 0: "CK_FALSE"
        case 1: "CK_TRUE"
        default: "CK_TRUE (\(value))"
        }
    }

    /// Whether `value` is `CK_UNAVAILABLE_INFORMATION` (all ones) for the traced `CK_ULONG`.
    func isUnavailable(_ value: UInt64) -> Bool {
        value == UInt64.max || (ulongSize == 4 && value == UInt64(UInt32.max))
    }

    private func interface(_ interface: InterfaceValue) -> String {
        let name = TextQuoting.quotedOrHex(Array(interface.name.utf8))
        return "{ \(name) \(interface.version), flags = \(FlagSet.interface.display(interface.flags)) }"
    }

    private func initArgs(_ args: InitArgsValue) -> String {
        func pointer(_ present: Bool) -> String { present ? "non-NULL" : "NULL" }
        return "{ flags = \(FlagSet.initialize.display(args.flags)), "
            + "CreateMutex = \(pointer(args.hasCreateMutex)), DestroyMutex = \(pointer(args.hasDestroyMutex)), "
            + "LockMutex = \(pointer(args.hasLockMutex)), UnlockMutex = \(pointer(args.hasUnlockMutex)), "
            + "pReserved = \(pointer(args.hasReserved)) }"
    }

    private func mechanismLines(_ label: String, _ mechanism: MechanismValue) -> [String] {
        let type = NameDomain.mechanism.display(mechanism.type)
        switch mechanism.form {
        case .raw:
            let bytes = mechanism.parameter ?? []
            let what = ParameterSchema.rawParameters[mechanism.type] ?? "parameter"
            let head = "\(label) = \(type), \(what) \(mechanism.parameterLength) bytes"
            return hexLines(head, bytes)
        case .structured:
            guard let structure = mechanism.structure else { return ["\(label) = \(type)"] }
            return structureLines("\(label) = \(type)", structure, joiner: " ")
        case .unreadable:
            return ["\(label) = \(type), parameter \(mechanism.parameterLength) bytes "
                + "(unreadable parameter: \(mechanism.parameter?.count ?? 0) recorded bytes this decoder cannot read)"]
        case .notRecorded where mechanism.parameterLength == 0:
            return ["\(label) = \(type)"]
        case .notRecorded:
            return ["\(label) = \(type), parameter \(mechanism.parameterLength) bytes (not recorded)"]
        }
    }

    /// `head = hex` on one line for short content, else `head =` and 16 bytes per line.
    func hexLines(_ head: String, _ bytes: [UInt8]) -> [String] {
        if bytes.count <= Self.bytesPerLine * 2 {
            return ["\(head) = \(Hex.string(bytes))"]
        }
        var lines = ["\(head) ="]
        for start in stride(from: 0, to: bytes.count, by: Self.bytesPerLine) {
            let row = bytes[start..<min(bytes.count, start + Self.bytesPerLine)]
            let offset = String(start, radix: 16)
            lines.append("    " + String(repeating: "0", count: max(0, 4 - offset.count)) + offset + "  " + Hex.string(row))
        }
        return lines
    }
}
