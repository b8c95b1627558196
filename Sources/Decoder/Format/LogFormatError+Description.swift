extension LogFormatError: CustomStringConvertible {
    /// What is wrong, in one line and without the offset (``offset`` has it).
    public var description: String {
        switch self {
        case .cannotOpen(let path, let errno):
            "cannot open \(path): \(SystemError.message(errno))"
        case .notARegularFile(let path):
            "\(path) is not a regular file"
        case .cannotRead(_, let errno):
            "read failed: \(SystemError.message(errno))"
        case .notALog:
            "not a p11trace log (bad magic)"
        case .unsupportedVersion(let found):
            "unsupported log format version \(found) (this decoder reads versions \(LogHeader.readableVersions.lowerBound) to \(LogHeader.readableVersions.upperBound))"
        case .truncatedHeader(let size):
            "file ends inside the header (\(size) bytes)"
        case .invalidHeader(let field, let value):
            "invalid \(field.rawValue) \(value) in the header"
        case .badChunkMagic:
            "chunk does not start with the magic P11C"
        case .unknownChunkKind(let kind, _):
            "unknown chunk kind \(kind)"
        case .truncatedChunk:
            "file ends inside a chunk header"
        case .truncatedRecord:
            "file ends inside a record"
        case .recordSizeOutOfRange(let size, _):
            "record size \(size) out of range"
        case .unknownFunction(let id, _):
            "unknown function id \(id)"
        case .malformedRecord(_, let reason):
            "malformed call record: \(reason)"
        case .malformedArgument(let function, let parameter, _, let reason):
            "malformed argument \(parameter) of \(function): \(reason)"
        case .trailingBytes(let count, _):
            "\(count) bytes left over after the last argument"
        case .unknownMetadataType(let type, _):
            "unknown metadata record type \(type)"
        case .truncatedFile(let size):
            "file ends inside a chunk (\(size) bytes)"
        case .cannotReadTrace(let reason):
            "cannot read the LTTng trace: \(reason)"
        case .noTracedProcess(let pid):
            pid.map { "no p11trace call of process \($0) in the LTTng trace" } ?? "no p11trace call in the LTTng trace"
        case .eventsDiscarded(let count):
            "LTTng discarded \(count) event\(count == 1 ? "" : "s") while recording (its buffers were full): calls are missing"
        case .damagedEvent(let sequence, let damage):
            "damaged event of call \(sequence): \(damage.description)\(damage.offset.map { " at record offset \($0)" } ?? "")"
        }
    }
}

extension LogFormatError.RecordDamage: CustomStringConvertible {
    /// What is wrong inside the record, in a few words.
    public var description: String {
        switch self {
        case .endOfRecord: "value runs past the end of the record"
        case .badVarint: "bad varint"
        case .invalidByte(let byte): "invalid state or flags byte \(byte)"
        case .countTooLarge(let count): "count \(count) larger than the record"
        case .leftoverBytes(let count): "nested template leaves \(count) bytes unread"
        case .unknownStructure(let name): "no layout for structure \(name)"
        case .zeroJob: "async job flag set but the job address is 0"
        }
    }
}

extension LogFormatError {
    /// The one-line message a tool prints for this error while reading `path`:
    /// `damaged log at offset N: what` for damage, `path: what` for a file that is no log
    /// this decoder reads.
    public func message(path: String) -> String {
        switch self {
        case .cannotOpen, .notARegularFile:
            return description
        case .cannotRead(let offset, _):
            return "\(path): \(description) at offset \(offset)"
        case .notALog, .unsupportedVersion, .invalidHeader, .cannotReadTrace, .noTracedProcess, .eventsDiscarded,
             .damagedEvent:
            return "\(path): \(description)"
        default:
            return "damaged log at offset \(offset ?? 0): \(description)"
        }
    }
}
