/// The calls of one thread: its chunks in index order, decoded a chunk at a time.
///
/// Within a thread, a nested call's outer record is written after the inner one but started
/// before it, so records are not always in start order. The stream keeps the chunk after the
/// one holding its earliest pending call decoded too (a two-chunk reorder window) and hands
/// out pending calls in start order.
struct ThreadStream<Record: ChunkRecord> {
    /// What the stream offers next.
    enum Head {
        case call(MergeKey)
        case damage(MergeKey)
    }

    let threadID: UInt32
    let generation: Int
    /// The thread's chunks, ordered by their per-thread index.
    let chunks: [ChunkLocation]
    private var nextChunk = 0
    /// Decoded calls, in start order; those before `first` have been handed out (they are
    /// dropped when they make up half the array, so that it is reused, not reallocated).
    private var pending: [PendingCall<Record>] = []
    private var first = 0
    private var damage: StreamDamage?

    init(threadID: UInt32, generation: Int, chunks: [ChunkLocation]) {
        self.threadID = threadID
        self.generation = generation
        self.chunks = chunks
    }

    /// The same thread's chunks, not yet decoded, as a stream of another record type.
    func restarted<Other: ChunkRecord>(as _: Other.Type) -> ThreadStream<Other> {
        ThreadStream<Other>(threadID: threadID, generation: generation, chunks: chunks)
    }

    /// The earliest pending call, else the damage that ends the stream, else `nil` at its end.
    var head: Head? {
        if first < pending.count { return .call(pending[first].key) }
        if let damage { return .damage(damage.key) }
        return nil
    }

    /// Decodes chunks until the chunk after the earliest pending call's chunk is decoded,
    /// the thread has no more chunks, or damage stops it.
    mutating func fill(file: LogFile, decoder: ChunkDecoder) {
        while damage == nil, nextChunk < chunks.count, first == pending.count || pending[first].key.chunk + 1 >= nextChunk {
            let chunk = chunks[nextChunk]
            do throws(LogFormatError) {
                let bytes = try file.read(at: chunk.offset, count: chunk.available)
                if first > 0, first * 2 >= pending.count {
                    pending.removeSubrange(0..<first)
                    first = 0
                }
                let appended = pending.count
                damage = decoder.decode(chunk, bytes: bytes, position: nextChunk, generation: generation, into: &pending)
                // Records are in start order but for nested calls: sort only when needed.
                if !Self.isOrdered(pending[max(first, appended - 1)...]) {
                    pending[first...].sort { $0.key < $1.key }
                }
            } catch {
                let key = MergeKey(start: decoder.header.monotonic(clock: chunk.baseTime), threadID: threadID,
                                   generation: generation, chunk: nextChunk, record: 0)
                damage = StreamDamage(key: key, error: error)
            }
            nextChunk += 1
        }
    }

    /// Removes and returns the earliest pending call.
    mutating func popCall() -> Record? {
        guard first < pending.count else { return nil }
        first += 1
        return pending[first - 1].call.take()
    }

    /// Whether `calls` are in merge-key order.
    private static func isOrdered(_ calls: ArraySlice<PendingCall<Record>>) -> Bool {
        var previous = calls.startIndex
        for index in calls.indices.dropFirst() {
            if calls[index].key < calls[previous].key { return false }
            previous = index
        }
        return true
    }

    /// How many of the thread's chunks have been decoded so far.
    var decodedChunks: Int { nextChunk }

    /// The damage that ends the stream, if any.
    var damageError: LogFormatError? { damage?.error }
}
