/// The Chrome trace-event format ("JSON Object Format"), for Perfetto UI and chrome://tracing:
///
///     {"traceEvents":[
///     {"ph":"M","pid":4711,"tid":0,"name":"process_name","args":{"name":"pkcs11-tool"}},
///     {"ph":"M","pid":4711,"tid":4711,"name":"thread_name","args":{"name":"main 4711"}},
///     {"ph":"X","pid":4711,"tid":4711,"ts":12.345,"dur":7.3,"name":"C_Sign","cat":"softhsm2",
///      "args":{"seq":9,"rv":"CKR_OK","hSession":1,…}},
///     {"ph":"s","pid":4711,"tid":4711,"ts":10.001,"id":1,"name":"Sign","cat":"operation"},
///     {"ph":"f","bp":"e","pid":4711,"tid":4711,"ts":12.345,"id":1,"name":"Sign","cat":"operation"}
///     ],"displayTimeUnit":"ns","metadata":{…}}
///
/// The process is the traced pid, each thread a lane; every call is a complete event (`X`),
/// times in µs since the first call with ns as decimals. Errors are in the category `error`
/// too (`"cat":"softhsm2,error"`) and coloured red (`"cname":"terrible"`). Flow events link
/// the calls of one operation (``OperationFlowTracker``). One event per line.
///
/// With ``ExportLanes/job`` or ``ExportLanes/caller`` a lane is an OpenSSL async job (`job #1`, and
/// `(no job)` for calls outside jobs) or a caller library (`pkcs11.so`) instead of a thread:
/// each lane gets a `tid` of its own, 1, 2, 3... in order of appearance, named by a
/// `thread_name` event.
public struct ChromeTraceWriter: TraceExporter {
    private let arguments: JSONLinesRenderer
    private let lanes: ExportLanes
    private var flows = OperationFlowTracker()
    private var threads: Set<UInt32> = []
    /// Lane ids by lane name, for job and caller lanes.
    private var laneIDs: [String: UInt32] = [:]
    private var pid: UInt32 = 0
    /// The `metadata` object without its closing brace (the call count follows).
    private var metadata = ""
    private var calls = 0
    private var wroteEvent = false

    /// Creates a writer for a log with this header, a lane per thread unless `lanes` says otherwise.
    public init(header: LogHeader, lanes: ExportLanes = .thread) {
        arguments = JSONLinesRenderer(header: header)
        self.lanes = lanes
    }

    /// The lane of `call`: its tid and, the first time the lane is seen, its name.
    private mutating func lane(of call: DecodedCall) -> (id: UInt32, newName: String?) {
        guard let name = lanes.laneName(of: call) else {
            guard threads.insert(call.threadID).inserted else { return (call.threadID, nil) }
            return (call.threadID, call.threadID == pid ? "main \(call.threadID)" : "thread \(call.threadID)")
        }
        if let id = laneIDs[name] { return (id, nil) }
        let id = UInt32(laneIDs.count + 1)
        laneIDs[name] = id
        return (id, name)
    }

    public mutating func begin(for reader: LogReader, to output: inout some TextOutputStream) {
        let header = reader.header
        pid = header.pid
        let members: [(String, JSONValue)] = [
            ("source", .string("p11trace")), ("log", .string(reader.path)), ("pid", .number(UInt64(header.pid))),
            ("process_name", .string(header.processName)), ("executable", .string(header.executablePath)),
            ("command_line", .string(header.commandLine)), ("writer_version", .string(header.writerVersion)),
            ("start_time", .string(TimeFormat.rfc3339(nanoseconds: Int64(bitPattern: header.wallClockOrigin)))),
            ("modules", .array(reader.modules.map { .object([("index", .number(UInt64($0.index))),
                                                             ("path", .string($0.path))]) })),
        ]
        metadata = String(JSONValue.object(members).text.dropLast())
        output.write("{\"traceEvents\":[\n")
        let name = header.processName.isEmpty ? "pid \(header.pid)" : header.processName
        var text = TextBuffer()
        event(into: &text, [("ph", .string("M")), ("pid", .number(UInt64(pid))), ("tid", .number(0)),
                            ("name", .string("process_name")), ("args", .object([("name", .string(name))]))])
        text.flush(to: &output)
    }

    public mutating func write(_ call: DecodedCall, at time: UInt64, to output: inout some TextOutputStream) {
        var text = TextBuffer()
        write(call, at: time, into: &text)
        text.flush(to: &output)
    }

    public mutating func write(_ call: DecodedCall, at time: UInt64, into output: inout TextBuffer) {
        let (laneID, newName) = lane(of: call)
        if let newName {
            event(into: &output, [("ph", .string("M")), ("pid", .number(UInt64(pid))),
                                    ("tid", .number(UInt64(laneID))), ("name", .string("thread_name")),
                                    ("args", .object([("name", .string(newName))]))])
        }
        // The lane stands in for the thread, for the call's event and the flows anchored on it.
        let thread = call.threadID
        var call = call
        call.threadID = laneID
        let failed = !call.returnValue.isOK
        var members: [(String, JSONValue)] = [
            ("ph", .string("X")), ("pid", .number(UInt64(pid))), ("tid", .number(UInt64(call.threadID))),
        ]
        var args: [(String, JSONValue)] = [("seq", .number(UInt64(call.sequence))),
                                           ("rv", .string(call.returnValue.name))]
        if lanes != .thread { args.append(("thread", .number(UInt64(thread)))) }
        if let context = call.context {
            if context.job != 0 { args += [("job", .number(context.job)), ("wait_ctx", .number(context.waitContext))] }
            if let caller = context.callerName { args.append(("caller", .string(caller))) }
        }
        args += arguments.argumentMembers(of: call)
        members.append(("name", .string(call.function.name)))
        members.append(("cat", .string(failed ? call.moduleName + ",error" : call.moduleName)))
        if failed { members.append(("cname", .string("terrible"))) }
        members.append(("args", .object(args)))
        event(into: &output, members, times: (time, call.durationNanoseconds))
        calls += 1
        for flow in flows.events(for: call, at: time) { writeFlow(flow, to: &output) }
    }

    public mutating func finish(to output: inout some TextOutputStream) {
        var text = TextBuffer()
        for flow in flows.finishAll() { writeFlow(flow, to: &text) }
        text.flush(to: &output)
        output.write("\n],\"displayTimeUnit\":\"ns\",\"metadata\":\(metadata),\"calls\":\(calls)}}\n")
    }

    private mutating func writeFlow(_ flow: OperationFlowTracker.FlowEvent, to output: inout TextBuffer) {
        var members: [(String, JSONValue)] = [("ph", .string(flow.phase.rawValue))]
        if flow.phase == .finish { members.append(("bp", .string("e"))) }
        members += [("pid", .number(UInt64(pid))), ("tid", .number(UInt64(flow.anchor.threadID))),
                    ("id", .number(flow.id)), ("name", .string(flow.family)), ("cat", .string("operation"))]
        event(into: &output, members, times: (flow.anchor.time, nil))
    }

    /// Appends one event: `members`, with `ts` (and `dur`) in µs after the first three.
    private mutating func event(into output: inout TextBuffer, _ members: [(String, JSONValue)],
                                times: (start: UInt64, duration: UInt64?)? = nil) {
        if wroteEvent { output.append(",\n") }
        wroteEvent = true
        output.append(ascii: "{")
        for index in members.indices {
            if index > 0 { output.append(ascii: ",") }
            if index == 3, let times {
                output.append("\"ts\":")
                Self.writeMicroseconds(times.start, to: &output)
                output.append(ascii: ",")
                if let duration = times.duration {
                    output.append("\"dur\":")
                    Self.writeMicroseconds(duration, to: &output)
                    output.append(ascii: ",")
                }
            }
            JSONValue.writeString(members[index].0, to: &output)
            output.append(ascii: ":")
            members[index].1.write(to: &output)
        }
        output.append(ascii: "}")
    }

    /// `ns` as µs with three decimals, trailing zeros dropped: `12.3`, `7`.
    static func microseconds(_ nanoseconds: UInt64) -> String {
        var text = TextBuffer()
        writeMicroseconds(nanoseconds, to: &text)
        return text.string
    }

    /// Appends ``microseconds(_:)``.
    private static func writeMicroseconds(_ nanoseconds: UInt64, to text: inout TextBuffer) {
        let whole = nanoseconds / 1000
        var fraction = nanoseconds % 1000
        text.appendDecimal(whole)
        guard fraction != 0 else { return }
        text.append(ascii: ".")
        var width = 3
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        text.appendDecimal(fraction, width: width)
    }
}
