/// Statistics of a trace, gathered in one pass over its calls in constant memory per
/// function, session, thread, module, job and caller.
///
/// ```swift
/// var statistics = Statistics()
/// var calls = reader.calls(matching: filter)
/// while let call = try calls.next() { statistics.add(call) }
/// statistics.finish()
/// ```
public struct Statistics: Sendable {
    /// Calls, errors and time of one group of calls.
    public struct Tally: Hashable, Sendable {
        /// How many calls.
        public var calls: UInt64 = 0
        /// How many did not return `CKR_OK`.
        public var errors: UInt64 = 0
        /// The time spent in them, ns.
        public var nanoseconds: UInt64 = 0

        mutating func add(_ other: Tally) {
            calls += other.calls
            errors += other.errors
            nanoseconds &+= other.nanoseconds
        }

        mutating func add(returnValue: ReturnValue, nanoseconds time: UInt64) {
            calls += 1
            if !returnValue.isOK { errors += 1 }
            nanoseconds &+= time
        }
    }

    /// One function's calls.
    public struct FunctionEntry: Sendable {
        /// The C name.
        public var name: String
        /// Calls, errors and time.
        public var tally = Tally()
        /// Errors by return value.
        public var errors: [ReturnValue: UInt64] = [:]
        /// The durations.
        public var latency = LatencyHistogram()
    }

    /// A session of a module; `session` is `nil` for calls that name no session.
    public struct SessionKey: Hashable, Sendable, Comparable {
        /// The module's index.
        public var module: UInt8
        /// The session handle, or `nil`.
        public var session: UInt64?

        public static func < (lhs: SessionKey, rhs: SessionKey) -> Bool {
            (lhs.module, lhs.session == nil ? 0 : 1, lhs.session ?? 0) < (rhs.module, rhs.session == nil ? 0 : 1, rhs.session ?? 0)
        }
    }

    /// One kind of operation (``OperationSpan``).
    public struct OperationEntry: Sendable {
        /// How many spans, by how they ended.
        public var completed: UInt64 = 0, failed: UInt64 = 0, abandoned: UInt64 = 0, unfinished: UInt64 = 0
        /// The spans' wall time from `Init` start to the last call's end.
        public var elapsed = LatencyHistogram()
        /// The number of spans.
        public var count: UInt64 { completed + failed + abandoned + unfinished }
    }

    /// All calls.
    public private(set) var overall = Tally()
    /// The start of the first call and the end of the last-ending call, `CLOCK_MONOTONIC` ns.
    public private(set) var firstStart: UInt64?
    public private(set) var lastEnd: UInt64 = 0
    /// Per function, by name.
    public var functions: [String: FunctionEntry] {
        Dictionary(functionsByID.compactMap { $0.map { ($0.name, $0) } }) { first, _ in first }
    }
    /// Per session.
    public var sessions: [SessionKey: Tally] { sessionTable.dictionary }
    /// Per thread (kernel tid).
    public var threads: [UInt32: Tally] { threadTable.dictionary }
    /// Per module index, and the module's short name.
    public var modules: [UInt8: Tally] {
        Dictionary(uniqueKeysWithValues: moduleTallies.indices.compactMap { index in
            moduleTallies[index].map { (UInt8(index), $0) }
        })
    }
    public private(set) var moduleNames: [UInt8: String] = [:]
    /// Per OpenSSL async job number (``CallContext/job``), for calls that ran in a job.
    public var jobs: [UInt64: Tally] { jobTable.dictionary }
    /// Per caller library (``CallContext/callerName``), for calls that recorded a caller.
    public var callers: [String: Tally] {
        var byName: [String: Tally] = [:]
        for (address, tally) in callerTable.dictionary {
            guard let name = callerNames[address] ?? nil else { continue }
            byName[name, default: Tally()].add(tally)
        }
        return byName
    }
    /// Per operation kind.
    public private(set) var operations: [OperationSpan.Kind: OperationEntry] = [:]
    /// The time windows with the most calls.
    public private(set) var windows = BusyWindows()

    // The tables behind the dictionaries above, shaped for one pass over millions of calls:
    // functions and modules by number, the others with their recent keys remembered.
    private var functionsByID: [FunctionEntry?] = []
    private var moduleTallies: [Tally?] = []
    private var sessionTable = TallyTable<SessionKey>()
    private var threadTable = TallyTable<UInt32>()
    private var jobTable = TallyTable<UInt64>()
    private var callerTable = TallyTable<UInt64>()
    private var callerNames: [UInt64: String?] = [:]
    private var grouper = OperationSpanGrouper()

    /// Creates empty statistics.
    public init() {}

    /// Adds the next call (calls must come in order, as ``LogReader/calls()`` gives them).
    public mutating func add(_ call: DecodedCall) {
        add(CallSummary(call), moduleName: call.moduleName, callerName: call.context?.callerName)
    }

    /// Adds the next call's summary (summaries must come in order, as
    /// ``LogReader/summaries()`` gives them).
    ///
    /// - Parameters:
    ///   - call: The call's summary.
    ///   - moduleName: The short name of the call's module (``LogReader/moduleName(_:)``),
    ///     asked for the first call of each module only.
    ///   - callerName: The name of the caller's library (``LogReader/callerName(address:)``),
    ///     asked for the first call of each caller address only; calls of the same library
    ///     from several addresses are counted together.
    public mutating func add(_ call: CallSummary, moduleName: @autoclosure () -> String,
                             callerName: @autoclosure () -> String?) {
        let returnValue = call.returnValue, duration = call.durationNanoseconds
        overall.add(returnValue: returnValue, nanoseconds: duration)
        if firstStart == nil { firstStart = call.startNanoseconds }
        lastEnd = max(lastEnd, call.startNanoseconds &+ duration)
        let function = Int(call.functionID)
        if function >= functionsByID.count {
            functionsByID += [FunctionEntry?](repeating: nil, count: function + 1 - functionsByID.count)
        }
        if functionsByID[function] == nil {
            functionsByID[function] = FunctionEntry(name: call.function?.name ?? "function #\(call.functionID)")
        }
        functionsByID[function]!.tally.add(returnValue: returnValue, nanoseconds: duration)
        functionsByID[function]!.latency.add(duration)
        if !returnValue.isOK { functionsByID[function]!.errors[returnValue, default: 0] += 1 }
        sessionTable.add(SessionKey(module: call.moduleIndex, session: call.namedSession), returnValue: returnValue, nanoseconds: duration)
        threadTable.add(call.threadID, returnValue: returnValue, nanoseconds: duration)
        let module = Int(call.moduleIndex)
        if module >= moduleTallies.count {
            moduleTallies += [Tally?](repeating: nil, count: module + 1 - moduleTallies.count)
        }
        if moduleTallies[module] == nil {
            moduleTallies[module] = Tally()
            moduleNames[call.moduleIndex] = moduleName()
        }
        moduleTallies[module]!.add(returnValue: returnValue, nanoseconds: duration)
        if call.job != 0 { jobTable.add(call.job, returnValue: returnValue, nanoseconds: duration) }
        if call.hasContext, callerTable.add(call.callerAddress, returnValue: returnValue, nanoseconds: duration) {
            callerNames[call.callerAddress] = .some(callerName())
        }
        windows.add(start: call.startNanoseconds, duration: duration, origin: firstStart!)
        let step = grouper.add(call)
        for span in step.ended { count(span) }
    }

    /// Ends the pass: counts the operations still open as unfinished.
    public mutating func finish() {
        for span in grouper.finish() { count(span) }
    }

    private mutating func count(_ span: OperationSpan) {
        var entry = operations[span.kind, default: OperationEntry()]
        switch span.ending {
        case .completed: entry.completed += 1
        case .failed: entry.failed += 1
        case .abandoned: entry.abandoned += 1
        case .unfinished: entry.unfinished += 1
        }
        entry.elapsed.add(span.elapsedNanoseconds)
        operations[span.kind] = entry
    }

    /// From the first call's start to the last call's end, ns.
    public var elapsedNanoseconds: UInt64 { firstStart.map { lastEnd &- $0 } ?? 0 }

    /// The functions, most time first (then by name).
    public var functionsByTime: [FunctionEntry] {
        functions.values.sorted { ($1.tally.nanoseconds, $0.name) < ($0.tally.nanoseconds, $1.name) }
    }
}

/// Calls and time per fixed-width window of the trace, in constant memory: the window starts
/// at 1 ms and grows tenfold (merging ten windows into one) whenever the trace would need
/// more than ``capacity`` windows. A call counts in the window where it starts.
public struct BusyWindows: Hashable, Sendable {
    /// One window.
    public struct Window: Hashable, Sendable {
        /// The window's start, ns after the first call's start.
        public var offset: UInt64
        /// Calls that started in it.
        public var calls: UInt64
        /// Their time, ns (may exceed the width when threads overlap).
        public var nanoseconds: UInt64
    }

    /// The most windows kept.
    public static let capacity = 1_000
    /// The window width, ns.
    public private(set) var width: UInt64 = 1_000_000
    private var calls: [UInt64] = []
    private var times: [UInt64] = []

    mutating func add(start: UInt64, duration: UInt64, origin: UInt64) {
        let offset = start &- origin
        while offset / width >= UInt64(Self.capacity) { grow() }
        let index = Int(offset / width)
        if index >= calls.count {
            calls += [UInt64](repeating: 0, count: index + 1 - calls.count)
            times += [UInt64](repeating: 0, count: index + 1 - times.count)
        }
        calls[index] += 1
        times[index] &+= duration
    }

    private mutating func grow() {
        width *= 10
        var newCalls: [UInt64] = [], newTimes: [UInt64] = []
        for start in stride(from: 0, to: calls.count, by: 10) {
            let end = min(start + 10, calls.count)
            newCalls.append(calls[start..<end].reduce(0, +))
            newTimes.append(times[start..<end].reduce(0, &+))
        }
        calls = newCalls
        times = newTimes
    }

    /// The `limit` windows with the most calls (ties: most time, then earliest).
    public func busiest(limit: Int = 5) -> [Window] {
        all.sorted { ($1.calls, $1.nanoseconds, $0.offset) < ($0.calls, $0.nanoseconds, $1.offset) }.prefix(limit).map { $0 }
    }

    /// The `limit` windows with the most time in calls (ties: most calls, then earliest).
    public func longest(limit: Int = 5) -> [Window] {
        all.sorted { ($1.nanoseconds, $1.calls, $0.offset) < ($0.nanoseconds, $0.calls, $1.offset) }.prefix(limit).map { $0 }
    }

    private var all: [Window] {
        calls.indices.filter { calls[$0] > 0 }.map { Window(offset: UInt64($0) * width, calls: calls[$0], nanoseconds: times[$0]) }
    }
}
