/// Hands out a log's calls in start order, numbering them 1, 2, 3..., numbering their async
/// jobs and wait contexts in order of first appearance and naming their callers' libraries.
///
/// Merges the thread streams by their earliest pending call. When the stream that is due
/// next is damaged, ``next()`` throws that damage once and then returns `nil`: every call
/// before the damage has been handed out. Damage outside any thread's stream (a bad chunk
/// header, a bad metadata record, a file cut between chunks) is thrown after the last call.
///
/// A reader of call records (an LTTng trace) hands out its records in sequence order instead
/// (``RecordSequencer``), each decoded by the same ``ChunkDecoder``.
public struct CallIterator {
    private let reader: LogReader
    private let decoder: ChunkDecoder
    private var streams: [ThreadStream] = []
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
        guard case .log(_, let streams, _) = reader.content else { return }
        self.streams = streams
        for index in streams.indices {
            schedule(index)
        }
    }

    /// Fills stream `index`'s window and queues its head.
    private mutating func schedule(_ index: Int) {
        guard case .log(let file, _, _) = reader.content else { return }
        streams[index].fill(file: file, decoder: decoder)
        switch streams[index].head {
        case .call(let key), .damage(let key):
            heap.insert(Entry(key: key, stream: index))
        case nil:
            break
        }
    }

    /// The next call.
    ///
    /// - Returns: The next call in start order, or `nil` after the last one.
    /// - Throws: ``LogFormatError`` for the first damage, once; then the iterator is finished.
    public mutating func next() throws(LogFormatError) -> DecodedCall? {
        guard !finished else { return nil }
        if case .records(let open) = reader.content { return try nextRecord(open) }
        guard let entry = heap.popMin() else {
            finished = true
            if case .log(_, _, let indexDamage) = reader.content, let damage = indexDamage.first { throw damage }
            return nil
        }
        guard var call = streams[entry.stream].popCall() else {
            finished = true
            if let damage = streams[entry.stream].damageError { throw damage }
            return nil
        }
        schedule(entry.stream)
        call.sequence = nextSequence
        nextSequence += 1
        if let context = call.context { call.context = contexts.resolve(context, libraries: reader.libraries) }
        return call
    }

    /// The next call of a reader of call records.
    private mutating func nextRecord(_ open: () throws(LogFormatError) -> any CallRecordSource)
        throws(LogFormatError) -> DecodedCall?
    {
        do throws(LogFormatError) {
            if sequencer == nil { sequencer = RecordSequencer(source: try open()) }
            // Moved out and back, so that its heaps stay uniquely referenced (no copy per call).
            guard var records = sequencer else { return nil }
            sequencer = nil
            defer { sequencer = records }
            guard let record = try records.next() else {
                finished = true
                if let damage = records.damageAtEnd { throw damage }
                return nil
            }
            var call = try decoder.decode(record).get()
            call.sequence = nextSequence
            nextSequence += 1
            if let context = call.context { call.context = contexts.resolve(context, libraries: reader.libraries) }
            return call
        } catch {
            finished = true
            throw error
        }
    }
}
