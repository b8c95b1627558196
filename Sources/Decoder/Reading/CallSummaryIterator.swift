/// Hands out the summaries of a log's calls (``CallSummary``) in start order, numbered as
/// ``CallIterator`` numbers the calls, decoding only the arguments a summary needs.
///
/// Damage is reported as ``CallIterator`` reports it, with one difference: argument bytes
/// a summary does not read are not checked.
public struct CallSummaryIterator {
    private var merger: RecordMerger<CallSummary>

    init(reader: LogReader) {
        merger = RecordMerger(reader: reader)
    }

    /// The next call's summary.
    ///
    /// - Returns: The next summary in start order, or `nil` after the last one.
    /// - Throws: ``LogFormatError`` for the first damage, once; then the iterator is finished.
    public mutating func next() throws(LogFormatError) -> CallSummary? {
        try merger.next()
    }
}
