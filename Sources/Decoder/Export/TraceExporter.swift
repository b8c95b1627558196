/// Writes a whole trace as one document (a Chrome trace, an HTML report), a call at a time.
///
/// Implementation requirements: write only into the given stream, as the calls come (never
/// keep every call: logs can be huge), and make ``finish(to:)`` close the document so that it
/// is well formed even when reading stopped early at damage.
public protocol TraceExporter {
    /// Writes what comes before the first call.
    mutating func begin(for reader: LogReader, to output: inout some TextOutputStream)
    /// Writes one call; `time` is its start in ns since the trace's first call (shown or not).
    mutating func write(_ call: DecodedCall, at time: UInt64, to output: inout some TextOutputStream)
    /// Appends what ``write(_:at:to:)`` writes to `text` (exporting a log goes through this,
    /// so that an exporter that builds bytes hands over no `String` per call); the default
    /// goes through ``write(_:at:to:)``.
    mutating func write(_ call: DecodedCall, at time: UInt64, into text: inout TextBuffer)
    /// Writes what comes after the last call.
    mutating func finish(to output: inout some TextOutputStream)
}

extension TraceExporter {
    public mutating func write(_ call: DecodedCall, at time: UInt64, into text: inout TextBuffer) {
        var stream = TextBufferStream(text: TextBuffer(capacity: 0))
        swap(&stream.text, &text)
        write(call, at: time, to: &stream)
        swap(&stream.text, &text)
    }
}

extension LogReader {
    /// Exports the calls that pass `filter`: the beginning, every matching call, the end.
    ///
    /// - Returns: The number of calls written.
    /// - Throws: The ``LogFormatError`` that stopped reading; the document has been finished
    ///   with every matching call before it.
    @discardableResult
    public func export(with exporter: inout some TraceExporter, to output: inout some TextOutputStream,
                       filter: CallFilter = CallFilter()) throws(LogFormatError) -> Int
    {
        exporter.begin(for: self, to: &output)
        var iterator = calls(matching: filter)
        var count = 0
        // The calls' text is gathered and handed to the output in blocks.
        var buffer = TextBufferStream(text: TextBuffer(capacity: TextBufferStream.blockSize + TextBufferStream.blockSize / 4))
        do {
            while let call = try iterator.next() {
                let first = iterator.firstCall?.startNanoseconds ?? call.startNanoseconds
                exporter.write(call, at: call.startNanoseconds &- first, into: &buffer.text)
                buffer.flushIfFull(to: &output)
                count += 1
            }
        } catch {
            buffer.text.flush(to: &output)
            exporter.finish(to: &output)
            throw error
        }
        buffer.text.flush(to: &output)
        exporter.finish(to: &output)
        return count
    }
}
