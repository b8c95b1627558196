/// A traced call reduced to what the analyses (`stats`) read: the fixed fields of its record
/// and the few facts they take from its arguments. It holds no reference-counted storage, so
/// a log of millions of calls is summarised without allocating or retaining per call.
///
/// ``LogReader/summaries()`` decodes them straight from the log (see ``ChunkDecoder``): only
/// the arguments a summary needs are read, so damage inside the other argument bytes of a
/// record goes unnoticed there; `decode` and `check` read every byte.
public struct CallSummary: Hashable, Sendable {
    /// The call's number: 1, 2, 3... in order of start time, as ``DecodedCall/sequence``.
    public var sequence: Int
    /// The start time, `CLOCK_MONOTONIC` ns.
    public var startNanoseconds: UInt64
    /// How long the call took, ns.
    public var durationNanoseconds: UInt64
    /// The kernel tid of the calling thread.
    public var threadID: UInt32
    /// The module's index in the log's module table.
    public var moduleIndex: UInt8
    /// The function's log-format id (``FunctionSchema/id``).
    public var functionID: UInt16
    /// What the module returned.
    public var returnValue: ReturnValue
    /// The record's flags.
    public var flags: CallFlags
    /// The file offset of the record.
    public var fileOffset: Int
    /// The first `session` argument (the session the call works on).
    public var session: UInt64?
    /// The first session handle the call names: a `session` argument, or the handle a
    /// `C_OpenSession` returned (``CallFilter``'s sessions of a call).
    public var namedSession: UInt64?
    /// The mechanism type passed, for a call with a mechanism argument.
    public var mechanism: UInt64?
    /// Whether a mechanism argument was NULL (a 3.0 cancellation of an operation).
    public var hasNullMechanism: Bool
    /// Whether the call only asked for an output length (``DecodedCall`` `isLengthQuery`).
    public var isLengthQuery: Bool
    /// The OpenSSL async job's number (``CallContext/job``), 0 outside any job.
    public var job: UInt64
    /// The return address of the call into the module (``CallContext/callerAddress``, 0 =
    /// not recorded); ``LogReader/callerName(address:)`` names its library.
    public var callerAddress: UInt64

    /// The raw job addresses, until ``number(_:contexts:libraries:)`` numbers them.
    var hasContext: Bool
    var jobAddress: UInt64
    var waitContextAddress: UInt64

    /// The function's schema.
    public var function: FunctionSchema {
        FunctionSchema.byID(functionID) ?? FunctionSchema(id: functionID, name: "C_#\(functionID)", since: "", arguments: [])
    }

    /// The summary of a fully decoded call.
    public init(_ call: DecodedCall) {
        sequence = call.sequence
        startNanoseconds = call.startNanoseconds
        durationNanoseconds = call.durationNanoseconds
        threadID = call.threadID
        moduleIndex = call.moduleIndex
        functionID = call.function.id
        returnValue = call.returnValue
        flags = call.flags
        fileOffset = call.fileOffset
        session = OperationSpanGrouper.session(of: call)
        namedSession = CallFilter.sessionHandles(of: call).first
        mechanism = OperationSpanGrouper.mechanism(of: call)
        hasNullMechanism = OperationSpanGrouper.hasNullMechanism(call)
        isLengthQuery = call.isLengthQuery
        job = call.context?.job ?? 0
        hasContext = call.context != nil
        jobAddress = call.context?.jobAddress ?? 0
        waitContextAddress = call.context?.waitContextAddress ?? 0
        callerAddress = call.context?.callerAddress ?? 0
    }

    /// A summary of the fixed fields alone; `session` is the first argument's value if given.
    init(_ fields: RecordFields, session: UInt64?) {
        sequence = 0
        startNanoseconds = fields.startNanoseconds
        durationNanoseconds = fields.durationNanoseconds
        threadID = fields.threadID
        moduleIndex = fields.moduleIndex
        functionID = FunctionSchema.table[fields.functionIndex].id
        returnValue = fields.returnValue
        flags = fields.flags
        fileOffset = fields.fileOffset
        self.session = session
        namedSession = session
        mechanism = nil
        hasNullMechanism = false
        isLengthQuery = false
        job = 0
        hasContext = fields.hasContext
        jobAddress = fields.jobAddress
        waitContextAddress = fields.waitContextAddress
        callerAddress = fields.callerAddress
    }
}
