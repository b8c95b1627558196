/// One traced PKCS#11 call, decoded from its record.
public struct DecodedCall: Hashable, Sendable {
    /// The call's number: 1, 2, 3... in order of start time (ties by thread, then record order).
    public var sequence: Int
    /// The start time, `CLOCK_MONOTONIC` ns.
    public var startNanoseconds: UInt64
    /// The start time, ns since the Unix epoch (from the header's clock calibration).
    public var wallClockNanoseconds: Int64
    /// How long the call took, ns.
    public var durationNanoseconds: UInt64
    /// The kernel tid of the calling thread.
    public var threadID: UInt32
    /// The module's index in the log's module table.
    public var moduleIndex: UInt8
    /// The module's path, if a metadata record described it.
    public var modulePath: String?
    /// The function called.
    public var function: FunctionSchema
    /// What the module returned.
    public var returnValue: ReturnValue
    /// The record's flags.
    public var flags: CallFlags
    /// The async job, wait context and caller, when the record has them.
    public var context: CallContext?
    /// The arguments in C parameter order.
    public var arguments: [DecodedArgument]
    /// The file offset of the record.
    public var fileOffset: Int

    /// Creates a call; `moduleName` defaults to the short name of `modulePath`.
    public init(sequence: Int, startNanoseconds: UInt64, wallClockNanoseconds: Int64, durationNanoseconds: UInt64,
                threadID: UInt32, moduleIndex: UInt8, modulePath: String?, function: FunctionSchema,
                returnValue: ReturnValue, flags: CallFlags, context: CallContext?, arguments: [DecodedArgument],
                fileOffset: Int, moduleName: String? = nil) {
        self.sequence = sequence
        self.startNanoseconds = startNanoseconds
        self.wallClockNanoseconds = wallClockNanoseconds
        self.durationNanoseconds = durationNanoseconds
        self.threadID = threadID
        self.moduleIndex = moduleIndex
        self.modulePath = modulePath
        self.moduleName = moduleName ?? modulePath.map(ModuleInfo.shortName(path:)) ?? "module#\(moduleIndex)"
        self.function = function
        self.returnValue = returnValue
        self.flags = flags
        self.context = context
        self.arguments = arguments
        self.fileOffset = fileOffset
    }

    /// The module's short name (`softhsm2`), or `module#N` when no metadata named it.
    public var moduleName: String

    /// The argument shown under `name`, if any.
    public func argument(_ name: String) -> DecodedArgument? {
        arguments.first { $0.schema.names.contains(name) }
    }
}
