import Testing
@testable import Decoder

@Suite("Memory")
struct WindowTests {
    @Test("a thread keeps at most two chunks decoded at a time")
    func boundedWindow() throws {
        let log = SimpleCalls.timeOrderedLog(threads: 1, chunksPerThread: 10, callsPerChunk: 5)
        let reader = try TemporaryLog.with(log.bytes) { try LogReader(path: $0) }
        guard case .log(let file, let streams, _) = reader.content else {
            Issue.record("a log file read as records")
            return
        }
        var stream = try #require(streams.first)
        let decoder = ChunkDecoder(header: reader.header, modules: [:])
        stream.fill(file: file, decoder: decoder)
        #expect(stream.decodedChunks == 2)
        for _ in 0..<5 { _ = stream.popCall() }
        stream.fill(file: file, decoder: decoder)
        #expect(stream.decodedChunks == 3)
        var count = 5
        while stream.popCall() != nil {
            count += 1
            stream.fill(file: file, decoder: decoder)
            #expect(stream.decodedChunks <= (count + 4) / 5 + 2)
        }
        #expect(count == 50)
    }
}
