/// The chunk headers of a log, read once when it is opened: call chunks grouped into thread
/// streams, metadata chunks, and the damage found on the way.
struct ChunkIndex {
    /// One stream per thread (per tid and generation), chunks in index order.
    private(set) var streams: [ThreadStream<DecodedCall>] = []
    /// Damage that belongs to no thread's stream.
    private(set) var damage: [LogFormatError] = []
    private var metadata: [ChunkLocation] = []
    private let file: LogFile
    private let header: LogHeader

    /// Reads every chunk header of `file`.
    init(file: LogFile, header: LogHeader) {
        self.file = file
        self.header = header
        var calls: [ChunkLocation] = []
        var offset = header.headerSize
        while offset < file.size {
            let available = min(header.chunkSize, file.size - offset)
            do throws(LogFormatError) {
                if let chunk = try readChunkHeader(at: offset, available: available) {
                    if chunk.kind == .calls { calls.append(chunk) } else { metadata.append(chunk) }
                }
            } catch {
                damage.append(error)
            }
            offset += header.chunkSize
        }
        if (file.size - header.headerSize) % header.chunkSize != 0 {
            damage.append(.truncatedFile(size: file.size))
        }
        streams = Self.groupIntoStreams(calls)
    }

    /// The chunk at `offset`, `nil` if it is unused.
    private func readChunkHeader(at offset: Int, available: Int) throws(LogFormatError) -> ChunkLocation? {
        let bytes = try file.read(at: offset, count: min(available, ChunkLocation.headerSize))
        if bytes.prefix(4).allSatisfy({ $0 == 0 }) {
            return nil
        }
        guard bytes.count == ChunkLocation.headerSize else { throw .truncatedChunk(offset: offset) }
        let field = { (start: Int, width: Int) -> UInt64 in
            (0..<width).reduce(0) { $0 | UInt64(bytes[start + $1]) << (8 * $1) }
        }
        guard field(0, 4) == ChunkLocation.magic else { throw .badChunkMagic(offset: offset) }
        let rawKind = UInt16(field(4, 2))
        guard let kind = ChunkLocation.Kind(rawValue: rawKind) else {
            throw .unknownChunkKind(kind: rawKind, offset: offset)
        }
        return ChunkLocation(offset: offset, available: available, kind: kind, threadID: UInt32(field(8, 4)),
                             ordinal: UInt32(field(12, 4)), baseTime: field(16, 8), anchor: field(24, 8))
    }

    /// Groups call chunks by tid; a chunk with index 0 after others of the same tid starts a new
    /// stream (the tid was reused by a later thread).
    private static func groupIntoStreams(_ chunks: [ChunkLocation]) -> [ThreadStream<DecodedCall>] {
        var groups: [[ChunkLocation]] = []
        var current: [UInt32: Int] = [:]
        for chunk in chunks {
            if let group = current[chunk.threadID], chunk.ordinal != 0 || groups[group].isEmpty {
                groups[group].append(chunk)
            } else {
                current[chunk.threadID] = groups.count
                groups.append([chunk])
            }
        }
        var generations: [UInt32: Int] = [:]
        return groups.map { group in
            let threadID = group[0].threadID
            let generation = generations[threadID, default: 0]
            generations[threadID] = generation + 1
            let ordered = group.enumerated().sorted { ($0.element.ordinal, $0.offset) < ($1.element.ordinal, $1.offset) }
            return ThreadStream(threadID: threadID, generation: generation, chunks: ordered.map(\.element))
        }
    }

    /// Reads the metadata chunks: the modules and the loaded objects. A module index described
    /// more than once (once per table layout) keeps its first path and load method and gathers
    /// the tables.
    mutating func readMetadata() -> (modules: [ModuleInfo], libraries: LibraryMap) {
        var modules: [UInt8: ModuleInfo] = [:]
        var objects: [LoadedObject] = []
        for chunk in metadata {
            do throws(LogFormatError) {
                let bytes = try file.read(at: chunk.offset, count: chunk.available)
                let records = try Self.metadataRecords(in: chunk, bytes: bytes, header: header) { objects.append($0) }
                for module in records {
                    guard var known = modules[module.index] else {
                        modules[module.index] = module
                        continue
                    }
                    known.tables += module.tables.filter { !known.tables.contains($0) }
                    modules[module.index] = known
                }
            } catch {
                damage.append(error)
            }
        }
        return (modules.values.sorted { $0.index < $1.index }, LibraryMap(objects: objects))
    }

    /// The module records of one metadata chunk, its loaded objects handed to `object`
    /// (format 2); throws at the first damage.
    private static func metadataRecords(in chunk: ChunkLocation, bytes: [UInt8], header: LogHeader,
                                        object: (LoadedObject) -> Void) throws(LogFormatError) -> [ModuleInfo] {
        let chunkSize = header.chunkSize
        var modules: [ModuleInfo] = []
        var offset = ChunkLocation.headerSize
        while offset + 2 <= chunkSize {
            let recordOffset = chunk.offset + offset
            guard offset + 2 <= bytes.count else { throw .truncatedRecord(offset: recordOffset) }
            let size = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            if size == 0 { break }
            guard size >= 4, offset + size <= chunkSize else { throw .recordSizeOutOfRange(size: size, offset: recordOffset) }
            guard offset + size <= bytes.count else { throw .truncatedRecord(offset: recordOffset) }
            let type = UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8
            guard type == 1 || (type == 2 && header.formatVersion >= 2) else {
                throw .unknownMetadataType(type: type, offset: recordOffset)
            }
            var cursor = ByteCursor(bytes, fileBase: chunk.offset, start: offset + 4, end: offset + size)
            do throws(DecodeFailure) {
                if type == 1 {
                    modules.append(try ModuleInfo(payload: &cursor))
                } else {
                    object(try LoadedObject(payload: &cursor))
                }
            } catch {
                throw .malformedRecord(offset: error.offset, reason: error.reason)
            }
            offset += size
        }
        return modules
    }
}
