/// Why a value could not be read, and where.
struct DecodeFailure: Error {
    /// The file offset where reading failed.
    var offset: Int
    /// What went wrong.
    var reason: LogFormatError.RecordDamage
}

/// Reads the log's primitive encodings (little-endian integers, LEB128 varints, zigzag,
/// length-prefixed bytes) from a byte range, checking every read against the range's end.
///
/// All offset arithmetic on record bytes happens here; the cursor never reads outside
/// `start..<end` of its storage and reports the file offset of any failure.
struct ByteCursor {
    /// The bytes read from the file (usually one chunk).
    private let storage: [UInt8]
    /// The file offset of `storage[0]`.
    private let fileBase: Int
    /// The index of the next byte to read.
    private(set) var position: Int
    /// The index one past the last readable byte.
    private(set) var end: Int

    /// A cursor over `storage[start..<end]`; `fileBase` is the file offset of `storage[0]`.
    init(_ storage: [UInt8], fileBase: Int, start: Int = 0, end: Int? = nil) {
        let end = min(end ?? storage.count, storage.count)
        self.storage = storage
        self.fileBase = fileBase
        self.position = min(max(0, start), end)
        self.end = end
    }

    /// Moves the cursor to `storage[start..<end]` (clamped to the storage), to read the next
    /// record of a chunk without another cursor.
    mutating func select(start: Int, end: Int) {
        self.end = min(max(0, end), storage.count)
        position = min(max(0, start), self.end)
    }

    /// The file offset of the next byte.
    var fileOffset: Int { fileBase + position }

    /// The number of bytes left.
    var remaining: Int { end - position }

    /// Whether every byte has been read.
    var isAtEnd: Bool { position >= end }

    private func failure(_ reason: LogFormatError.RecordDamage) -> DecodeFailure {
        DecodeFailure(offset: fileOffset, reason: reason)
    }

    mutating func u8() throws(DecodeFailure) -> UInt8 {
        guard position < end else { throw failure(.endOfRecord) }
        defer { position += 1 }
        return storage[position]
    }

    mutating func u16() throws(DecodeFailure) -> UInt16 {
        UInt16(truncatingIfNeeded: try littleEndian(2))
    }

    mutating func u32() throws(DecodeFailure) -> UInt32 {
        UInt32(truncatingIfNeeded: try littleEndian(4))
    }

    mutating func u64() throws(DecodeFailure) -> UInt64 {
        try littleEndian(8)
    }

    private mutating func littleEndian(_ width: Int) throws(DecodeFailure) -> UInt64 {
        guard remaining >= width else { throw failure(.endOfRecord) }
        var value: UInt64 = 0
        for index in 0..<width {
            value |= UInt64(storage[position + index]) << (8 * index)
        }
        position += width
        return value
    }

    /// Reads an unsigned LEB128 value of at most 10 bytes.
    mutating func uvarint() throws(DecodeFailure) -> UInt64 {
        // Only the position is saved (not the cursor, whose copy would retain the storage).
        let start = position
        var value: UInt64 = 0
        for index in 0..<10 {
            guard position < end else { throw failure(.endOfRecord) }
            let byte = storage[position]
            position += 1
            let payload = UInt64(byte & 0x7f)
            if index == 9, byte > 1 {
                position = start
                throw failure(.badVarint)
            }
            value |= payload << (7 * index)
            if byte & 0x80 == 0 {
                return value
            }
        }
        position = start
        throw failure(.badVarint)
    }

    /// Reads a zigzag-encoded signed varint.
    mutating func zigzag() throws(DecodeFailure) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads `count` raw bytes.
    mutating func bytes(_ count: Int) throws(DecodeFailure) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw failure(.endOfRecord) }
        defer { position += count }
        return Array(storage[position..<position + count])
    }

    /// Reads `bytes`: a `uvarint` length, then that many bytes.
    mutating func lengthPrefixedBytes() throws(DecodeFailure) -> [UInt8] {
        let count = try uvarint()
        guard count <= UInt64(remaining) else { throw failure(.countTooLarge(count)) }
        return try bytes(Int(count))
    }

    /// Reads a `uvarint` element count and checks that at least `count * minimumSize` bytes remain,
    /// so a corrupt count can never make the decoder reserve or loop more than the record holds.
    mutating func count(minimumElementSize: Int = 1) throws(DecodeFailure) -> Int {
        let count = try uvarint()
        guard count <= UInt64(remaining / max(1, minimumElementSize)) else { throw failure(.countTooLarge(count)) }
        return Int(count)
    }

    /// Throws ``LogFormatError/RecordDamage/invalidByte(_:)`` for the byte just read.
    func invalid(_ byte: UInt8) -> DecodeFailure {
        DecodeFailure(offset: fileOffset - 1, reason: .invalidByte(byte))
    }
}
