extension ChunkDecoder {
    /// Decodes one self-contained call record (an LTTng event's, ``CallRecord``).
    ///
    /// - Returns: The call, numbered 0, or its damage as ``LogFormatError/damagedEvent(sequence:damage:)``
    ///   (offsets counted from the record's first byte).
    func decode(_ record: CallRecord) -> Result<DecodedCall, LogFormatError> {
        let bytes = record.bytes
        let size = bytes.count >= 2 ? Int(bytes[0]) | Int(bytes[1]) << 8 : 0
        guard size >= 6, size <= bytes.count else {
            return .failure(.damagedEvent(sequence: record.sequence, damage: .recordSizeOutOfRange(size: size, offset: 0)))
        }
        var cursor = ByteCursor(bytes, fileBase: 0, start: 2, end: size)
        var start = record.start
        var caller: UInt64 = 0
        return decodeRecord(&cursor, recordOffset: 0, threadID: record.threadID, previousStart: &start,
                            previousCaller: &caller)
            .mapError { .damagedEvent(sequence: record.sequence, damage: $0) }
    }
}
