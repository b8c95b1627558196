/// Where a call came from: its OpenSSL async job, wait context and return address.
public struct CallContext: Hashable, Sendable {
    /// The async job id (0 = not in an OpenSSL async job).
    public var jobID: UInt64
    /// The wait context id.
    public var waitContextID: UInt64
    /// The return address of the call into the module.
    public var callerAddress: UInt64

    /// Creates a context.
    public init(jobID: UInt64, waitContextID: UInt64, callerAddress: UInt64) {
        self.jobID = jobID
        self.waitContextID = waitContextID
        self.callerAddress = callerAddress
    }
}
