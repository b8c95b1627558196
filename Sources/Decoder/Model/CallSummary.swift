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
    /// What the module returned.
    public var returnValue: ReturnValue
    /// The file offset of the record.
    public var fileOffset: Int
    /// The OpenSSL async job's number (``CallContext/job``), 0 outside any job. (Until
    /// ``number(_:contexts:libraries:)`` numbers it, the raw `ASYNC_JOB` address.)
    public var job: UInt64
    /// The return address of the call into the module (``CallContext/callerAddress``, 0 =
    /// not recorded); ``LogReader/callerName(address:)`` names its library.
    public var callerAddress: UInt64
    /// The raw `ASYNC_WAIT_CTX` address, for numbering the job.
    var waitContextAddress: UInt64
    // The optional values and the booleans below, kept as plain words and one byte of bits
    // so that the summary stays small (it is copied a few times per call on the way out).
    private var sessionValue: UInt64 = 0
    private var namedSessionValue: UInt64 = 0
    private var mechanismValue: UInt64 = 0
    /// The kernel tid of the calling thread.
    public var threadID: UInt32
    /// The function's log-format id (``FunctionSchema/id``).
    public var functionID: UInt16
    /// The module's index in the log's module table.
    public var moduleIndex: UInt8
    /// The record's flags.
    public var flags: CallFlags
    private var bits: UInt8 = 0

    private static let hasSessionBit: UInt8 = 1 << 0
    private static let hasNamedSessionBit: UInt8 = 1 << 1
    private static let hasMechanismBit: UInt8 = 1 << 2
    private static let hasNullMechanismBit: UInt8 = 1 << 3
    private static let isLengthQueryBit: UInt8 = 1 << 4
    private static let hasContextBit: UInt8 = 1 << 5

    private func bit(_ mask: UInt8) -> Bool { bits & mask != 0 }

    private mutating func setBit(_ mask: UInt8, _ value: Bool) {
        bits = value ? bits | mask : bits & ~mask
    }

    /// The first `session` argument (the session the call works on).
    public var session: UInt64? {
        get { bit(Self.hasSessionBit) ? sessionValue : nil }
        set { sessionValue = newValue ?? 0; setBit(Self.hasSessionBit, newValue != nil) }
    }
    /// The first session handle the call names: a `session` argument, or the handle a
    /// `C_OpenSession` returned (``CallFilter``'s sessions of a call).
    public var namedSession: UInt64? {
        get { bit(Self.hasNamedSessionBit) ? namedSessionValue : nil }
        set { namedSessionValue = newValue ?? 0; setBit(Self.hasNamedSessionBit, newValue != nil) }
    }
    /// The mechanism type passed, for a call with a mechanism argument.
    public var mechanism: UInt64? {
        get { bit(Self.hasMechanismBit) ? mechanismValue : nil }
        set { mechanismValue = newValue ?? 0; setBit(Self.hasMechanismBit, newValue != nil) }
    }
    /// Whether a mechanism argument was NULL (a 3.0 cancellation of an operation).
    public var hasNullMechanism: Bool {
        get { bit(Self.hasNullMechanismBit) }
        set { setBit(Self.hasNullMechanismBit, newValue) }
    }
    /// Whether the call only asked for an output length (``DecodedCall`` `isLengthQuery`).
    public var isLengthQuery: Bool {
        get { bit(Self.isLengthQueryBit) }
        set { setBit(Self.isLengthQueryBit, newValue) }
    }
    /// Whether the record carries a call context (every record of format 2).
    var hasContext: Bool {
        get { bit(Self.hasContextBit) }
        set { setBit(Self.hasContextBit, newValue) }
    }

    /// The function's schema, `nil` for an id this decoder does not know (a summary read from
    /// a log always has one: the decoder stops at an unknown function).
    public var function: FunctionSchema? {
        FunctionSchema.byID(functionID)
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
        job = call.context?.job ?? 0
        waitContextAddress = call.context?.waitContextAddress ?? 0
        callerAddress = call.context?.callerAddress ?? 0
        session = OperationSpanGrouper.session(of: call)
        namedSession = CallFilter.sessionHandles(of: call).first
        mechanism = OperationSpanGrouper.mechanism(of: call)
        hasNullMechanism = OperationSpanGrouper.hasNullMechanism(call)
        isLengthQuery = call.isLengthQuery
        hasContext = call.context != nil
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
        job = fields.jobAddress
        waitContextAddress = fields.waitContextAddress
        callerAddress = fields.callerAddress
        self.session = session
        namedSession = session
        hasContext = fields.hasContext
    }
}
