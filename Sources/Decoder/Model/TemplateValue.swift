/// A recorded `CK_ATTRIBUTE` template (docs/log-format.md, "Template").
public struct TemplateValue: Hashable, Sendable {
    /// Whether the template pointer was non-NULL.
    public var hasTemplate: Bool
    /// `ulCount` as passed.
    public var count: UInt64
    /// The attributes recorded (at most 64; see ``isTruncated``).
    public var attributes: [TemplateAttribute]
    /// Whether more attributes were passed than recorded.
    public var isTruncated: Bool
    /// Whether the template could not be read.
    public var isUnreadable: Bool

    /// Creates a template value.
    public init(hasTemplate: Bool = true, count: UInt64, attributes: [TemplateAttribute],
                isTruncated: Bool = false, isUnreadable: Bool = false) {
        self.hasTemplate = hasTemplate
        self.count = count
        self.attributes = attributes
        self.isTruncated = isTruncated
        self.isUnreadable = isUnreadable
    }
}
