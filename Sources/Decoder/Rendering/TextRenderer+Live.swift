extension TextRenderer {
    /// Which block of a call the live text backend writes.
    public enum LivePhase: Sendable {
        /// Just before the module is called: the inputs, marked `[in progress]`.
        case started
        /// After the module returned: inputs, outputs, return value and duration.
        case finished
    }

    /// Creates a renderer for calls that come from no log file (the live text backend).
    ///
    /// - Parameter ulongSize: `sizeof(CK_ULONG)` in the traced process.
    public init(ulongSize: Int) {
        self.ulongSize = ulongSize
    }

    /// The text of one call as the live text backend writes it, without the `#N ` the
    /// writer puts in front once the block's number is known:
    ///
    ///     +0.001234567s tid 4711 softhsm2 C_Sign [in progress]
    ///       hSession = 0x1
    ///       pData: 32 bytes (not captured)
    ///
    /// for ``LivePhase/started`` (input arguments, and the attribute types a
    /// `C_GetAttributeValue` asks for), and the header line and arguments of `decode`'s
    /// text format for ``LivePhase/finished``.
    ///
    /// - Parameters:
    ///   - call: The call; for ``LivePhase/started`` its duration and return value are ignored.
    ///   - origin: The monotonic time (ns) offsets count from.
    ///   - phase: Which block.
    /// - Returns: The block, every line ending in a newline.
    public func liveBlock(_ call: DecodedCall, origin: UInt64, phase: LivePhase) -> String {
        let offset = TimeFormat.offset(nanoseconds: Int64(bitPattern: call.startNanoseconds &- origin))
        var text = offset + " "
        if phase == .finished { text += TimeFormat.duration(nanoseconds: call.durationNanoseconds) + " " }
        text += "tid \(call.threadID) \(call.moduleName) \(call.function.name)"
        if phase == .finished { text += " = \(call.returnValue.name)" }
        if call.flags.contains(.nested) { text += " [nested]" }
        if call.flags.contains(.truncated) { text += " [truncated]" }
        if call.flags.contains(.onBehalf) { text += " [managed: on the caller's behalf]" }
        if call.flags.contains(.absorbed) { text += " [managed: absorbed, not passed to the module]" }
        if phase == .started { text += " [in progress]" }
        text += "\n"
        for argument in call.arguments where phase == .finished || !argument.isOutput || argument.kind == .outTemplate {
            for line in lines(for: argument) {
                text += "  " + line + "\n"
            }
        }
        return text
    }
}
