/// Hands out a log's calls in start order, numbering them 1, 2, 3..., numbering their async
/// jobs and wait contexts in order of first appearance and naming their callers' libraries.
///
/// Merges the thread streams by their earliest pending call. When the stream that is due
/// next is damaged, ``next()`` throws that damage once and then returns `nil`: every call
/// before the damage has been handed out. Damage outside any thread's stream (a bad chunk
/// header, a bad metadata record, a file cut between chunks) is thrown after the last call.
public struct CallIterator {
    private var merger: RecordMerger<DecodedCall>

    init(reader: LogReader) {
        merger = RecordMerger(reader: reader)
    }

    /// The next call.
    ///
    /// - Returns: The next call in start order, or `nil` after the last one.
    /// - Throws: ``LogFormatError`` for the first damage, once; then the iterator is finished.
    public mutating func next() throws(LogFormatError) -> DecodedCall? {
        try merger.next()
    }
}
