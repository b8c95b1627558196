/// Why a log file could not be read, or where it is damaged.
///
/// Every case that describes damage carries the file offset where it was found; ``offset``
/// returns it. ``description`` says what is wrong in one line, without the offset.
public enum LogFormatError: Error, Hashable, Sendable {
    /// The file could not be opened (`errno` from `open(2)` or `fstat(2)`).
    case cannotOpen(path: String, errno: Int32)
    /// The path does not name a regular file.
    case notARegularFile(path: String)
    /// Reading failed (`errno` from `pread(2)`).
    case cannotRead(offset: Int, errno: Int32)
    /// The file does not start with the magic `P11TRACE`.
    case notALog
    /// The file is a p11trace log of a format version this decoder does not know.
    case unsupportedVersion(found: UInt32)
    /// The file ends inside its header.
    case truncatedHeader(fileSize: Int)
    /// A header field holds a value no writer produces.
    case invalidHeader(field: HeaderField, value: UInt64)
    /// A chunk starts with neither the magic `P11C` nor zero.
    case badChunkMagic(offset: Int)
    /// A chunk has a kind this decoder does not know.
    case unknownChunkKind(kind: UInt16, offset: Int)
    /// The file ends inside a chunk header.
    case truncatedChunk(offset: Int)
    /// The file ends inside a record.
    case truncatedRecord(offset: Int)
    /// A record's size is smaller than a record or larger than the rest of its chunk.
    case recordSizeOutOfRange(size: Int, offset: Int)
    /// A call record names a function id that is not in the function table.
    case unknownFunction(id: UInt16, offset: Int)
    /// A call record's fixed fields do not parse.
    case malformedRecord(offset: Int, reason: RecordDamage)
    /// An argument's bytes do not parse as its kind.
    case malformedArgument(function: String, parameter: String, offset: Int, reason: RecordDamage)
    /// A record has bytes left over after its last argument.
    case trailingBytes(count: Int, offset: Int)
    /// A metadata record has a type this decoder does not know.
    case unknownMetadataType(type: UInt16, offset: Int)
    /// The file ends inside a chunk: its size is not the header plus whole chunks.
    case truncatedFile(size: Int)
    /// An LTTng trace could not be read (libbabeltrace2's reason).
    case cannotReadTrace(reason: String)
    /// An LTTng trace holds no call of the process asked for (or none at all).
    case noTracedProcess(pid: UInt32?)
    /// LTTng discarded events while recording (its ring buffers were full): calls are missing.
    case eventsDiscarded(count: UInt64)
    /// The call record carried by an LTTng event is damaged (offsets count from the record).
    indirect case damagedEvent(sequence: UInt64, damage: LogFormatError)

    /// The header fields that ``LogFormatError/invalidHeader(field:value:)`` can name.
    public enum HeaderField: String, Hashable, Sendable {
        case headerSize = "header size"
        case chunkSize = "chunk size"
        case clock = "clock id"
        case clockRate = "clock rate"
    }

    /// What is wrong inside a record.
    public enum RecordDamage: Hashable, Sendable {
        /// The value runs past the end of its record.
        case endOfRecord
        /// A varint is longer than 10 bytes or overflows 64 bits.
        case badVarint
        /// A state, form or flags byte has a value the format does not define.
        case invalidByte(UInt8)
        /// A count is larger than the bytes that remain.
        case countTooLarge(UInt64)
        /// A nested template leaves bytes of its attribute's value unread.
        case leftoverBytes(Int)
        /// The function table names a structure this decoder has no layout for.
        case unknownStructure(String)
        /// A format 2 record says it ran in an async job but records job address 0.
        case zeroJob
    }

    /// The file offset of the damage, or `nil` for errors that are not damage.
    public var offset: Int? {
        switch self {
        case .cannotOpen, .notARegularFile, .unsupportedVersion, .invalidHeader, .cannotReadTrace, .noTracedProcess,
             .eventsDiscarded, .damagedEvent:
            nil
        case .notALog:
            0
        case .truncatedHeader(let size), .truncatedFile(let size):
            size
        case .cannotRead(let offset, _), .badChunkMagic(let offset), .unknownChunkKind(_, let offset),
             .truncatedChunk(let offset), .truncatedRecord(let offset),
             .recordSizeOutOfRange(_, let offset), .unknownFunction(_, let offset),
             .malformedRecord(let offset, _), .malformedArgument(_, _, let offset, _),
             .trailingBytes(_, let offset), .unknownMetadataType(_, let offset):
            offset
        }
    }
}
