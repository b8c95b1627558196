/// Turns decoded calls into text, one format per conforming type.
///
/// Implementation requirements: write only into the given stream (so tests can capture the
/// output), and keep whatever state spans calls (the first call's time) in the renderer.
public protocol CallRenderer {
    /// Writes what comes before the calls (a summary of the log), if the format has one.
    mutating func writePreamble(for reader: LogReader, to output: inout some TextOutputStream)
    /// Writes one call.
    mutating func write(_ call: DecodedCall, to output: inout some TextOutputStream)
    /// Appends one call to `text`: what ``write(_:to:)`` writes. Reading a whole log goes
    /// through this, so that a renderer that builds bytes hands over no `String` per call;
    /// the default goes through ``write(_:to:)``.
    mutating func write(_ call: DecodedCall, into text: inout TextBuffer)
}

extension CallRenderer {
    public mutating func write(_ call: DecodedCall, into text: inout TextBuffer) {
        var stream = TextBufferStream(text: TextBuffer(capacity: 0))
        swap(&stream.text, &text)
        write(call, to: &stream)
        swap(&stream.text, &text)
    }
}


extension LogReader {
    /// Renders the whole log: the preamble, then every call.
    ///
    /// - Returns: The number of calls written.
    /// - Throws: The ``LogFormatError`` that stopped reading; every call before it has been written.
    @discardableResult
    public func render(with renderer: inout some CallRenderer, to output: inout some TextOutputStream)
        throws(LogFormatError) -> Int
    {
        try render(with: &renderer, to: &output, filter: CallFilter())
    }
}
