/// A self-contained HTML report of a trace: an interactive timeline (a lane per thread), a
/// statistics table and a latency histogram per function, drawn by inline JavaScript from the
/// calls embedded as compact JSON. No network access: no CDN, no external file.
///
/// The calls are written as they are read, one array per line inside
/// `<script id="trace-data" type="application/json">`:
///
///     [seq, start_ns, duration_ns, tid, session or null, "module", "C_Sign", "CKR_OK", "hSession=1, …", "job #1"]
///
/// The last element, the lane's name, is there only when lanes are jobs or callers
/// (``ExportLanes``); a lane per thread otherwise.
/// `start_ns` counts from the trace's first call; the last element is a short text of the
/// decoded arguments for the tooltip (at most ``tooltipLimit`` characters).
/// Opening `report.html#hover=SEQ` shows the tooltip of call SEQ (used by the tests).
public struct HTMLReportWriter: TraceExporter {
    /// The most characters of argument text kept per call.
    public static let tooltipLimit = 600
    /// The most characters of one argument's value in the tooltip text.
    static let argumentLimit = 160

    private let arguments: JSONLinesRenderer
    private let lanes: ExportLanes
    private var wroteCall = false

    /// Creates a writer for a log with this header, a lane per thread unless `lanes` says otherwise.
    public init(header: LogHeader, lanes: ExportLanes = .thread) {
        arguments = JSONLinesRenderer(header: header)
        self.lanes = lanes
    }

    public mutating func begin(for reader: LogReader, to output: inout some TextOutputStream) {
        let header = reader.header
        let modules = JSONValue.array(reader.modules.map { .string($0.path) })
        let info = JSONValue.object([
            ("process", .string(header.processName)), ("pid", .number(UInt64(header.pid))),
            ("command_line", .string(header.commandLine)), ("log", .string(reader.path)),
            ("start_time", .string(TimeFormat.rfc3339(nanoseconds: Int64(bitPattern: header.wallClockOrigin)))),
            ("modules", modules), ("lanes", .string(lanes.rawValue)),
        ])
        output.write(HTMLReportTemplate.document)
        output.write("<script id=\"trace-data\" type=\"application/json\">{\"info\":")
        output.write(Self.scriptSafe(info))
        output.write(",\"calls\":[\n")
    }

    public mutating func write(_ call: DecodedCall, at time: UInt64, to output: inout some TextOutputStream) {
        let session = CallFilter.sessionHandles(of: call).first
        var cells: [JSONValue] = [
            .number(UInt64(call.sequence)), .number(time), .number(call.durationNanoseconds),
            .number(UInt64(call.threadID)), session.map(JSONValue.number) ?? .null, .string(call.moduleName),
            .string(call.function.name), .string(call.returnValue.name), .string(tooltipText(call)),
        ]
        if let lane = lanes.laneName(of: call) { cells.append(.string(lane)) }
        let row = JSONValue.array(cells)
        if wroteCall { output.write(",\n") }
        wroteCall = true
        output.write(Self.scriptSafe(row))
    }

    public mutating func finish(to output: inout some TextOutputStream) {
        output.write("\n]}</script>\n<script>\n")
        output.write(HTMLReportScript.timeline)
        output.write(HTMLReportScript.statistics)
        output.write("</script>\n</body>\n</html>\n")
    }

    /// `hSession=1, pMechanism={…}`: every argument as compact JSON, each and all capped.
    func tooltipText(_ call: DecodedCall) -> String {
        var text = ""
        for (name, value) in arguments.argumentMembers(of: call) {
            var shown = value.text
            if shown.count > Self.argumentLimit { shown = String(shown.prefix(Self.argumentLimit - 1)) + "…" }
            text += (text.isEmpty ? "" : ", ") + name + "=" + shown
            if text.count >= Self.tooltipLimit { return String(text.prefix(Self.tooltipLimit - 1)) + "…" }
        }
        return text
    }

    /// Compact JSON that can sit inside a `<script>` element: every `<` as `\u003c`, so no
    /// `</script>` can end it (a `<` only ever occurs inside JSON strings).
    private static func scriptSafe(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        value.write(to: &bytes)
        guard bytes.contains(UInt8(ascii: "<")) else { return String(decoding: bytes, as: UTF8.self) }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            if byte == UInt8(ascii: "<") { escaped += #"\u003c"#.utf8 } else { escaped.append(byte) }
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}
