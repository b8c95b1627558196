extension LogHeader {
    /// What a binary log's header would say about a process traced with the LTTng backend,
    /// from its `p11trace:process` event (docs/lttng.md). Times are `CLOCK_MONOTONIC` ns.
    ///
    /// - Parameters:
    ///   - pid: The traced process.
    ///   - parentPID: Its parent.
    ///   - capture: The capture level as `P11TRACE_CAPTURE` numbers it (0 default, 1 data, 2 secrets).
    ///   - ulongSize: `sizeof(CK_ULONG)` in the process.
    ///   - monotonicOrigin: `CLOCK_MONOTONIC` ns when tracing began in the process.
    ///   - wallClockOrigin: `CLOCK_REALTIME` ns since the epoch at the same moment.
    public init(process pid: UInt32, parentPID: UInt32, capture: UInt32, ulongSize: Int,
                monotonicOrigin: UInt64, wallClockOrigin: UInt64, processName: String,
                executablePath: String, commandLine: String, writerVersion: String) {
        formatVersion = Self.supportedVersion
        headerSize = Self.definedSize
        chunkSize = 65536
        captureLevel = CaptureLevel(raw: capture)
        self.pid = pid
        self.parentPID = parentPID
        self.monotonicOrigin = monotonicOrigin
        self.wallClockOrigin = wallClockOrigin
        clockID = 1
        self.ulongSize = ulongSize
        wasSetUID = false
        self.processName = processName
        self.executablePath = executablePath
        self.commandLine = commandLine
        self.writerVersion = writerVersion
    }
}
