import Testing
@testable import Decoder

/// Format 2's call context: caller deltas, async job fields, the library map, and their damage.
@Suite("Async jobs, wait contexts and callers (format 2)")
struct ContextTests {
    static let libcrypto: UInt64 = 0x7f00_0000_0000
    static let program: UInt64 = 0x5555_0000_0000

    /// Two threads; thread 1 runs jobs (the first job object serves two wait contexts in turn),
    /// thread 2 runs none. Two library maps: the second reuses libengine's range for another library.
    static func log() -> TestLogWriter {
        var writer = TestLogWriter()
        writer.version = 2
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        writer.addLibraries([(1, program, program + 0x10000, "/usr/bin/server"),
                             (1, libcrypto, libcrypto + 0x40000, "/usr/lib/libengine.so"),
                             (2, program, program + 0x10000, "/usr/bin/server"),
                             (2, libcrypto + 0x100000, libcrypto + 0x140000, "/usr/lib/libengine.so"),
                             (2, libcrypto, libcrypto + 0x40000, "/usr/lib/libother.so.1")])
        let t0 = writer.monotonicOrigin
        func call(_ start: UInt64, _ job: UInt64, _ wait: UInt64, _ caller: UInt64) -> TestLogWriter.Call {
            var c = SimpleCalls.close(t0 + start, marker: start)
            c.context = (job, wait, caller)
            return c
        }
        writer.addCalls(threadID: 1, index: 0, baseTime: t0, [
            call(10, 0, 0, program + 0x123),                  // outside any job
            call(20, 0xA000, 0xC000, libcrypto + 0x100200),   // job A for wait ctx C
            call(30, 0xB000, 0xD000, libcrypto + 0x100200),   // job B for wait ctx D (same site: delta 0)
            call(40, 0xA000, 0xC000, libcrypto + 0x100180),   // job A again (negative delta)
            call(50, 0xA000, 0xE000, libcrypto + 0x100180),   // the pooled job A for a new wait ctx E
            call(60, 0, 0, program + 0x123),
            call(70, 0, 0, libcrypto + 0x20),                 // in the range reused by the second map
            call(80, 0, 0, 0x1234),                           // in no map
        ])
        writer.addCalls(threadID: 2, index: 0, baseTime: t0, [call(15, 0, 0, program + 0x456)])
        return writer
    }

    @Test("jobs and wait contexts are numbered in order of appearance; callers name their library")
    func roundTrip() throws {
        let result = try decodeLog(Self.log().bytes())
        #expect(result.error == nil)
        let contexts = try result.calls.map { try #require($0.context) }
        #expect(result.calls.map(\.durationNanoseconds) == [10, 15, 20, 30, 40, 50, 60, 70, 80])
        #expect(contexts.map(\.job) == [0, 0, 1, 2, 1, 3, 0, 0, 0])
        #expect(contexts.map(\.waitContext) == [0, 0, 1, 2, 1, 3, 0, 0, 0])
        #expect(contexts[2].jobAddress == 0xA000 && contexts[5].jobAddress == 0xA000)
        #expect(contexts.map(\.callerAddress) == [Self.program + 0x123, Self.program + 0x456, Self.libcrypto + 0x100200,
                                                  Self.libcrypto + 0x100200, Self.libcrypto + 0x100180, Self.libcrypto + 0x100180,
                                                  Self.program + 0x123, Self.libcrypto + 0x20, 0x1234])
        #expect(contexts.map(\.callerName) == ["server", "server", "libengine.so", "libengine.so", "libengine.so",
                                               "libengine.so", "server", "libother.so.1", "0x1234"])
        #expect(contexts[7].callerPath == "/usr/lib/libother.so.1")
        #expect(contexts[8].callerPath == nil)
    }

    @Test("text and JSON Lines show job, wait context and caller")
    func rendering() throws {
        let (text, _) = try render(Self.log().bytes(), TextRenderer.init)
        #expect(text.contains("C_CloseSession = CKR_OK job #3 wait #3 from libengine.so\n"))
        #expect(text.contains("C_CloseSession = CKR_OK from server\n"))
        let (lines, _) = try render(Self.log().bytes(), JSONLinesRenderer.init)
        let third = try #require(lines.split(separator: "\n").dropFirst(2).first)
        #expect(third.contains(#""job":1,"wait_ctx":1,"caller":"libengine.so","caller_path":"/usr/lib/libengine.so","caller_address":"0x7f0000100200""#))
        let first = try #require(lines.split(separator: "\n").first)
        #expect(first.contains(#""job":null,"wait_ctx":null,"caller":"server""#))
    }

    @Test("the library map is read from the log")
    func libraryMap() throws {
        try TemporaryLog.with(Self.log().bytes()) { path in
            let reader = try LogReader(path: path)
            #expect(reader.libraries.objects.count == 5)
            #expect(reader.libraries.snapshotCount == 2)
            #expect(reader.libraries.object(containing: Self.libcrypto + 0x100000)?.path == "/usr/lib/libengine.so")
            #expect(reader.libraries.object(containing: Self.libcrypto + 0x140000) == nil)
        }
    }

    @Test("a format 1 log is still read, without callers")
    func formatOne() throws {
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        let t0 = writer.monotonicOrigin
        var withContext = SimpleCalls.close(t0 + 20, marker: 2)
        withContext.context = (7, 8, 0x4000)
        writer.addCalls(threadID: 1, index: 0, baseTime: t0, [SimpleCalls.close(t0 + 10, marker: 1), withContext])
        let result = try decodeLog(writer.bytes())
        #expect(result.error == nil)
        #expect(result.calls.count == 2)
        #expect(result.calls[0].context == nil)
        #expect(result.calls[1].context?.job == 1)
        #expect(result.calls[1].context?.jobAddress == 7)
        #expect(result.calls[1].context?.callerAddress == 0x4000)
    }

    @Test("damaged context fields are reported with their offset")
    func damage() throws {
        let t0 = TestLogWriter().monotonicOrigin
        let recordStart = 4096 + 32
        // The job flag set but the record ends before the job fields.
        var writer = TestLogWriter()
        writer.version = 2
        var body = ByteWriter()
        body.u16(2 + 2 + 1 + 1 + 1 + 1 + 1 + 1)
        body.u16(14)
        body.u8(0)
        body.u8(1)          // in a job...
        body.zigzag(10)
        body.uvarint(5)
        body.uvarint(0)
        body.zigzag(0)      // ...but no job, wait ctx or arguments follow
        writer.addChunk(kind: 1, threadID: 1, index: 0, baseTime: t0, body: body.bytes)
        let cut = try decodeLog(writer.bytes())
        #expect(cut.calls.isEmpty)
        #expect(cut.error == .malformedRecord(offset: recordStart + 10, reason: .endOfRecord))
        #expect(cut.error?.description.contains("runs past the end") == true)

        // The job flag set with a job address of 0.
        var zero = TestLogWriter()
        zero.version = 2
        var record = ByteWriter()
        record.u16(14)
        record.u8(0)
        record.u8(1)
        record.zigzag(10)
        record.uvarint(5)
        record.uvarint(0)
        record.zigzag(0)
        record.uvarint(0)   // job 0
        record.uvarint(9)
        record.uvarint(1)   // hSession
        var sized = ByteWriter()
        sized.u16(UInt16(record.bytes.count + 2))
        zero.addChunk(kind: 1, threadID: 1, index: 0, baseTime: t0, body: sized.bytes + record.bytes)
        let zeroed = try decodeLog(zero.bytes())
        #expect(zeroed.calls.isEmpty)
        #expect(zeroed.error == .malformedRecord(offset: recordStart + 10, reason: .zeroJob))
        #expect(zeroed.error?.description.contains("job address is 0") == true)

        // A library-map record in a format 1 log is not of that format.
        var old = TestLogWriter()
        old.addLibraries([(1, 0x1000, 0x2000, "/lib/x.so")])
        #expect(try decodeLog(old.bytes()).error == .unknownMetadataType(type: 2, offset: recordStart))

        // A library-map record cut short.
        var short = TestLogWriter()
        short.version = 2
        var meta = ByteWriter()
        meta.u16(4 + 2)
        meta.u16(2)
        meta.uvarint(1)
        meta.uvarint(0x1000)   // no end, no path
        short.addChunk(kind: 2, threadID: 0, index: 0, baseTime: t0, body: meta.bytes)
        let error = try decodeLog(short.bytes()).error
        #expect(error == .malformedRecord(offset: recordStart + 6, reason: .endOfRecord))
    }

    @Test("chrome export --by job and --by caller: a lane per job or library, named")
    func chromeLanes() throws {
        func lanes(_ grouping: ExportLanes) throws -> (names: [UInt64: String], calls: [(UInt64, UInt64)]) {
            let text = try TemporaryLog.with(Self.log().bytes()) { path in
                let reader = try LogReader(path: path)
                var writer = ChromeTraceWriter(header: reader.header, lanes: grouping)
                var output = CapturedText()
                try reader.export(with: &writer, to: &output)
                return output.text
            }
            var names: [UInt64: String] = [:]
            var calls: [(UInt64, UInt64)] = []  // (marker = duration in ns, lane tid)
            for line in text.split(separator: "\n") where line.contains("\"tid\"") {
                let tid = UInt64(line.split(separator: "\"tid\":")[1].prefix { $0.isNumber })!
                if line.contains("thread_name") {
                    names[tid] = String(line.split(separator: "\"name\":\"").last!.prefix { $0 != "\"" })
                } else if line.contains("\"ph\":\"X\"") {
                    let dur = Double(line.split(separator: "\"dur\":")[1].prefix { $0.isNumber || $0 == "." })!
                    calls.append((UInt64((dur * 1000).rounded()), tid))
                }
            }
            return (names, calls)
        }
        let byJob = try lanes(.job)
        #expect(byJob.calls.map { byJob.names[$0.1] } == ["(no job)", "(no job)", "job #1", "job #2", "job #1", "job #3",
                                                           "(no job)", "(no job)", "(no job)"])
        let byCaller = try lanes(.caller)
        #expect(byCaller.calls.map { byCaller.names[$0.1] } == ["server", "server", "libengine.so", "libengine.so",
                                                                 "libengine.so", "libengine.so", "server", "libother.so.1", "0x1234"])
        #expect(Set(byCaller.names.keys) == [1, 2, 3, 4])
    }
}
