/// Decodes the call records of one chunk, stopping at the first damage.
///
/// The framing (record sizes) and the fixed fields of every record are read here; what is
/// made of the arguments is up to the record type (``ChunkRecord``): the full ``DecodedCall``
/// or the ``CallSummary`` that `stats` reads.
struct ChunkDecoder {
    /// The size of a call record's fixed `size` field.
    private static let sizeFieldLength = 2
    /// The smallest record size the format allows.
    private static let minimumRecordSize = 6

    /// The file header (chunk size, clock calibration).
    let header: LogHeader
    /// Module paths and short names by module index.
    let modules: [UInt8: (path: String, name: String)]

    /// Decodes `bytes`, the bytes of `chunk` present in the file, appending its records to
    /// `calls` in record order.
    ///
    /// - Parameters:
    ///   - position: The chunk's position among its stream's chunks (for the merge key).
    ///   - generation: The stream's generation (for the merge key).
    ///   - calls: Where the records before any damage go.
    /// - Returns: The damage with the time it sits at, if any.
    func decode<Record: ChunkRecord>(_ chunk: ChunkLocation, bytes: [UInt8], position chunkPosition: Int,
                                     generation: Int, into calls: inout [PendingCall<Record>]) -> StreamDamage?
    {
        var previousStart = chunk.baseTime
        var previousCaller: UInt64 = 0
        var offset = ChunkLocation.headerSize
        var recordIndex = 0
        var cursor = ByteCursor(bytes, fileBase: chunk.offset)
        func damage(_ error: LogFormatError) -> StreamDamage {
            let key = MergeKey(start: header.monotonic(clock: previousStart), threadID: chunk.threadID, generation: generation,
                               chunk: chunkPosition, record: recordIndex)
            return StreamDamage(key: key, error: error)
        }
        while offset + Self.sizeFieldLength <= header.chunkSize {
            let recordOffset = chunk.offset + offset
            guard offset + Self.sizeFieldLength <= bytes.count else { return damage(.truncatedRecord(offset: recordOffset)) }
            let size = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            if size == 0 { break }
            guard size >= Self.minimumRecordSize, offset + size <= header.chunkSize else {
                return damage(.recordSizeOutOfRange(size: size, offset: recordOffset))
            }
            guard offset + size <= bytes.count else { return damage(.truncatedRecord(offset: recordOffset)) }
            cursor.select(start: offset + Self.sizeFieldLength, end: offset + size)
            do throws(LogFormatError) {
                let fields = try decodeFields(&cursor, recordOffset: recordOffset, threadID: chunk.threadID,
                                              previousStart: &previousStart, previousCaller: &previousCaller)
                let key = MergeKey(start: fields.startNanoseconds, threadID: chunk.threadID, generation: generation,
                                   chunk: chunkPosition, record: recordIndex)
                calls.append(PendingCall(key: key, call: try Record.decode(fields, arguments: &cursor, decoder: self)))
            } catch {
                return damage(error)
            }
            offset += size
            recordIndex += 1
        }
        return nil
    }

    /// Decodes the fixed fields of one call record; `previousStart` is the start time the
    /// record's delta is relative to, and becomes this record's start as soon as the fixed
    /// fields parse (`previousCaller` the same for the caller address of format 2).
    func decodeFields(_ cursor: inout ByteCursor, recordOffset: Int, threadID: UInt32,
                              previousStart: inout UInt64, previousCaller: inout UInt64) throws(LogFormatError) -> RecordFields {
        let functionID: UInt16, moduleIndex: UInt8, flags: CallFlags, duration: UInt64, returnValue: UInt64
        var hasContext = false
        var job: UInt64 = 0, wait: UInt64 = 0, caller: UInt64 = 0
        do throws(DecodeFailure) {
            functionID = try cursor.u16()
            moduleIndex = try cursor.u8()
            flags = CallFlags(rawValue: try cursor.u8())
            previousStart &+= UInt64(bitPattern: try cursor.zigzag())
            duration = try cursor.uvarint()
            returnValue = try cursor.uvarint()
            if header.formatVersion >= 2 {
                // Every record: the caller as a delta; in a job, the job and its wait context.
                previousCaller &+= UInt64(bitPattern: try cursor.zigzag())
                caller = previousCaller
                hasContext = true
                if flags.contains(.hasContext) {
                    let jobOffset = cursor.fileOffset
                    job = try cursor.uvarint()
                    wait = try cursor.uvarint()
                    if job == 0 { throw DecodeFailure(offset: jobOffset, reason: .zeroJob) }
                }
            } else if flags.contains(.hasContext) {
                hasContext = true
                job = try cursor.uvarint()
                wait = try cursor.uvarint()
                caller = try cursor.uvarint()
            }
        } catch {
            throw .malformedRecord(offset: error.offset, reason: error.reason)
        }
        guard let functionIndex = FunctionSchema.index(ofID: functionID) else {
            throw .unknownFunction(id: functionID, offset: recordOffset)
        }
        return RecordFields(
            fileOffset: recordOffset, functionIndex: functionIndex, moduleIndex: moduleIndex, flags: flags,
            startNanoseconds: header.monotonic(clock: previousStart), durationNanoseconds: header.nanoseconds(clockSpan: duration),
            returnValue: ReturnValue(rawValue: returnValue), threadID: threadID, hasContext: hasContext,
            jobAddress: job, waitContextAddress: wait, callerAddress: caller)
    }
}
