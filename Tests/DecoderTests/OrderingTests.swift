import Testing
@testable import Decoder

@Suite("Ordering and numbering")
struct OrderingTests {
    /// Two threads; thread 100's second chunk is stored before its first.
    private func twoThreads() -> [UInt8] {
        var writer = TestLogWriter()
        let t0 = writer.monotonicOrigin
        writer.addCalls(threadID: 100, index: 1, baseTime: t0 + 1_550, [SimpleCalls.close(t0 + 1_700, marker: 7)])
        writer.addCalls(threadID: 200, index: 0, baseTime: t0 + 1_000, [
            SimpleCalls.close(t0 + 1_200, marker: 2), SimpleCalls.close(t0 + 1_300, marker: 4),
            SimpleCalls.close(t0 + 1_600, marker: 6),
        ])
        writer.addCalls(threadID: 100, index: 0, baseTime: t0 + 1_000, [
            SimpleCalls.close(t0 + 1_100, marker: 1), SimpleCalls.close(t0 + 1_300, marker: 3),
            SimpleCalls.close(t0 + 1_500, marker: 5),
        ])
        return writer.bytes()
    }

    @Test("calls of two threads merge by start time, ties by tid, and are numbered 1, 2, 3...")
    func merge() throws {
        let result = try decodeLog(twoThreads())
        #expect(result.error == nil)
        #expect(SimpleCalls.markers(result.calls) == [1, 2, 3, 4, 5, 6, 7])
        #expect(result.calls.map(\.sequence) == Array(1...7))
        #expect(result.calls.map(\.threadID) == [100, 200, 100, 200, 100, 200, 100])
    }

    @Test("numbering is stable across reads")
    func stable() throws {
        let bytes = twoThreads()
        #expect(try decodeLog(bytes).calls == decodeLog(bytes).calls)
    }

    @Test("a nested call's outer record, written after the inner one, is ordered by its start")
    func nestedWithinChunk() throws {
        var writer = TestLogWriter()
        let t0 = writer.monotonicOrigin
        writer.addCalls(threadID: 5, index: 0, baseTime: t0, [
            SimpleCalls.close(t0 + 100, marker: 1),
            SimpleCalls.close(t0 + 300, marker: 3, flags: 4),
            SimpleCalls.close(t0 + 200, marker: 2),
            SimpleCalls.close(t0 + 400, marker: 4),
        ])
        let result = try decodeLog(writer.bytes())
        #expect(result.error == nil)
        #expect(SimpleCalls.markers(result.calls) == [1, 2, 3, 4])
        #expect(result.calls[2].flags.contains(.nested))
    }

    @Test("an outer record in the thread's next chunk still comes first")
    func nestedAcrossChunks() throws {
        var writer = TestLogWriter()
        writer.chunkSize = 256
        let t0 = writer.monotonicOrigin
        writer.addCalls(threadID: 5, index: 0, baseTime: t0, [
            SimpleCalls.close(t0 + 100, marker: 1), SimpleCalls.close(t0 + 300, marker: 3, flags: 4),
        ])
        writer.addCalls(threadID: 6, index: 0, baseTime: t0, [SimpleCalls.close(t0 + 250, marker: 20)])
        writer.addCalls(threadID: 5, index: 1, baseTime: t0 + 350, [
            SimpleCalls.close(t0 + 200, marker: 2), SimpleCalls.close(t0 + 400, marker: 4),
        ])
        let result = try decodeLog(writer.bytes())
        #expect(result.error == nil)
        #expect(SimpleCalls.markers(result.calls) == [1, 2, 20, 3, 4])
    }

    @Test("a reused tid starts a second stream")
    func reusedThreadID() throws {
        var writer = TestLogWriter()
        let t0 = writer.monotonicOrigin
        writer.addCalls(threadID: 9, index: 0, baseTime: t0, [SimpleCalls.close(t0 + 10, marker: 1)])
        writer.addCalls(threadID: 9, index: 1, baseTime: t0 + 20, [SimpleCalls.close(t0 + 30, marker: 2)])
        writer.addCalls(threadID: 9, index: 0, baseTime: t0 + 25, [SimpleCalls.close(t0 + 26, marker: 3)])
        let result = try decodeLog(writer.bytes())
        #expect(result.error == nil)
        #expect(SimpleCalls.markers(result.calls) == [1, 3, 2])
    }

    @Test("times: monotonic start from deltas, wall clock from the header calibration")
    func times() throws {
        var writer = TestLogWriter()
        let t0 = writer.monotonicOrigin
        writer.addCalls(threadID: 1, index: 0, baseTime: t0 + 500, [
            SimpleCalls.close(t0 + 1_000, marker: 1), SimpleCalls.close(t0 + 900, marker: 2),
        ])
        let calls = try decodeLog(writer.bytes()).calls
        #expect(calls.map(\.startNanoseconds) == [t0 + 900, t0 + 1_000])
        #expect(calls[1].wallClockNanoseconds == Int64(writer.wallClockOrigin + 1_000))
    }

    @Test("many calls over many chunks keep their order")
    func manyChunks() throws {
        let log = SimpleCalls.timeOrderedLog(threads: 4, chunksPerThread: 6, callsPerChunk: 8)
        let result = try decodeLog(log.bytes)
        #expect(result.error == nil)
        #expect(SimpleCalls.markers(result.calls) == log.markers)
    }
}
