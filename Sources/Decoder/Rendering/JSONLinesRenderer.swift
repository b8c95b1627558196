/// The machine-readable format: one JSON object per call and line.
///
///     {"seq":1,"time_ns":0,"start_ns":…,"wall_time":"2025-11-24T10:50:00.123456789Z","duration_ns":7300,
///      "tid":4711,"module":"softhsm2",…,"function":"C_Sign","function_id":44,"rv":0,"rv_name":"CKR_OK",
///      "flags":[],"args":{"hSession":1,"pData":{"pointer":true,"length":64},…}}
///
/// `time_ns` counts from the first call, `start_ns` is the raw `CLOCK_MONOTONIC` time.
/// Numbers with C names are `{"value": n, "name": "CK…"}`; buffers carry `length`, `hex` and
/// so on only when recorded. The format has no preamble.
public struct JSONLinesRenderer: CallRenderer {
    /// `sizeof(CK_ULONG)` in the traced process, to read attribute values.
    let ulongSize: Int
    private var firstStart: UInt64?

    /// Creates a renderer for a log with this header.
    public init(header: LogHeader) {
        ulongSize = header.ulongSize
    }

    /// Writes nothing: every line is a call.
    public mutating func writePreamble(for reader: LogReader, to output: inout some TextOutputStream) {}

    /// Writes the call as one line of JSON.
    public mutating func write(_ call: DecodedCall, to output: inout some TextOutputStream) {
        var text = TextBuffer()
        write(call, into: &text)
        text.flush(to: &output)
    }

    /// Appends what ``write(_:to:)`` writes.
    public mutating func write(_ call: DecodedCall, into text: inout TextBuffer) {
        let first = firstStart ?? call.startNanoseconds
        firstStart = first
        var members: [(String, JSONValue)] = [
            ("seq", .number(UInt64(call.sequence))),
            ("time_ns", .signed(Int64(bitPattern: call.startNanoseconds &- first))),
            ("start_ns", .number(call.startNanoseconds)),
            ("wall_time", .string(TimeFormat.rfc3339(nanoseconds: call.wallClockNanoseconds))),
            ("duration_ns", .number(call.durationNanoseconds)),
            ("tid", .number(UInt64(call.threadID))),
            ("module", .string(call.moduleName)),
            ("module_index", .number(UInt64(call.moduleIndex))),
            ("module_path", call.modulePath.map(JSONValue.string) ?? .null),
            ("function", .string(call.function.name)),
            ("function_id", .number(UInt64(call.function.id))),
            ("rv", .number(call.returnValue.rawValue)),
            ("rv_name", .string(call.returnValue.name)),
            ("flags", .array(flagNames(call.flags).map(JSONValue.string))),
        ]
        if let context = call.context {
            members += [
                ("job", context.job == 0 ? .null : .number(context.job)),
                ("wait_ctx", context.waitContext == 0 ? .null : .number(context.waitContext)),
                ("caller", context.callerName.map(JSONValue.string) ?? .null),
                ("caller_path", context.callerPath.map(JSONValue.string) ?? .null),
                ("caller_address", .string(Hex.number(context.callerAddress))),
            ]
        }
        members.append(("args", .object(argumentMembers(of: call))))
        var line: [UInt8] = []
        line.reserveCapacity(512)
        JSONValue.object(members).write(to: &line)
        line.append(UInt8(ascii: "\n"))
        text.append(contentsOf: line)
    }

    /// The call's arguments as JSON object members, in C parameter order: the `args` of a line,
    /// shared with the exporters (``ChromeTraceWriter``, ``HTMLReportWriter``).
    func argumentMembers(of call: DecodedCall) -> [(String, JSONValue)] {
        call.arguments.map { ($0.name, json($0)) }
    }

    private func flagNames(_ flags: CallFlags) -> [String] {
        var names: [String] = []
        if flags.contains(.nested) { names.append("nested") }
        if flags.contains(.truncated) { names.append("truncated") }
        if flags.contains(.onBehalf) { names.append("managed_on_behalf") }
        if flags.contains(.absorbed) { names.append("managed_absorbed") }
        return names
    }
}
