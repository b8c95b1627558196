import Testing
@testable import Decoder

/// The fast reading path: call summaries decoded straight from the log, and statistics
/// gathered from them, against the full call model.
@Suite("Call summaries")
struct SummaryTests {
    /// Statistics rendered in every format.
    private func rendered(_ statistics: Statistics) -> [String] {
        [StatisticsRenderer.Format.text, .json, .csv].map { format in
            var output = CapturedText()
            StatisticsRenderer(statistics).write(format, to: &output)
            return output.text
        }
    }

    /// Statistics of every call added one by one in full, as before summaries existed.
    private func statisticsOfCalls(_ bytes: [UInt8]) throws -> Statistics {
        var statistics = Statistics()
        try decodeLog(bytes).calls.forEach { statistics.add($0) }
        statistics.finish()
        return statistics
    }

    @Test("stats read from summaries equal stats of the full calls",
          arguments: ["operations", "contexts", "every function"])
    func statisticsAgree(log: String) throws {
        let bytes = switch log {
        case "operations": AnalysisSamples.log().bytes()
        case "contexts": ContextTests.log().bytes()
        default: RenderingTests.everyFunctionLog(functions: FunctionSchema.table)
        }
        let expected = rendered(try statisticsOfCalls(bytes))
        let reader = try TemporaryLog.with(bytes) { try LogReader(path: $0) }
        var sequences: [Int] = []
        let fast = try reader.statistics(matching: CallFilter()) { sequence, _ in sequences.append(sequence) }
        #expect(rendered(fast) == expected)
        #expect(sequences == Array(1...sequences.count) && !sequences.isEmpty)
        // A filter that keeps every call takes the full path: the same again.
        var everyThread = CallFilter()
        everyThread.threads = Set(try decodeLog(bytes).calls.map(\.threadID))
        #expect(rendered(try reader.statistics(matching: everyThread)) == expected)
    }

    @Test("the sample's stats from summaries are the golden ones")
    func golden() throws {
        let reader = try TemporaryLog.with(AnalysisSamples.log().bytes()) { try LogReader(path: $0) }
        let statistics = try reader.statistics(matching: CallFilter())
        for format in [StatisticsRenderer.Format.text, .json] {
            var output = CapturedText()
            StatisticsRenderer(statistics).write(format, to: &output)
            #expect(output.text == AnalysisSamples.stats[format.rawValue], "\n\(output.text)")
        }
    }

    @Test("a summary decodes only what it needs: none, the session, or every argument")
    func plans() {
        let plan = { (name: String) in CallSummary.plans[FunctionSchema.index(ofID: function(name).id)!] }
        #expect(plan("C_GetInfo") == .none)
        #expect(plan("C_GetSessionInfo") == .firstSession)
        #expect(plan("C_CloseSession") == .firstSession)
        #expect(plan("C_OpenSession") == .all)
        #expect(plan("C_SignInit") == .all)
        #expect(plan("C_Sign") == .all)
        #expect(plan("C_GenerateKey") == .all)
    }

    @Test("summaries stop at damage in the fixed fields or the session, not before it")
    func damage() throws {
        // Every damage test's log goes through `decodeLog`, which checks the summaries agree;
        // here a damaged session argument, which the summary reads too.
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        let t0 = writer.monotonicOrigin
        writer.addCalls(threadID: 1, index: 0, baseTime: t0, [
            SimpleCalls.close(t0 + 10, marker: 1),
            TestLogWriter.Call(function: function("C_GetSessionInfo").id, start: t0 + 20, returnValue: 0,
                               arguments: [0x80]),  // a varint cut short
        ])
        let bytes = writer.bytes()
        let result = try decodeLog(bytes)
        #expect(result.calls.count == 1)
        let reader = try TemporaryLog.with(bytes) { try LogReader(path: $0) }
        var summaries = reader.summaries()
        #expect(try summaries.next()?.sequence == 1)
        #expect(throws: LogFormatError.self) { try summaries.next() }
        #expect(try summaries.next() == nil)
    }

    @Test("jobs are numbered alike whether a summary reads one argument or all of them")
    func jobsInEveryPlan() throws {
        var writer = TestLogWriter()
        writer.version = 2
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        let t0 = writer.monotonicOrigin
        var open = TestLogWriter.Call(function: function("C_OpenSession").id, start: t0 + 10,
                                      arguments: ValueEncoder.arguments(
                                          function("C_OpenSession").arguments.map { SampleValues.value(for: $0, variant: 0) },
                                          of: function("C_OpenSession")))
        open.context = (0xA000, 0xC000, 0x1000)
        var close = SimpleCalls.close(t0 + 20, marker: 1)
        close.context = (0xB000, 0xD000, 0x1000)
        var again = open
        again.start = t0 + 30
        again.context = (0xB000, 0xD000, 0x1000)
        writer.addCalls(threadID: 1, index: 0, baseTime: t0, [open, close, again])
        let result = try decodeLog(writer.bytes())
        #expect(result.error == nil)
        #expect(result.calls.map { $0.context?.job } == [1, 2, 2])
    }
}
