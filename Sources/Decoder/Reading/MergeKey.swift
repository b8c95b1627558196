/// The order calls are numbered in: start time, then thread, then position in the thread.
struct MergeKey: Comparable, Hashable {
    /// Monotonic start time, ns.
    var start: UInt64
    /// The writing thread.
    var threadID: UInt32
    /// Which of the thread streams with this tid (a tid can be reused by a later thread).
    var generation: Int
    /// The chunk's position among the stream's chunks.
    var chunk: Int
    /// The record's position in its chunk.
    var record: Int

    static func < (lhs: MergeKey, rhs: MergeKey) -> Bool {
        (lhs.start, lhs.threadID, lhs.generation, lhs.chunk, lhs.record)
            < (rhs.start, rhs.threadID, rhs.generation, rhs.chunk, rhs.record)
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
