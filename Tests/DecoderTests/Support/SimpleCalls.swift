@testable import Decoder

/// Small calls told apart by their duration, for ordering and damage tests.
enum SimpleCalls {
    /// `C_CloseSession(hSession)` starting at `start`, its duration the marker `marker`.
    static func close(_ start: UInt64, marker: UInt64, session: UInt64 = 1, flags: UInt8 = 0) -> TestLogWriter.Call {
        var arguments = ByteWriter()
        arguments.uvarint(session)
        return TestLogWriter.Call(function: 14, flags: flags, start: start, duration: marker, arguments: arguments.bytes)
    }

    /// The markers of decoded calls, in the order they came.
    static func markers(_ calls: [DecodedCall]) -> [UInt64] {
        calls.map(\.durationNanoseconds)
    }

    /// A log with `threads` threads, `chunksPerThread` chunks each and `callsPerChunk` calls per
    /// chunk, chunks written in time order (as a real writer does), chunk size 512.
    static func timeOrderedLog(threads: Int = 3, chunksPerThread: Int = 3, callsPerChunk: Int = 5) -> (bytes: [UInt8], markers: [UInt64]) {
        var writer = TestLogWriter()
        writer.chunkSize = 512
        writer.addModules([(0, "/usr/lib/libtest.so")])
        var markers: [UInt64] = []
        var time = writer.monotonicOrigin
        for chunk in 0..<chunksPerThread {
            for thread in 0..<threads {
                let base = time
                var calls: [TestLogWriter.Call] = []
                for _ in 0..<callsPerChunk {
                    time += 100
                    let marker = UInt64(markers.count + 1)
                    markers.append(marker)
                    calls.append(close(time, marker: marker))
                }
                writer.addCalls(threadID: UInt32(1000 + thread), index: UInt32(chunk), baseTime: base, calls)
            }
        }
        return (writer.bytes(), markers)
    }
}
