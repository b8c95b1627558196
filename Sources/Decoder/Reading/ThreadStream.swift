/// The calls of one thread: its chunks in index order, decoded a chunk at a time.
///
/// Within a thread, a nested call's outer record is written after the inner one but started
/// before it, so records are not always in start order. The stream keeps the chunk after the
/// one holding its earliest pending call decoded too (a two-chunk reorder window) and hands
/// out pending calls in start order.
struct ThreadStream {
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
    /// Decoded calls not yet handed out, latest first (so the earliest is `last`).
    private var pending: [PendingCall] = []
    private var damage: StreamDamage?

    init(threadID: UInt32, generation: Int, chunks: [ChunkLocation]) {
        self.threadID = threadID
        self.generation = generation
        self.chunks = chunks
    }

    /// The earliest pending call, else the damage that ends the stream, else `nil` at its end.
    var head: Head? {
        if let call = pending.last { return .call(call.key) }
        if let damage { return .damage(damage.key) }
        return nil
    }

    /// Decodes chunks until the chunk after the earliest pending call's chunk is decoded,
    /// the thread has no more chunks, or damage stops it.
    mutating func fill(file: LogFile, decoder: ChunkDecoder) {
        while damage == nil, nextChunk < chunks.count, pending.last.map({ $0.key.chunk + 1 >= nextChunk }) ?? true {
            let chunk = chunks[nextChunk]
            do throws(LogFormatError) {
                let bytes = try file.read(at: chunk.offset, count: chunk.available)
                let decoded = decoder.decode(chunk, bytes: bytes, position: nextChunk, generation: generation)
                pending.append(contentsOf: decoded.calls)
                pending.sort { $0.key > $1.key }
                damage = decoded.damage
            } catch {
                let key = MergeKey(start: decoder.header.monotonic(clock: chunk.baseTime), threadID: threadID,
                                   generation: generation, chunk: nextChunk, record: 0)
                damage = StreamDamage(key: key, error: error)
            }
            nextChunk += 1
        }
    }

    /// Removes and returns the earliest pending call.
    mutating func popCall() -> DecodedCall? {
        pending.popLast()?.call
    }

    /// How many of the thread's chunks have been decoded so far.
    var decodedChunks: Int { nextChunk }

    /// The damage that ends the stream, if any.
    var damageError: LogFormatError? { damage?.error }
}
