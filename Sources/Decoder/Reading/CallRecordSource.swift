/// Where a ``LogReader`` that reads no log file gets its calls: an LTTng trace's events.
///
/// Implementation requirements: hand out the records of one process in any order, each once;
/// ``LogReader/calls()`` puts them in the order of their ``CallRecord/sequence``. Stream them:
/// never hold the whole trace.
public protocol CallRecordSource: AnyObject {
    /// The next record, or `nil` after the last one.
    ///
    /// - Throws: ``LogFormatError`` when the trace cannot be read further.
    func next() throws(LogFormatError) -> CallRecord?

    /// The lowest sequence number the source will hand out (1 unless tracing began after the
    /// process's first calls).
    var firstSequence: UInt64 { get }

    /// Damage found once every record was handed out (events LTTng discarded), if any.
    var damageAtEnd: LogFormatError? { get }
}
