/// Decodes the call records of one chunk into calls, stopping at the first damage.
struct ChunkDecoder {
    /// The size of a call record's fixed `size` field.
    private static let sizeFieldLength = 2
    /// The smallest record size the format allows.
    private static let minimumRecordSize = 6

    /// The file header (chunk size, clock calibration).
    let header: LogHeader
    /// Module paths and short names by module index.
    let modules: [UInt8: (path: String, name: String)]

    /// Decodes `bytes`, the bytes of `chunk` present in the file.
    ///
    /// - Parameters:
    ///   - position: The chunk's position among its stream's chunks (for the merge key).
    ///   - generation: The stream's generation (for the merge key).
    /// - Returns: The calls before any damage, and the damage with the time it sits at.
    func decode(_ chunk: ChunkLocation, bytes: [UInt8], position chunkPosition: Int, generation: Int)
        -> (calls: [PendingCall], damage: StreamDamage?)
    {
        var calls: [PendingCall] = []
        var previousStart = chunk.baseTime
        var previousCaller: UInt64 = 0
        var offset = ChunkLocation.headerSize
        var recordIndex = 0
        func damage(_ error: LogFormatError) -> (calls: [PendingCall], damage: StreamDamage?) {
            let key = MergeKey(start: header.monotonic(clock: previousStart), threadID: chunk.threadID, generation: generation,
                               chunk: chunkPosition, record: recordIndex)
            return (calls, StreamDamage(key: key, error: error))
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
            var cursor = ByteCursor(bytes, fileBase: chunk.offset, start: offset + Self.sizeFieldLength, end: offset + size)
            switch decodeRecord(&cursor, recordOffset: recordOffset, threadID: chunk.threadID, previousStart: &previousStart,
                                previousCaller: &previousCaller) {
            case .success(let call):
                let key = MergeKey(start: call.startNanoseconds, threadID: chunk.threadID, generation: generation,
                                   chunk: chunkPosition, record: recordIndex)
                calls.append(PendingCall(key: key, call: call))
            case .failure(let error):
                return damage(error)
            }
            offset += size
            recordIndex += 1
        }
        return (calls, nil)
    }

    /// Decodes one call record; `previousStart` is the start time the record's delta is relative to,
    /// and becomes this record's start as soon as the fixed fields parse (`previousCaller` the
    /// same for the caller address of format 2).
    func decodeRecord(_ cursor: inout ByteCursor, recordOffset: Int, threadID: UInt32,
                      previousStart: inout UInt64, previousCaller: inout UInt64) -> Result<DecodedCall, LogFormatError> {
        let functionID: UInt16, moduleIndex: UInt8, flags: CallFlags, duration: UInt64, returnValue: UInt64
        var context: CallContext?
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
                var job: UInt64 = 0, wait: UInt64 = 0
                if flags.contains(.hasContext) {
                    let jobOffset = cursor.fileOffset
                    job = try cursor.uvarint()
                    wait = try cursor.uvarint()
                    if job == 0 { throw DecodeFailure(offset: jobOffset, reason: .zeroJob) }
                }
                context = CallContext(jobAddress: job, waitContextAddress: wait, callerAddress: previousCaller)
            } else if flags.contains(.hasContext) {
                context = CallContext(jobAddress: try cursor.uvarint(), waitContextAddress: try cursor.uvarint(),
                                      callerAddress: try cursor.uvarint())
            }
        } catch {
            return .failure(.malformedRecord(offset: error.offset, reason: error.reason))
        }
        guard let function = FunctionSchema.byID(functionID) else {
            return .failure(.unknownFunction(id: functionID, offset: recordOffset))
        }
        var arguments: [DecodedArgument] = []
        arguments.reserveCapacity(function.arguments.count)
        for schema in function.arguments {
            if arguments.last?.value == .notRecorded {
                arguments.append(DecodedArgument(schema: schema, value: .notRecorded))
                continue
            }
            do throws(DecodeFailure) {
                arguments.append(DecodedArgument(schema: schema, value: try ValueDecoder.decode(schema, from: &cursor)))
            } catch where flags.contains(.truncated) {
                arguments.append(DecodedArgument(schema: schema, value: .notRecorded))
            } catch {
                return .failure(.malformedArgument(function: function.name, parameter: schema.name,
                                                   offset: error.offset, reason: error.reason))
            }
        }
        if !cursor.isAtEnd, !flags.contains(.truncated) {
            return .failure(.trailingBytes(count: cursor.remaining, offset: cursor.fileOffset))
        }
        return .success(DecodedCall(
            sequence: 0, startNanoseconds: header.monotonic(clock: previousStart),
            wallClockNanoseconds: header.wallClock(monotonic: header.monotonic(clock: previousStart)),
            durationNanoseconds: header.nanoseconds(clockSpan: duration),
            threadID: threadID, moduleIndex: moduleIndex, modulePath: modules[moduleIndex]?.path, function: function,
            returnValue: ReturnValue(rawValue: returnValue), flags: flags, context: context,
            arguments: arguments, fileOffset: recordOffset, moduleName: modules[moduleIndex]?.name))
    }
}
