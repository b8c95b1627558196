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

    /// Appends what ``write(_:to:)`` writes: the fixed members straight into `text`, then the
    /// arguments.
    public mutating func write(_ call: DecodedCall, into text: inout TextBuffer) {
        let first = firstStart ?? call.startNanoseconds
        firstStart = first
        text.append("{\"seq\":")
        text.appendDecimal(UInt64(call.sequence))
        text.append(",\"time_ns\":")
        JSONValue.signed(Int64(bitPattern: call.startNanoseconds &- first)).write(to: &text)
        text.append(",\"start_ns\":")
        text.appendDecimal(call.startNanoseconds)
        text.append(",\"wall_time\":\"")
        TimeFormat.appendRFC3339(nanoseconds: call.wallClockNanoseconds, to: &text)
        text.append("\",\"duration_ns\":")
        text.appendDecimal(call.durationNanoseconds)
        text.append(",\"tid\":")
        text.appendDecimal(UInt64(call.threadID))
        text.append(",\"module\":")
        JSONValue.writeString(call.moduleName, to: &text)
        text.append(",\"module_index\":")
        text.appendDecimal(UInt64(call.moduleIndex))
        text.append(",\"module_path\":")
        Self.writeOptional(call.modulePath, to: &text)
        text.append(",\"function\":")
        JSONValue.writeString(call.function.name, to: &text)
        text.append(",\"function_id\":")
        text.appendDecimal(UInt64(call.function.id))
        text.append(",\"rv\":")
        text.appendDecimal(call.returnValue.rawValue)
        text.append(",\"rv_name\":")
        JSONValue.writeString(call.returnValue.name, to: &text)
        text.append(",\"flags\":[")
        for (index, name) in flagNames(call.flags).enumerated() {
            if index > 0 { text.append(ascii: ",") }
            JSONValue.writeString(name, to: &text)
        }
        text.append(ascii: "]")
        if let context = call.context {
            text.append(",\"job\":")
            Self.writeNumberOrNull(context.job, to: &text)
            text.append(",\"wait_ctx\":")
            Self.writeNumberOrNull(context.waitContext, to: &text)
            text.append(",\"caller\":")
            Self.writeOptional(context.callerName, to: &text)
            text.append(",\"caller_path\":")
            Self.writeOptional(context.callerPath, to: &text)
            text.append(",\"caller_address\":\"")
            text.appendHex(context.callerAddress)
            text.append(ascii: "\"")
        }
        text.append(",\"args\":")
        JSONValue.object(argumentMembers(of: call)).write(to: &text)
        text.append("}\n")
    }

    /// A JSON string, or `null`.
    private static func writeOptional(_ string: String?, to text: inout TextBuffer) {
        if let string { JSONValue.writeString(string, to: &text) } else { text.append("null") }
    }

    /// A number, or `null` for 0 (no job, no wait context).
    private static func writeNumberOrNull(_ value: UInt64, to text: inout TextBuffer) {
        if value == 0 { text.append("null") } else { text.appendDecimal(value) }
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
