/// What ``ChunkDecoder`` makes of a call record once its fixed fields are read: the full
/// ``DecodedCall``, or the ``CallSummary`` that reads only the arguments the analyses use.
///
/// Both come out of the same decoder: the record framing, the fixed fields and the argument
/// encodings are read by one code path, and a record type only chooses how much of the
/// arguments to decode.
protocol ChunkRecord {
    /// Makes the record from its fixed fields and its argument bytes (`arguments` spans
    /// exactly the record's argument bytes).
    static func decode(_ fields: RecordFields, arguments: inout ByteCursor, decoder: ChunkDecoder)
        throws(LogFormatError) -> Self

    /// Numbers the record (1, 2, 3... in start order) and its context's job, wait context and
    /// caller (``ContextNumbering``).
    mutating func number(_ sequence: Int, contexts: inout ContextNumbering, libraries: LibraryMap)
}
