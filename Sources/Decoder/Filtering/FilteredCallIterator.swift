/// Hands out the calls of a log that pass a ``CallFilter``, in start order, with the sequence
/// numbers they have in the whole log.
///
/// Stops as soon as a call starts after the filter's end (`to`): calls come in start order.
public struct FilteredCallIterator {
    private var calls: CallIterator
    private let filter: CallFilter
    /// The start of the log's first call, once seen.
    public private(set) var firstCall: DecodedCall?
    private var finished = false

    init(calls: CallIterator, filter: CallFilter) {
        self.calls = calls
        self.filter = filter
    }

    /// The next call that passes the filter.
    ///
    /// - Returns: The call, or `nil` after the last one.
    /// - Throws: ``LogFormatError`` for damage met before the next matching call, once.
    public mutating func next() throws(LogFormatError) -> DecodedCall? {
        while !finished, let call = try calls.next() {
            if firstCall == nil { firstCall = call }
            let firstStart = firstCall?.startNanoseconds ?? call.startNanoseconds
            if filter.isPastEnd(call, firstStart: firstStart) {
                finished = true
                return nil
            }
            if filter.matches(call, firstStart: firstStart) { return call }
        }
        return nil
    }
}

extension LogReader {
    /// The calls that pass `filter`, in order, numbered as in the whole log.
    public func calls(matching filter: CallFilter) -> FilteredCallIterator {
        FilteredCallIterator(calls: calls(), filter: filter)
    }

    /// Renders the calls that pass `filter`: the preamble, then every matching call.
    ///
    /// The renderer sees the log's first call even when the filter drops it (its output is
    /// discarded), so that times shown count from the first call of the whole log.
    ///
    /// - Returns: The number of calls written.
    /// - Throws: The ``LogFormatError`` that stopped reading; every matching call before it has been written.
    @discardableResult
    public func render(with renderer: inout some CallRenderer, to output: inout some TextOutputStream,
                       filter: CallFilter) throws(LogFormatError) -> Int
    {
        renderer.writePreamble(for: self, to: &output)
        var iterator = calls(matching: filter)
        var count = 0
        var primed = false
        // Calls are rendered into one buffer, handed over in blocks (and before damage is thrown).
        var text = TextBuffer(capacity: TextBufferStream.blockSize + TextBufferStream.blockSize / 4)
        do throws(LogFormatError) {
            while let call = try iterator.next() {
                if !primed, let first = iterator.firstCall, first.sequence != call.sequence {
                    var discard = DiscardingStream()
                    renderer.write(first, to: &discard)
                }
                primed = true
                renderer.write(call, into: &text)
                if text.count >= TextBufferStream.blockSize { text.flush(to: &output) }
                count += 1
            }
        } catch {
            text.flush(to: &output)
            throw error
        }
        text.flush(to: &output)
        return count
    }
}

/// A stream that drops what it is given.
private struct DiscardingStream: TextOutputStream {
    mutating func write(_ string: String) {}
}
