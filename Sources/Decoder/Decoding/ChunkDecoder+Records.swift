extension ChunkDecoder {
    /// Decodes one self-contained call record (an LTTng event's, ``CallRecord``).
    ///
    /// - Returns: The call, numbered 0, or its damage as ``LogFormatError/damagedEvent(sequence:damage:)``
    ///   (offsets counted from the record's first byte).
    func decode<Record: ChunkRecord>(_ record: CallRecord, as type: Record.Type = DecodedCall.self)
        -> Result<Record, LogFormatError>
    {
        let bytes = record.bytes
        let size = bytes.count >= 2 ? Int(bytes[0]) | Int(bytes[1]) << 8 : 0
        guard size >= 6, size <= bytes.count else {
            return .failure(.damagedEvent(sequence: record.sequence, damage: .recordSizeOutOfRange(size: size, offset: 0)))
        }
        var cursor = ByteCursor(bytes, fileBase: 0, start: 2, end: size)
        var start = record.start
        var caller: UInt64 = 0
        do throws(LogFormatError) {
            let fields = try decodeFields(&cursor, recordOffset: 0, threadID: record.threadID, previousStart: &start,
                                          previousCaller: &caller)
            return .success(try Record.decode(fields, arguments: &cursor, decoder: self))
        } catch {
            return .failure(.damagedEvent(sequence: record.sequence, damage: error))
        }
    }
}
