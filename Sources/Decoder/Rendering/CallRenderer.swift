/// Turns decoded calls into text, one format per conforming type.
///
/// Implementation requirements: write only into the given stream (so tests can capture the
/// output), and keep whatever state spans calls (the first call's time) in the renderer.
public protocol CallRenderer {
    /// Writes what comes before the calls (a summary of the log), if the format has one.
    mutating func writePreamble(for reader: LogReader, to output: inout some TextOutputStream)
    /// Writes one call.
    mutating func write(_ call: DecodedCall, to output: inout some TextOutputStream)
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
        renderer.writePreamble(for: self, to: &output)
        var iterator = calls()
        var count = 0
        while let call = try iterator.next() {
            renderer.write(call, to: &output)
            count += 1
        }
        return count
    }
}
