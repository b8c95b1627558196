/// The layout of p11-kit's `log-calls: yes` (p11-kit 0.24.1, `p11-kit/log.c`), so that habits
/// and scripts built on it keep working:
///
///     C_OpenSession
///       IN: slotID = SL1
///       IN: flags = 4 = CKF_SERIAL_SESSION
///       IN: pApplication = NULL
///       IN: Notify = NULL
///      OUT: phSession = 0x???????? = S1
///     C_OpenSession = CKR_OK
///
/// Where p11-kit prints wrong or hidden values and the log holds the right ones, the right ones
/// are printed; every such difference is listed in `docs/p11-kit-format.md`. Addresses are not
/// recorded, so a non-NULL pointer prints as ``unknownPointer``; a value the log does not hold
/// prints as p11-kit prints a value it will not show, `(n) NOT-PRINTED`.
public struct P11KitRenderer: CallRenderer {
    /// How a non-NULL pointer is shown: the log records only whether a pointer was NULL.
    public static let unknownPointer = "0x????????"
    /// How a number the log does not hold is shown (p11-kit's own spelling of an unknown length).
    static let unknownNumber = "????"

    /// `sizeof(CK_ULONG)` in the traced process, to read attribute values.
    let ulongSize: Int

    /// Creates a renderer for a log with this header.
    public init(header: LogHeader) {
        self.init(ulongSize: header.ulongSize)
    }

    init(ulongSize: Int) {
        self.ulongSize = ulongSize
    }

    /// p11-kit's log has no preamble.
    public func writePreamble(for reader: LogReader, to output: inout some TextOutputStream) {}

    /// Writes the call's name, its `IN:` lines, its `OUT:` lines and `C_Xxx = CKR_YYY`.
    ///
    /// The loader entry points (`C_GetFunctionList`, `C_GetInterfaceList`, `C_GetInterface`)
    /// are not written: p11-kit calls them itself and never logs them.
    public func write(_ call: DecodedCall, to output: inout some TextOutputStream) {
        guard !Self.unloggedFunctions.contains(call.function.name) else { return }
        let (inputs, outputs) = lines(for: call)
        output.write(call.function.name + "\n")
        for line in inputs {
            output.write("  IN: " + line + "\n")
        }
        for line in outputs {
            output.write(" OUT: " + line + "\n")
        }
        output.write("\(call.function.name) = \(constant(call.returnValue.rawValue, .returnValue, prefix: "CKR"))\n")
    }

    /// Functions p11-kit's log never shows.
    static let unloggedFunctions: Set<String> = ["C_GetFunctionList", "C_GetInterfaceList", "C_GetInterface"]

    /// The `IN:` and `OUT:` lines of a call, without their prefixes (continuation lines of
    /// structures are part of the same string, separated by newlines).
    func lines(for call: DecodedCall) -> (inputs: [String], outputs: [String]) {
        var inputs: [String] = []
        var outputs: [String] = []
        let status = call.returnValue.rawValue
        for argument in call.arguments {
            let name = p11KitName(argument.name, in: call.function)
            switch (argument.kind, argument.value) {
            case (.pointer, let value) where call.function.name == "C_WaitForSlotEvent":
                if status == Self.ok { outputs.append("pReserved = \(pointer(value))") }
            case (.outBytes, let value):
                if call.function.name == "C_GetOperationState", let lengthName = argument.schema.names.dropFirst().first {
                    inputs.append("\(lengthName) = \(ulongPointer(value, count: \.capacity, prefix: ""))")
                }
                if let line = outBytes(name, value, status: status) { outputs.append(line) }
            case (.outBytesFixed, let value):
                let lengthName = p11KitName(argument.schema.names.dropFirst().first ?? "ulRandomLen", in: call.function)
                inputs.append("\(lengthName) = \(buffer(value)?.length.map { String($0) } ?? Self.unknownNumber)")
                if let line = outBytes(name, value, status: status) { outputs.append(line) }
            case (.messageParam, let value):
                let lengthName = p11KitName(argument.schema.names.dropFirst().first ?? "ulParameterLen", in: call.function)
                inputs.append("\(name) = \(buffer(value).map { $0.hasData ? Self.unknownPointer : "NULL" } ?? Self.unknownNumber)")
                inputs.append("\(lengthName) = \(buffer(value)?.length.map { String($0) } ?? Self.unknownNumber)")
            case (.outArray, let value):
                let countName = argument.schema.names.dropFirst().first ?? "pulCount"
                inputs.append("\(countName) = \(ulongPointer(value, count: \.capacity, prefix: ""))")
                if let line = outArray(name, value, option: argument.schema.option, status: status) { outputs.append(line) }
            case (.outArrayMax, let value):
                inputs.append("max_object_count = \(array(value)?.capacity.map { String($0) } ?? Self.unknownNumber)")
                if let line = outArray("object", value, option: argument.schema.option, status: status) { outputs.append(line) }
            case (.outTemplate, let value):
                inputs.append("\(name) = \(attributeTypes(value))")
                if let line = outTemplate(name, value, status: status) { outputs.append(line) }
            case (let kind, let value) where kind.isOutput:
                if status == Self.ok, let line = output(name, kind, value, option: argument.schema.option) {
                    outputs.append(line)
                }
            case (let kind, let value):
                inputs.append(contentsOf: input(name, kind, value, option: argument.schema.option))
            }
        }
        return (inputs, outputs)
    }

    static let ok: UInt64 = 0
    static let bufferTooSmall: UInt64 = 0x150
    static let attributeSensitive: UInt64 = 0x11
    static let attributeTypeInvalid: UInt64 = 0x12

    /// The name p11-kit's log uses for a parameter: its own spelling where it differs from the
    /// function table's, the snake-case names of its PKCS#11 3.0 functions.
    func p11KitName(_ name: String, in function: FunctionSchema) -> String {
        if let renamed = Self.renamed[function.name]?[name] {
            return renamed
        }
        guard function.since == "3.0" else { return name }
        var rest = Substring(name)
        for prefix in ["pul", "ul", "ph", "p", "h"] where rest.hasPrefix(prefix) {
            let after = rest.dropFirst(prefix.count)
            if let first = after.first, first.isUppercase {
                rest = after
                break
            }
        }
        var snake = ""
        for character in rest {
            if character.isUppercase {
                if !snake.isEmpty { snake += "_" }
                snake += character.lowercased()
            } else {
                snake.append(character)
            }
        }
        return snake
    }

    /// Parameters p11-kit names differently from the function table.
    private static let renamed: [String: [String: String]] = [
        "C_FindObjects": ["phObject": "object"],
        "C_GetObjectSize": ["pulSize": "size"],
        "C_GenerateRandom": ["RandomData": "pRandomData"],
        "C_DeriveKey": ["phKey": "phObject"],
        "C_WaitForSlotEvent": ["pRserved": "pReserved"],
    ]
}
