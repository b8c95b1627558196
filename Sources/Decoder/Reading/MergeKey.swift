/// The order calls are numbered in: start time, then thread, then position in the thread.
struct MergeKey: Comparable, Hashable {
    /// Monotonic start time, ns.
    var start: UInt64
    /// The writing thread.
    var threadID: UInt32
    // Narrow fields keep the key at 24 bytes: it is copied with every pending call and in
    // the merge heap. A thread's chunks and a chunk's records number far below 2^32.
    private var generationNumber: UInt32
    private var chunkNumber: UInt32
    private var recordNumber: UInt32

    /// - Parameters:
    ///   - generation: Which of the thread streams with this tid (a tid can be reused by a later thread).
    ///   - chunk: The chunk's position among the stream's chunks.
    ///   - record: The record's position in its chunk.
    init(start: UInt64, threadID: UInt32, generation: Int, chunk: Int, record: Int) {
        self.start = start
        self.threadID = threadID
        generationNumber = UInt32(truncatingIfNeeded: generation)
        chunkNumber = UInt32(truncatingIfNeeded: chunk)
        recordNumber = UInt32(truncatingIfNeeded: record)
    }

    /// The chunk's position among the stream's chunks.
    var chunk: Int { Int(chunkNumber) }

    static func < (lhs: MergeKey, rhs: MergeKey) -> Bool {
        (lhs.start, lhs.threadID, lhs.generationNumber, lhs.chunkNumber, lhs.recordNumber)
            < (rhs.start, rhs.threadID, rhs.generationNumber, rhs.chunkNumber, rhs.recordNumber)
    }
}

/// A decoded call (or call summary) waiting to be numbered; `call` is `nil` once handed out
/// (moved out of the stream's array rather than copied).
struct PendingCall<Record> {
    var key: MergeKey
    var call: Record?
}

/// Damage found in a thread's stream, placed in time where the stream's calls stop.
struct StreamDamage {
    var key: MergeKey
    var error: LogFormatError
}
