/// A `CK_VERSION`.
public struct Version: Hashable, Sendable, CustomStringConvertible {
    /// The major number.
    public var major: UInt8
    /// The minor number.
    public var minor: UInt8

    /// Creates a version.
    public init(major: UInt8, minor: UInt8) {
        self.major = major
        self.minor = minor
    }

    /// `major.minor`, as PKCS#11 writes versions (`2.40`, `3.0`).
    public var description: String { "\(major).\(minor)" }
}
