/// A recorded `CK_INTERFACE`: its name, its function list's version and its flags.
public struct InterfaceValue: Hashable, Sendable {
    /// `pInterfaceName` (for example `"PKCS 11"`).
    public var name: String
    /// The version of the interface's function list.
    public var version: Version
    /// The interface flags (an ``FlagSet/interface`` set).
    public var flags: UInt64

    /// Creates an interface value.
    public init(name: String, version: Version, flags: UInt64) {
        self.name = name
        self.version = version
        self.flags = flags
    }
}
