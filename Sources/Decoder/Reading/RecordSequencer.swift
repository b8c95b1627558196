/// Puts the records of a ``CallRecordSource`` in sequence order.
///
/// An LTTng event is written when its call ends, so the events of calls that overlap (other
/// threads, nested calls) come in the order the calls ended. The sequencer holds back records
/// until every lower sequence number has been handed out: it holds only the calls that
/// overlapped a still-running one. A number that never comes (an event LTTng discarded) holds
/// back the rest until the end of the trace, where everything left goes out in order.
struct RecordSequencer {
    private let source: any CallRecordSource
    private var pending = MinHeap<Entry>()
    private var expected: UInt64
    private var exhausted = false

    private struct Entry: Comparable {
        var record: CallRecord

        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.record.sequence < rhs.record.sequence }
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.record.sequence == rhs.record.sequence }
    }

    init(source: any CallRecordSource) {
        self.source = source
        self.expected = source.firstSequence
    }

    /// The source's damage at its end, once every record was handed out.
    var damageAtEnd: LogFormatError? { source.damageAtEnd }

    /// The next record in sequence order, or `nil` after the last one.
    mutating func next() throws(LogFormatError) -> CallRecord? {
        while !exhausted {
            if let head = pending.min, head.record.sequence <= expected { break }
            guard let record = try source.next() else {
                exhausted = true
                break
            }
            pending.insert(Entry(record: record))
        }
        guard let entry = pending.popMin() else { return nil }
        expected = max(expected, entry.record.sequence) + 1
        return entry.record
    }
}
