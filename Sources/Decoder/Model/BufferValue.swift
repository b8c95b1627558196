/// A recorded byte buffer (docs/log-format.md, "Buffer").
public struct BufferValue: Hashable, Sendable {
    /// Whether the data pointer was non-NULL.
    public var hasData: Bool
    /// Whether the length pointer was non-NULL (out buffers only).
    public var hasLengthPointer: Bool
    /// The out buffer's size before the call (`*pulLen`), when it was safe to read.
    public var capacity: UInt64?
    /// The length: `ulLen` for an in buffer, `*pulLen` after the call for an out buffer.
    public var length: UInt64?
    /// The bytes kept, if any (possibly only the first bytes; see ``isTruncated``).
    public var content: [UInt8]?
    /// Whether only the first bytes of the content were kept.
    public var isTruncated: Bool
    /// Whether the content is a secret (kept only because the capture level is `secrets`).
    public var isSecret: Bool
    /// Whether the memory could not be read.
    public var isUnreadable: Bool

    /// Creates a buffer value.
    public init(hasData: Bool = true, hasLengthPointer: Bool = false, capacity: UInt64? = nil,
                length: UInt64? = nil, content: [UInt8]? = nil, isTruncated: Bool = false,
                isSecret: Bool = false, isUnreadable: Bool = false) {
        self.hasData = hasData
        self.hasLengthPointer = hasLengthPointer
        self.capacity = capacity
        self.length = length
        self.content = content
        self.isTruncated = isTruncated
        self.isSecret = isSecret
        self.isUnreadable = isUnreadable
    }

    /// The buffer's flags byte bits.
    enum Bit {
        static let data: UInt8 = 1 << 0
        static let lengthPointer: UInt8 = 1 << 1
        static let capacity: UInt8 = 1 << 2
        static let length: UInt8 = 1 << 3
        static let content: UInt8 = 1 << 4
        static let truncated: UInt8 = 1 << 5
        static let secret: UInt8 = 1 << 6
        static let unreadable: UInt8 = 1 << 7
    }
}
