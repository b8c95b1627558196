/// The flags byte of a call record.
public struct CallFlags: OptionSet, Hashable, Sendable {
    /// The raw flags byte.
    public var rawValue: UInt8

    /// Wraps a flags byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The record has the job, wait-context and caller fields.
    public static let hasContext = CallFlags(rawValue: 1 << 0)
    /// The arguments were cut because the record would have exceeded the size limit.
    public static let truncated = CallFlags(rawValue: 1 << 1)
    /// The call ran inside another traced call on the same thread.
    public static let nested = CallFlags(rawValue: 1 << 2)
}
