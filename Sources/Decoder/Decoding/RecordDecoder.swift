/// Decodes single call records outside any log file, for a writer that renders calls as they
/// happen (the interposer's live text backend).
///
/// A record here has exactly the layout of a call record in a chunk (docs/log-format.md,
/// "Call records"), `size` field included; its start-time delta is relative to the start
/// time the caller passes.
public struct RecordDecoder {
    /// The record must fit in a chunk; the `u16` size limits it to 65535 bytes.
    private static let chunkSize = ChunkLocation.headerSize + 65536 + 2
    private let decoder: ChunkDecoder

    /// Creates a decoder for records written by a process.
    ///
    /// - Parameters:
    ///   - ulongSize: `sizeof(CK_ULONG)` in the writing process.
    ///   - monotonicOrigin: A `CLOCK_MONOTONIC` time (ns) read together with `wallClockOrigin`.
    ///   - wallClockOrigin: `CLOCK_REALTIME` (ns since the Unix epoch) read at the same moment.
    public init(ulongSize: Int, monotonicOrigin: UInt64, wallClockOrigin: UInt64) {
        let header = LogHeader(liveWithULongSize: ulongSize, chunkSize: Self.chunkSize,
                               monotonicOrigin: monotonicOrigin, wallClockOrigin: wallClockOrigin)
        decoder = ChunkDecoder(header: header, modules: [:])
    }

    /// Decodes one call record.
    ///
    /// - Parameters:
    ///   - record: The record's bytes, starting with its `size` field.
    ///   - threadID: The kernel tid of the calling thread.
    ///   - baseTime: The monotonic time (ns) the record's start delta is relative to.
    ///   - modulePath: The path of the module the call went to, if known.
    /// - Returns: The call, numbered 0, or the damage that stopped decoding.
    public func decode(record: [UInt8], threadID: UInt32, baseTime: UInt64, modulePath: String?)
        -> Result<DecodedCall, LogFormatError>
    {
        var bytes = [UInt8](repeating: 0, count: ChunkLocation.headerSize)
        bytes.reserveCapacity(ChunkLocation.headerSize + record.count + 2)
        bytes += record
        bytes += [0, 0]  // the size field of the next record: the chunk ends here
        let chunk = ChunkLocation(offset: 0, available: bytes.count, kind: .calls, threadID: threadID,
                                  ordinal: 0, baseTime: baseTime)
        var calls: [PendingCall<DecodedCall>] = []
        if let damage = decoder.decode(chunk, bytes: bytes, position: 0, generation: 0, into: &calls) {
            return .failure(damage.error)
        }
        guard var call = calls.first?.call ?? nil else { return .failure(.truncatedRecord(offset: 0)) }
        if let modulePath {
            call.modulePath = modulePath
            call.moduleName = ModuleInfo.shortName(path: modulePath)
        }
        return .success(call)
    }
}

extension LogHeader {
    /// A header for records that come from no file (see ``RecordDecoder``).
    init(liveWithULongSize ulongSize: Int, chunkSize: Int,
         monotonicOrigin: UInt64, wallClockOrigin: UInt64) {
        formatVersion = Self.supportedVersion
        headerSize = Self.definedSize
        self.chunkSize = chunkSize
        captureLevel = .default
        pid = 0
        parentPID = 0
        self.monotonicOrigin = monotonicOrigin
        self.wallClockOrigin = wallClockOrigin
        clockID = 1
        self.ulongSize = ulongSize
        wasSetUID = false
        processName = ""
        executablePath = ""
        commandLine = ""
        writerVersion = ""
    }
}
