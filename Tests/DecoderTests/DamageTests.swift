import Testing
@testable import Decoder

@Suite("Damaged and unusual files")
struct DamageTests {
    /// One thread, one chunk, five calls; returns the file and the offset of each record.
    private func fiveCalls() -> (writer: TestLogWriter, calls: [TestLogWriter.Call], offsets: [Int]) {
        var writer = TestLogWriter()
        let t0 = writer.monotonicOrigin
        let calls = (1...5).map { SimpleCalls.close(t0 + UInt64($0) * 100, marker: UInt64($0)) }
        writer.addCalls(threadID: 1, index: 0, baseTime: t0, calls)
        var offsets: [Int] = []
        var offset = writer.headerSize + 32
        var previous = t0
        for call in calls {
            offsets.append(offset)
            offset += TestLogWriter.record(call, previousStart: previous).count
            previous = call.start
        }
        return (writer, calls, offsets)
    }

    @Test("a file cut anywhere yields a prefix of the calls, then an error")
    func truncated() throws {
        let log = SimpleCalls.timeOrderedLog()
        let header = 4096, chunk = 512
        var cuts = Array(stride(from: 0, to: log.bytes.count, by: 7))
        cuts += [1, 8, 11, 12, 100, 927, 928, header - 1, header, header + 1, header + 31, header + 32, header + 33]
        for cut in cuts {
            let result = try decodeLog(Array(log.bytes.prefix(cut)))
            let markers = SimpleCalls.markers(result.calls)
            #expect(markers == Array(log.markers.prefix(markers.count)), "cut at \(cut)")
            #expect(result.calls.map(\.sequence) == Array(1...max(1, result.calls.count)).prefix(result.calls.count).map { $0 })
            let aligned = cut >= header && (cut - header) % chunk == 0
            if aligned {
                #expect(result.error == nil, "cut at chunk boundary \(cut)")
            } else {
                let error = try #require(result.error, "cut at \(cut)")
                #expect((error.offset ?? 0) <= cut, "cut at \(cut): \(error)")
            }
        }
    }

    @Test("a record size out of range stops the chunk with its offset", arguments: [UInt16(3), 5, 0xffff])
    func badSize(size: UInt16) throws {
        let (writer, _, offsets) = fiveCalls()
        var bytes = writer.bytes()
        bytes[offsets[2]] = UInt8(size & 0xff)
        bytes[offsets[2] + 1] = UInt8(size >> 8)
        let result = try decodeLog(bytes)
        #expect(SimpleCalls.markers(result.calls) == [1, 2])
        #expect(result.error == .recordSizeOutOfRange(size: Int(size), offset: offsets[2]))
        #expect(result.error?.offset == offsets[2])
    }

    @Test("after the damage the iterator is finished")
    func finishedAfterDamage() throws {
        let (writer, _, offsets) = fiveCalls()
        var bytes = writer.bytes()
        bytes[offsets[1]] = 1
        bytes[offsets[1] + 1] = 0
        try TemporaryLog.with(bytes) { path in
            var calls = try LogReader(path: path).calls()
            #expect(try calls.next()?.sequence == 1)
            #expect(throws: LogFormatError.recordSizeOutOfRange(size: 1, offset: offsets[1])) {
                try calls.next()
            }
            #expect(try calls.next() == nil)
            #expect(try calls.next() == nil)
        }
    }

    @Test("an unknown function id is reported with the record's offset")
    func unknownFunction() throws {
        let (writer, _, offsets) = fiveCalls()
        var bytes = writer.bytes()
        bytes[offsets[1] + 2] = 0xe7
        bytes[offsets[1] + 3] = 0x03
        let result = try decodeLog(bytes)
        #expect(SimpleCalls.markers(result.calls) == [1])
        #expect(result.error == .unknownFunction(id: 999, offset: offsets[1]))
    }

    @Test("argument bytes that do not parse are reported with the function and parameter")
    func malformedArgument() throws {
        var writer = TestLogWriter()
        let t0 = writer.monotonicOrigin
        var arguments = ByteWriter()
        arguments.uvarint(1)
        arguments.u8(0x18)  // in buffer: length and content present...
        arguments.uvarint(4)
        arguments.uvarint(200)  // ...but the content claims 200 bytes
        writer.addCalls(threadID: 1, index: 0, baseTime: t0, [
            SimpleCalls.close(t0 + 1, marker: 1),
            TestLogWriter.Call(function: 44, start: t0 + 2, arguments: arguments.bytes),
        ])
        let result = try decodeLog(writer.bytes())
        #expect(SimpleCalls.markers(result.calls) == [1])
        guard case .malformedArgument(let function, let parameter, _, .countTooLarge(200)) = result.error else {
            Issue.record("unexpected \(String(describing: result.error))")
            return
        }
        #expect(function == "C_Sign")
        #expect(parameter == "pData")
    }

    @Test("bytes left over after the last argument are reported")
    func trailingBytes() throws {
        var writer = TestLogWriter()
        let t0 = writer.monotonicOrigin
        var call = SimpleCalls.close(t0 + 1, marker: 1)
        call.arguments += [0, 0]
        writer.addCalls(threadID: 1, index: 0, baseTime: t0, [call])
        let result = try decodeLog(writer.bytes())
        #expect(result.calls.isEmpty)
        #expect(result.error == .trailingBytes(count: 2, offset: writer.headerSize + 32 + 10))
    }

    @Test("an unknown format version is refused at open, naming the version")
    func unknownVersion() throws {
        var writer = TestLogWriter()
        writer.version = 3
        let result = try decodeLog(writer.bytes())
        #expect(result.error == .unsupportedVersion(found: 3))
        #expect(result.error?.description.contains("version 3") == true)
    }

    @Test("a file that is not a log is refused")
    func notALog() throws {
        #expect(try decodeLog(Array("hello, world, this is text".utf8)).error == .notALog)
        #expect(try decodeLog([]).error == .truncatedHeader(fileSize: 0))
        #expect(try decodeLog(Array("P11TR".utf8)).error == .truncatedHeader(fileSize: 5))
    }

    @Test("impossible chunk sizes are refused", arguments: [0, 8, 0x7fff_ffff])
    func badChunkSize(size: Int) throws {
        var bytes = TestLogWriter().bytes()
        for index in 0..<4 { bytes[16 + index] = UInt8(truncatingIfNeeded: size >> (8 * index)) }
        #expect(try decodeLog(bytes).error == .invalidHeader(field: .chunkSize, value: UInt64(size)))
    }

    @Test("all-zero chunks are unused and skipped without error")
    func zeroChunks() throws {
        var (writer, _, _) = fiveCalls()
        writer.addUnusedChunk()
        writer.addUnusedChunk()
        let result = try decodeLog(writer.bytes())
        #expect(result.error == nil)
        #expect(SimpleCalls.markers(result.calls) == [1, 2, 3, 4, 5])
    }

    @Test("a record of size 0 ends its chunk normally")
    func zeroSizeRecord() throws {
        let (writer, _, offsets) = fiveCalls()
        var bytes = writer.bytes()
        bytes[offsets[3]] = 0
        bytes[offsets[3] + 1] = 0
        let result = try decodeLog(bytes)
        #expect(result.error == nil)
        #expect(SimpleCalls.markers(result.calls) == [1, 2, 3])
    }

    @Test("damage in one thread stops the merge at its time; earlier calls of others come first")
    func damageStopsAtItsTime() throws {
        var writer = TestLogWriter()
        let t0 = writer.monotonicOrigin
        var broken = SimpleCalls.close(t0 + 1_500, marker: 99)
        broken.function = 999
        writer.addCalls(threadID: 1, index: 0, baseTime: t0, [
            SimpleCalls.close(t0 + 1_100, marker: 1), SimpleCalls.close(t0 + 1_300, marker: 3), broken,
        ])
        writer.addCalls(threadID: 2, index: 0, baseTime: t0, [
            SimpleCalls.close(t0 + 1_200, marker: 2), SimpleCalls.close(t0 + 1_400, marker: 4),
            SimpleCalls.close(t0 + 1_600, marker: 5),
        ])
        let result = try decodeLog(writer.bytes())
        #expect(SimpleCalls.markers(result.calls) == [1, 2, 3, 4])
        if case .unknownFunction(999, _) = result.error {} else { Issue.record("\(String(describing: result.error))") }
    }

    @Test("a bad chunk header is reported after the calls of the good chunks")
    func badChunkMagic() throws {
        var (writer, _, _) = fiveCalls()
        writer.addChunk(kind: 1, threadID: 2, index: 0, baseTime: writer.monotonicOrigin, body: [])
        var bytes = writer.bytes()
        let offset = writer.headerSize + writer.chunkSize
        bytes[offset] = 0x58
        let result = try decodeLog(bytes)
        #expect(SimpleCalls.markers(result.calls) == [1, 2, 3, 4, 5])
        #expect(result.error == .badChunkMagic(offset: offset))
    }

    @Test("a damaged module record leaves calls readable and is reported at the end")
    func damagedMetadata() throws {
        var (writer, _, _) = fiveCalls()
        writer.addChunk(kind: 2, threadID: 0, index: 0, baseTime: 0, body: [5, 0, 7, 0, 1])
        let result = try decodeLog(writer.bytes())
        #expect(result.calls.count == 5)
        #expect(result.calls.first?.moduleName == "module#0")
        #expect(result.error == .unknownMetadataType(type: 7, offset: writer.headerSize + writer.chunkSize + 32))
    }

    @Test("error descriptions name what is wrong")
    func descriptions() {
        #expect(LogFormatError.truncatedRecord(offset: 70000).description == "file ends inside a record")
        #expect(LogFormatError.unknownFunction(id: 999, offset: 1).description == "unknown function id 999")
        #expect(LogFormatError.cannotOpen(path: "/x", errno: 2).description == "cannot open /x: No such file or directory")
        #expect(LogFormatError.cannotOpen(path: "/x", errno: 2).offset == nil)
    }

    @Test("a missing file and a directory are refused")
    func notAFile() {
        #expect(throws: LogFormatError.cannotOpen(path: "/nonexistent/p11trace.bin", errno: 2)) {
            try LogReader(path: "/nonexistent/p11trace.bin")
        }
        #expect(throws: LogFormatError.notARegularFile(path: "/")) { try LogReader(path: "/") }
    }
}
