/// Where a call came from: the OpenSSL async job it ran in, that job's wait context, and the
/// code that called the module.
///
/// The log holds raw addresses; ``CallIterator`` numbers jobs and wait contexts 1, 2, 3... in
/// order of first appearance (0 = outside any job) and names the caller's library from the
/// log's map of loaded objects.
public struct CallContext: Hashable, Sendable {
    /// The job's number, 0 when the call ran outside any OpenSSL async job. A job is one
    /// `ASYNC_JOB` working for one `ASYNC_WAIT_CTX`: OpenSSL hands the same job object to one
    /// connection after another, so the pair tells connections apart.
    public var job: UInt64
    /// The wait context's number (one per connection of an `SSL_MODE_ASYNC` server), 0 outside a job.
    public var waitContext: UInt64
    /// The `ASYNC_JOB` address as recorded (0 = none).
    public var jobAddress: UInt64
    /// The `ASYNC_WAIT_CTX` address as recorded (0 = none).
    public var waitContextAddress: UInt64
    /// The return address of the call into the module (0 = not recorded).
    public var callerAddress: UInt64
    /// The path of the loaded object holding ``callerAddress``, when the log's map has it.
    public var callerPath: String? {
        get { storedCallerPath }
        set {
            storedCallerPath = newValue
            callerFileName = newValue.map(Self.fileName(of:))
        }
    }

    // The path and its file name, worked out once per path rather than on every read of
    // `callerName` (a renderer reads it for every call).
    private var storedCallerPath: String?
    private var callerFileName: String?

    /// Creates a context with raw addresses; the numbers are assigned later.
    public init(jobAddress: UInt64, waitContextAddress: UInt64, callerAddress: UInt64,
                job: UInt64 = 0, waitContext: UInt64 = 0, callerPath: String? = nil) {
        self.jobAddress = jobAddress
        self.waitContextAddress = waitContextAddress
        self.callerAddress = callerAddress
        self.job = job
        self.waitContext = waitContext
        self.storedCallerPath = callerPath
        self.callerFileName = callerPath.map(Self.fileName(of:))
    }

    /// Sets ``callerPath`` with its file name already worked out (``ContextNumbering`` keeps
    /// both per caller address).
    mutating func setCaller(path: String?, fileName: String?) {
        storedCallerPath = path
        callerFileName = fileName
    }

    /// The last component of a path, or the path when that is empty.
    static func fileName(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.isEmpty ? path : name
    }

    /// The caller's library file name (`libp11.so.3`), or its address in hex when the log's map
    /// does not cover it, or nil when no caller was recorded.
    public var callerName: String? {
        if storedCallerPath != nil { return callerFileName }
        return callerAddress == 0 ? nil : Hex.number(callerAddress)
    }
}
