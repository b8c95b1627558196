/// The two-call output convention of a call, for the operation rules (`stats`, `timeline`,
/// `export`) and the checks alike.
extension DecodedCall {
    /// The first two-call output buffer of the call.
    var outputBuffer: BufferValue? {
        for argument in arguments where argument.kind == .outBytes {
            if case .buffer(let buffer) = argument.value { return buffer }
        }
        return nil
    }

    /// True when the call only asked for the output length (a NULL output buffer).
    var isLengthQuery: Bool { outputBuffer.map { !$0.hasData } ?? false }
}
