/// The flags byte of a call record.
public struct CallFlags: OptionSet, Hashable, Sendable {
    /// The raw flags byte.
    public var rawValue: UInt8

    /// Wraps a flags byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Format 1: the record has the job, wait-context and caller fields. Format 2: the call
    /// ran in an OpenSSL async job and the record has the job and wait-context fields.
    public static let hasContext = CallFlags(rawValue: 1 << 0)
    /// The arguments were cut because the record would have exceeded the size limit.
    public static let truncated = CallFlags(rawValue: 1 << 1)
    /// The call ran inside another traced call on the same thread.
    public static let nested = CallFlags(rawValue: 1 << 2)
    /// Managed mode issued the call on the caller's behalf (the application did not make it):
    /// the C_CloseSession calls of a managed C_CloseAllSessions or C_Finalize.
    public static let onBehalf = CallFlags(rawValue: 1 << 3)
    /// Managed mode answered the call without the module (a C_Initialize counted, not passed
    /// on; a C_Finalize while other callers still use the module; C_CloseAllSessions).
    public static let absorbed = CallFlags(rawValue: 1 << 4)
}
