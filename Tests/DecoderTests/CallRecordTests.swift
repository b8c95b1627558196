import Testing
@testable import Decoder

/// A source of self-contained records in a given order, standing in for an LTTng trace.
final class ListedRecords: CallRecordSource {
    private var records: [CallRecord]
    let firstSequence: UInt64
    let damageAtEnd: LogFormatError?

    init(_ records: [CallRecord], first: UInt64 = 1, damage: LogFormatError? = nil) {
        self.records = records
        self.firstSequence = first
        self.damageAtEnd = damage
    }

    func next() throws(LogFormatError) -> CallRecord? {
        guard !records.isEmpty else { return nil }
        return records.removeFirst()
    }
}

@Suite("Call records (LTTng events)")
struct CallRecordTests {
    private let origin: UInt64 = 5_000_000_000

    /// `C_CloseSession` number `sequence` on `thread`, its duration the marker, as the LTTng
    /// backend encodes it (start delta 0 from its own start, caller delta from 0).
    private func record(_ sequence: UInt64, start: UInt64, marker: UInt64, thread: UInt32 = 7,
                        caller: UInt64 = 0x1000) -> CallRecord {
        var call = SimpleCalls.close(start, marker: marker)
        call.context = (0, 0, caller)
        return CallRecord(sequence: sequence, threadID: thread, start: start,
                          bytes: TestLogWriter.record(call, previousStart: start, version: 2))
    }

    private func reader(_ source: @escaping () -> ListedRecords) -> LogReader {
        let header = LogHeader(process: 4242, parentPID: 1, capture: 0, ulongSize: 8, monotonicOrigin: origin,
                               wallClockOrigin: 1_700_000_000_000_000_000, processName: "pkcs11-tool",
                               executablePath: "/usr/bin/pkcs11-tool", commandLine: "", writerVersion: "test")
        let modules = [ModuleInfo(index: 0, path: "/usr/lib/softhsm/libsofthsm2.so", loadMethod: 1, caller: nil)]
        let libraries = LibraryMap(objects: [LoadedObject(snapshot: 1, start: 0x800, end: 0x2000, path: "/usr/bin/pkcs11-tool")])
        return LogReader(path: "trace", header: header, modules: modules, libraries: libraries) { source() }
    }

    private func all(_ reader: LogReader) throws -> [DecodedCall] {
        var iterator = reader.calls()
        var calls: [DecodedCall] = []
        while let call = try iterator.next() { calls.append(call) }
        return calls
    }

    @Test("records come out in sequence order whatever order their events ended in, numbered 1, 2, 3...")
    func order() throws {
        // Call 2 (thread 8) started before 3 and 4 (thread 7) but ended after them.
        let events = [record(1, start: origin + 100, marker: 1), record(3, start: origin + 300, marker: 3),
                      record(4, start: origin + 400, marker: 4), record(2, start: origin + 200, marker: 2, thread: 8),
                      record(5, start: origin + 900, marker: 5)]
        let calls = try all(reader { ListedRecords(events) })
        #expect(SimpleCalls.markers(calls) == [1, 2, 3, 4, 5])
        #expect(calls.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(calls.map(\.threadID) == [7, 8, 7, 7, 7])
        #expect(calls[1].startNanoseconds == origin + 200)
    }

    @Test("a thread preempted between taking its number and reading the clock: calls still come in start order")
    func numberedBeforeStarted() throws {
        // Call 2 took its number after call 1 did, but call 1's thread read the clock later.
        let events = [record(2, start: origin + 100, marker: 2, thread: 8), record(1, start: origin + 150, marker: 1),
                      record(3, start: origin + 400, marker: 3)]
        let calls = try all(reader { ListedRecords(events) })
        #expect(SimpleCalls.markers(calls) == [2, 1, 3])
        #expect(calls.map(\.sequence) == [1, 2, 3])
        #expect(calls.map(\.startNanoseconds) == [origin + 100, origin + 150, origin + 400])
    }

    @Test("start-order holding is bounded: a record goes out once a later start is a horizon past it")
    func horizon() throws {
        let late = origin + RecordSequencer.horizon + 1_000
        var source = RecordSequencer(source: ListedRecords([record(1, start: origin + 10, marker: 1),
                                                            record(2, start: late, marker: 2)]))
        // Record 1 can go out as soon as record 2 (a horizon later) has been read.
        #expect(try source.next()?.sequence == 1)
        #expect(try source.next()?.sequence == 2)
        #expect(try source.next() == nil)
    }

    @Test("the same call decodes alike from a log chunk and from an event's record")
    func sameAsLog() throws {
        var writer = TestLogWriter()
        writer.version = 2
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        writer.addLibraries([(1, 0x800, 0x2000, "/usr/bin/pkcs11-tool")])
        var call = SimpleCalls.close(origin + 100, marker: 9)
        call.context = (0, 0, 0x1000)
        writer.addCalls(threadID: 7, index: 0, baseTime: origin, [call])
        let fromLog = try decodeLog(writer.bytes()).calls
        let fromEvents = try all(reader { ListedRecords([self.record(1, start: self.origin + 100, marker: 9)]) })
        #expect(fromLog.count == 1 && fromEvents.count == 1)
        var a = try #require(fromLog.first), b = try #require(fromEvents.first)
        a.fileOffset = 0
        b.fileOffset = 0
        #expect(a == b)
        #expect(b.context?.callerPath == "/usr/bin/pkcs11-tool")
        #expect(b.moduleName == "softhsm2")
    }

    @Test("a missing number holds back later records only until the end; tracing begun late starts at its first number")
    func gapsAndLateStart() throws {
        let gap = [record(11, start: origin + 100, marker: 1), record(13, start: origin + 300, marker: 3),
                   record(14, start: origin + 400, marker: 4)]
        let calls = try all(reader { ListedRecords(gap, first: 11) })
        #expect(SimpleCalls.markers(calls) == [1, 3, 4])
        #expect(calls.map(\.sequence) == [1, 2, 3])
    }

    @Test("discarded events are reported after the last call; a damaged record names its call")
    func damage() throws {
        var iterator = reader { ListedRecords([self.record(1, start: self.origin, marker: 1)], damage: .eventsDiscarded(count: 3)) }.calls()
        #expect(try iterator.next() != nil)
        #expect(throws: LogFormatError.eventsDiscarded(count: 3)) { try iterator.next() }
        #expect(try iterator.next() == nil)

        var bad = record(1, start: origin, marker: 1)
        bad.bytes[2] = 0xEE  // function id 0x..EE: not in the table
        var damaged = reader { ListedRecords([bad]) }.calls()
        #expect(throws: LogFormatError.damagedEvent(sequence: 1, damage: .unknownFunction(id: 0xEE, offset: 0))) {
            try damaged.next()
        }
        let message = LogFormatError.damagedEvent(sequence: 1, damage: .unknownFunction(id: 0xEE, offset: 0)).message(path: "t")
        #expect(message == "t: damaged event of call 1: unknown function id 238 at record offset 0")
    }
}
