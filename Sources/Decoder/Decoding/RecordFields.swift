/// The fixed fields of a call record (docs/log-format.md, "Call records"): everything before
/// the arguments, decoded by ``ChunkDecoder`` for every record whatever is made of it next.
struct RecordFields {
    /// The file offset of the record.
    var fileOffset: Int
    /// The function's index in ``FunctionSchema/table``.
    var functionIndex: Int
    /// The module's index in the log's module table.
    var moduleIndex: UInt8
    /// The record's flags.
    var flags: CallFlags
    /// The start time, `CLOCK_MONOTONIC` ns.
    var startNanoseconds: UInt64
    /// How long the call took, ns.
    var durationNanoseconds: UInt64
    /// What the module returned.
    var returnValue: ReturnValue
    /// The kernel tid of the calling thread.
    var threadID: UInt32
    /// Whether the record carries a call context (always in format 2).
    var hasContext: Bool
    /// The raw `ASYNC_JOB` address (0: none).
    var jobAddress: UInt64
    /// The raw `ASYNC_WAIT_CTX` address (0: none).
    var waitContextAddress: UInt64
    /// The raw caller address (0: not recorded).
    var callerAddress: UInt64

    /// The context as the full call model holds it, addresses only.
    var context: CallContext? {
        hasContext ? CallContext(jobAddress: jobAddress, waitContextAddress: waitContextAddress,
                                 callerAddress: callerAddress) : nil
    }
}
