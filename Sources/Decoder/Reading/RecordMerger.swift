/// Hands out a log's records (calls or call summaries) in start order, numbering them 1, 2,
/// 3..., numbering their async jobs and naming their callers' libraries: the machinery behind
/// ``CallIterator`` and ``CallSummaryIterator``.
///
/// Merges the thread streams by their earliest pending record. When the stream that is due
/// next is damaged, ``next()`` throws that damage once and then returns `nil`: every record
/// before the damage has been handed out. Damage outside any thread's stream (a bad chunk
/// header, a bad metadata record, a file cut between chunks) is thrown after the last record.
///
/// A reader of call records (an LTTng trace) hands out its records in sequence order instead
/// (``RecordSequencer``), each decoded by the same ``ChunkDecoder``.
struct RecordMerger<Record: ChunkRecord> {
    private let reader: LogReader
    private let decoder: ChunkDecoder
    private var streams: [ThreadStream<Record>]
    private var heap = MinHeap<Entry>()
    private var nextSequence = 1
    private var contexts = ContextNumbering()
    private var finished = false
    /// Reading call records: the sequencer once the source is open.
    private var sequencer: RecordSequencer?

    private struct Entry: Comparable {
        var key: MergeKey
        var stream: Int

        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.key < rhs.key }
    }

    init(reader: LogReader) {
        self.reader = reader
        self.decoder = ChunkDecoder(
            header: reader.header,
            modules: Dictionary(reader.modules.map { ($0.index, ($0.path, $0.shortName)) }) { first, _ in first })
        guard case .log(_, let streams, _) = reader.content else {
            self.streams = []
            return
        }
        self.streams = streams.map { $0.restarted(as: Record.self) }
        for index in self.streams.indices {
            schedule(index)
        }
    }

    /// Fills stream `index`'s window and queues its head.
    private mutating func schedule(_ index: Int) {
        if let key = refill(index) { heap.insert(Entry(key: key, stream: index)) }
    }

    /// Fills stream `index`'s window; the key of its head, `nil` at its end.
    private mutating func refill(_ index: Int) -> MergeKey? {
        guard case .log(let file, _, _) = reader.content else { return nil }
        streams[index].fill(file: file, decoder: decoder)
        switch streams[index].head {
        case .call(let key), .damage(let key):
            return key
        case nil:
            return nil
        }
    }

    /// The next record in start order, or `nil` after the last one; throws the first damage, once.
    mutating func next() throws(LogFormatError) -> Record? {
        guard !finished else { return nil }
        if case .records(let open) = reader.content { return try nextRecord(open) }
        guard let entry = heap.min else {
            finished = true
            if case .log(_, _, let indexDamage) = reader.content, let damage = indexDamage.first { throw damage }
            return nil
        }
        guard var record = streams[entry.stream].popCall() else {
            finished = true
            if let damage = streams[entry.stream].damageError { throw damage }
            return nil
        }
        // The stream goes back where its entry was: one sift, none when it is still due first.
        if let key = refill(entry.stream) {
            heap.replaceMin(with: Entry(key: key, stream: entry.stream))
        } else {
            _ = heap.popMin()
        }
        record.number(nextSequence, contexts: &contexts, libraries: reader.libraries)
        nextSequence += 1
        return record
    }

    /// The next record of a reader of call records.
    private mutating func nextRecord(_ open: () throws(LogFormatError) -> any CallRecordSource)
        throws(LogFormatError) -> Record?
    {
        do throws(LogFormatError) {
            if sequencer == nil { sequencer = RecordSequencer(source: try open()) }
            // Moved out and back, so that its heaps stay uniquely referenced (no copy per call).
            guard var records = sequencer else { return nil }
            sequencer = nil
            defer { sequencer = records }
            guard let callRecord = try records.next() else {
                finished = true
                if let damage = records.damageAtEnd { throw damage }
                return nil
            }
            var record = try decoder.decode(callRecord, as: Record.self).get()
            record.number(nextSequence, contexts: &contexts, libraries: reader.libraries)
            nextSequence += 1
            return record
        } catch {
            finished = true
            throw error
        }
    }
}
