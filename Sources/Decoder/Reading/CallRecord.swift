/// One self-contained call record from outside a log file, as an LTTng `p11trace:call` event
/// carries it (docs/lttng.md): the record's bytes exactly as a chunk would hold them
/// (docs/log-format.md, "Call records"), with its start delta relative to ``start`` and its
/// caller delta relative to 0.
public struct CallRecord: Sendable {
    /// The call's number in its process, in the order calls began (1, 2, 3...).
    public var sequence: UInt64
    /// The kernel tid of the calling thread.
    public var threadID: UInt32
    /// The call's start, `CLOCK_MONOTONIC` ns.
    public var start: UInt64
    /// The record, `size` field included.
    public var bytes: [UInt8]

    /// Creates a record.
    public init(sequence: UInt64, threadID: UInt32, start: UInt64, bytes: [UInt8]) {
        self.sequence = sequence
        self.threadID = threadID
        self.start = start
        self.bytes = bytes
    }
}
