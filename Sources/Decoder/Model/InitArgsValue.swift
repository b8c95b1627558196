/// A recorded `CK_C_INITIALIZE_ARGS`.
public struct InitArgsValue: Hashable, Sendable {
    /// The `flags` field (an ``FlagSet/initialize`` set).
    public var flags: UInt64
    /// Whether `CreateMutex` was non-NULL.
    public var hasCreateMutex: Bool
    /// Whether `DestroyMutex` was non-NULL.
    public var hasDestroyMutex: Bool
    /// Whether `LockMutex` was non-NULL.
    public var hasLockMutex: Bool
    /// Whether `UnlockMutex` was non-NULL.
    public var hasUnlockMutex: Bool
    /// Whether `pReserved` was non-NULL.
    public var hasReserved: Bool

    /// Creates an init-args value.
    public init(flags: UInt64, hasCreateMutex: Bool = false, hasDestroyMutex: Bool = false,
                hasLockMutex: Bool = false, hasUnlockMutex: Bool = false, hasReserved: Bool = false) {
        self.flags = flags
        self.hasCreateMutex = hasCreateMutex
        self.hasDestroyMutex = hasDestroyMutex
        self.hasLockMutex = hasLockMutex
        self.hasUnlockMutex = hasUnlockMutex
        self.hasReserved = hasReserved
    }
}
