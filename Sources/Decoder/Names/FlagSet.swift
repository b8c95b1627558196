/// A set of `CKF_` flag bits, named by the option of a `flags` argument in `spec/functions.json`.
public enum FlagSet: String, Hashable, Sendable, CaseIterable {
    case session
    case token
    case slot
    case mechanism
    case initialize = "init"
    case interface
    case message
    case wait

    /// The C names of the bits set in `value`, in bit order; bits without a name are
    /// collected into one trailing hex number.
    public func names(_ value: UInt64) -> [String] {
        var names: [String] = []
        var rest = value
        for (bit, name) in bits where bit != 0 && value & bit == bit {
            names.append(name)
            rest &= ~bit
        }
        if rest != 0 {
            names.append(Hex.number(rest))
        }
        return names
    }

    /// `value` shown as `CKF_A|CKF_B`, or `0` when no bit is set.
    public func display(_ value: UInt64) -> String {
        var text = TextBuffer()
        append(value, to: &text)
        return text.string
    }

    /// Appends ``display(_:)``.
    func append(_ value: UInt64, to text: inout TextBuffer) {
        guard value != 0 else { return text.append(ascii: "0") }
        var rest = value
        var first = true
        for (bit, name) in bits where bit != 0 && value & bit == bit {
            if !first { text.append(ascii: "|") }
            text.append(name)
            first = false
            rest &= ~bit
        }
        if rest != 0 {
            if !first { text.append(ascii: "|") }
            text.appendHex(rest)
        }
    }

    /// The set's bits and their names, in bit order (looked up once per set, not per value).
    private var bits: [(UInt64, String)] {
        switch self {
        case .session: Self.sessionBits
        case .token: Self.tokenBits
        case .slot: Self.slotBits
        case .mechanism: Self.mechanismBits
        case .initialize: Self.initializeBits
        case .interface: Self.interfaceBits
        case .message: Self.messageBits
        case .wait: Self.waitBits
        }
    }

    private static let sessionBits = ConstantNames.flagSets[FlagSet.session.rawValue] ?? []
    private static let tokenBits = ConstantNames.flagSets[FlagSet.token.rawValue] ?? []
    private static let slotBits = ConstantNames.flagSets[FlagSet.slot.rawValue] ?? []
    private static let mechanismBits = ConstantNames.flagSets[FlagSet.mechanism.rawValue] ?? []
    private static let initializeBits = ConstantNames.flagSets[FlagSet.initialize.rawValue] ?? []
    private static let interfaceBits = ConstantNames.flagSets[FlagSet.interface.rawValue] ?? []
    private static let messageBits = ConstantNames.flagSets[FlagSet.message.rawValue] ?? []
    private static let waitBits = ConstantNames.flagSets[FlagSet.wait.rawValue] ?? []
}
