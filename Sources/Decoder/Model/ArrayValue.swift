/// A recorded array of numbers or interfaces (docs/log-format.md, "Array").
public struct ArrayValue: Hashable, Sendable {
    /// Whether the array pointer was non-NULL.
    public var hasArray: Bool
    /// Whether the count pointer was non-NULL.
    public var hasCountPointer: Bool
    /// `*pulCount` before the call (`out_array`) or `ulMaxObjectCount` (`out_array_max`).
    public var capacity: UInt64?
    /// `*pulCount` after the call.
    public var count: UInt64?
    /// The elements kept, if any (at most 256; see ``isTruncated``).
    public var elements: [DecodedValue]?
    /// Whether only the first elements were kept.
    public var isTruncated: Bool
    /// Whether the memory could not be read.
    public var isUnreadable: Bool

    /// Creates an array value.
    public init(hasArray: Bool = true, hasCountPointer: Bool = true, capacity: UInt64? = nil, count: UInt64? = nil,
                elements: [DecodedValue]? = nil, isTruncated: Bool = false, isUnreadable: Bool = false) {
        self.hasArray = hasArray
        self.hasCountPointer = hasCountPointer
        self.capacity = capacity
        self.count = count
        self.elements = elements
        self.isTruncated = isTruncated
        self.isUnreadable = isUnreadable
    }
}
