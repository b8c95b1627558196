/// Puts the records of a ``CallRecordSource`` in start order, as a binary log's calls are.
///
/// An LTTng event is written when its call ends, so the events of calls that overlap (other
/// threads, nested calls) come in the order the calls ended. Two stages put them back:
///
/// 1. By sequence number: a record is held back until every lower number has come, so only
///    calls that overlapped a still-running one are held. A number that never comes (an event
///    LTTng discarded) holds back the rest until the end of the trace.
/// 2. By start time: a thread takes its number just before it reads the start clock, and can
///    be preempted in between, so numbers follow starts only nearly. A call numbered after
///    another started no earlier than that other's start minus that delay. Records in number
///    order are therefore held until the latest start seen is ``horizon`` past theirs, then
///    handed out by start (ties by number): exact unless a thread stalled longer than the
///    horizon between the two, and holding at most the calls of one horizon.
struct RecordSequencer {
    /// How long a thread may stall between taking its number and reading the clock (ns).
    static let horizon: UInt64 = 100_000_000

    private let source: any CallRecordSource
    private var bySequence = MinHeap<BySequence>()
    private var byStart = MinHeap<ByStart>()
    private var expected: UInt64
    private var latestStart: UInt64 = 0
    private var sourceEnded = false
    private var sequenceEnded = false

    private struct BySequence: Comparable {
        var record: CallRecord

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.record.sequence < rhs.record.sequence }
        static func == (lhs: Self, rhs: Self) -> Bool { lhs.record.sequence == rhs.record.sequence }
    }

    private struct ByStart: Comparable {
        var record: CallRecord

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.record.start, lhs.record.sequence) < (rhs.record.start, rhs.record.sequence)
        }
        static func == (lhs: Self, rhs: Self) -> Bool {
            (lhs.record.start, lhs.record.sequence) == (rhs.record.start, rhs.record.sequence)
        }
    }

    init(source: any CallRecordSource) {
        self.source = source
        self.expected = source.firstSequence
    }

    /// The source's damage at its end, once every record was handed out.
    var damageAtEnd: LogFormatError? { source.damageAtEnd }

    /// The next record in start order, or `nil` after the last one.
    mutating func next() throws(LogFormatError) -> CallRecord? {
        while true {
            if let head = byStart.min, sequenceEnded || head.record.start &+ Self.horizon <= latestStart {
                return byStart.popMin()?.record
            }
            guard let record = try nextInSequence() else {
                sequenceEnded = true
                if byStart.isEmpty { return nil }
                continue
            }
            latestStart = max(latestStart, record.start)
            byStart.insert(ByStart(record: record))
        }
    }

    /// Stage 1: the next record in sequence order, or `nil` after the last one.
    private mutating func nextInSequence() throws(LogFormatError) -> CallRecord? {
        while !sourceEnded {
            if let head = bySequence.min, head.record.sequence <= expected { break }
            guard let record = try source.next() else {
                sourceEnded = true
                break
            }
            bySequence.insert(BySequence(record: record))
        }
        guard let entry = bySequence.popMin() else { return nil }
        expected = max(expected, entry.record.sequence) + 1
        return entry.record
    }
}
