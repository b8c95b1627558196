/// The file header of a p11trace log (docs/log-format.md, "File header").
public struct LogHeader: Hashable, Sendable {
    /// The format version this decoder writes into records it makes itself (the live text
    /// backend's) and the newest it reads.
    public static let supportedVersion: UInt32 = 2
    /// Every format version this decoder reads.
    public static let readableVersions: ClosedRange<UInt32> = 1...2
    /// The magic at offset 0.
    static let magic: [UInt8] = Array("P11TRACE".utf8)
    /// The offset just past the last defined header field.
    static let definedSize = 936

    /// The file's format version.
    public var formatVersion: UInt32
    /// The size of the header; chunk 0 starts here.
    public var headerSize: Int
    /// The size of every chunk.
    public var chunkSize: Int
    /// What the writer kept.
    public var captureLevel: CaptureLevel
    /// The traced process.
    public var pid: UInt32
    /// The traced process's parent.
    public var parentPID: UInt32
    /// `CLOCK_MONOTONIC` (ns) when the file was created.
    public var monotonicOrigin: UInt64
    /// `CLOCK_REALTIME` (ns since the Unix epoch) read at the same moment.
    public var wallClockOrigin: UInt64
    /// The clock of record times (1 = `CLOCK_MONOTONIC` ns, 2 = TSC ticks).
    public var clockID: UInt32
    /// With TSC ticks: the TSC reading taken with ``monotonicOrigin``.
    public var clockOrigin: UInt64 = 0
    /// With TSC ticks: ticks per second (measured by the writer, refined from chunk anchors).
    public var ticksPerSecond: UInt64 = 0
    /// `sizeof(CK_ULONG)` in the traced process.
    public var ulongSize: Int
    /// Whether the process was set-uid/set-gid and its environment configuration was ignored.
    public var wasSetUID: Bool
    /// `/proc/self/comm` of the traced process.
    public var processName: String
    /// `/proc/self/exe` of the traced process (possibly truncated).
    public var executablePath: String
    /// The command line, arguments separated by one space (possibly truncated).
    public var commandLine: String
    /// The writer's version string.
    public var writerVersion: String

    /// A record time (clock units) as `CLOCK_MONOTONIC` ns.
    public func monotonic(clock: UInt64) -> UInt64 {
        guard clockID == 2 else { return clock }
        let ticks = Double(Int64(bitPattern: clock &- clockOrigin))
        let offset = Int64(Self.rounded(ticks * 1e9 / Double(ticksPerSecond)))
        return UInt64(bitPattern: Int64(bitPattern: monotonicOrigin) &+ offset)
    }

    /// A span of record time (clock units) in ns.
    public func nanoseconds(clockSpan: UInt64) -> UInt64 {
        guard clockID == 2 else { return clockSpan }
        return UInt64(Self.rounded(Double(clockSpan) * 1e9 / Double(ticksPerSecond)))
    }

    /// `value.rounded()` (halfway cases away from zero), without a call into the C library for
    /// the magnitudes record times have: below 2^52 the truncated value and the fraction left
    /// over are exact, so the result is the same. (Every record's time goes through this.)
    static func rounded(_ value: Double) -> Double {
        guard value.magnitude < 0x1p52 else { return value.rounded() }
        let whole = Double(Int64(value))
        let fraction = value - whole
        if fraction >= 0.5 { return whole + 1 }
        if fraction <= -0.5 { return whole - 1 }
        return whole
    }

    /// The wall-clock time (ns since the Unix epoch) of a monotonic record time.
    public func wallClock(monotonic: UInt64) -> Int64 {
        Int64(bitPattern: wallClockOrigin &+ (monotonic &- monotonicOrigin))
    }

    /// Parses and validates a header.
    ///
    /// - Parameters:
    ///   - bytes: The first bytes of the file (at least ``definedSize`` unless the file is shorter).
    ///   - fileSize: The size of the whole file.
    /// - Throws: ``LogFormatError/notALog``, ``LogFormatError/unsupportedVersion(found:)``,
    ///   ``LogFormatError/truncatedHeader(fileSize:)`` or ``LogFormatError/invalidHeader(field:value:)``.
    init(bytes: [UInt8], fileSize: Int) throws(LogFormatError) {
        let magicLength = min(bytes.count, Self.magic.count)
        guard bytes.prefix(magicLength).elementsEqual(Self.magic.prefix(magicLength)) else { throw .notALog }
        guard bytes.count >= 12 else { throw .truncatedHeader(fileSize: fileSize) }
        var cursor = ByteCursor(bytes, fileBase: 0, start: 8)
        do {
            formatVersion = try cursor.u32()
            guard Self.readableVersions.contains(formatVersion) else { throw LogFormatError.unsupportedVersion(found: formatVersion) }
            guard bytes.count >= Self.definedSize else { throw LogFormatError.truncatedHeader(fileSize: fileSize) }
            let headerSize = try cursor.u32()
            guard (UInt32(Self.definedSize)...(1 << 24)).contains(headerSize) else {
                throw LogFormatError.invalidHeader(field: .headerSize, value: UInt64(headerSize))
            }
            guard Int(headerSize) <= fileSize else { throw LogFormatError.truncatedHeader(fileSize: fileSize) }
            let chunkSize = try cursor.u32()
            guard (64...(1 << 26)).contains(chunkSize) else {
                throw LogFormatError.invalidHeader(field: .chunkSize, value: UInt64(chunkSize))
            }
            self.headerSize = Int(headerSize)
            self.chunkSize = Int(chunkSize)
            captureLevel = CaptureLevel(raw: try cursor.u32())
            pid = try cursor.u32()
            parentPID = try cursor.u32()
            monotonicOrigin = try cursor.u64()
            wallClockOrigin = try cursor.u64()
            clockID = try cursor.u32()
            ulongSize = Int(try cursor.u8())
            wasSetUID = try cursor.u8() & 1 != 0
            guard clockID == 1 || clockID == 2 else {
                throw LogFormatError.invalidHeader(field: .clock, value: UInt64(clockID))
            }
            if clockID == 2 {
                clockOrigin = Self.u64(bytes, 56)
                ticksPerSecond = Self.u64(bytes, 928)
                guard ticksPerSecond >= 1_000_000 else {
                    throw LogFormatError.invalidHeader(field: .clockRate, value: ticksPerSecond)
                }
            }
        } catch let error as LogFormatError {
            throw error
        } catch {
            throw .truncatedHeader(fileSize: fileSize)
        }
        processName = Self.paddedString(bytes, 64, 64)
        executablePath = Self.paddedString(bytes, 128, 256)
        commandLine = Self.paddedString(bytes, 384, 512)
        writerVersion = Self.paddedString(bytes, 896, 32)
    }

    /// A little-endian `u64` at `offset`.
    private static func u64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    /// The text of a NUL-padded field.
    private static func paddedString(_ bytes: [UInt8], _ offset: Int, _ length: Int) -> String {
        let field = bytes[offset..<min(bytes.count, offset + length)]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}

extension LogHeader {
    /// With TSC ticks, replaces the writer's 2 ms rate measurement with the rate between the
    /// header's anchor and the latest chunk anchor, once they are at least a second apart
    /// (the error of an anchor is a few tens of ns, so the rate is then good to 1e-7).
    mutating func refineClock(anchors chunks: [ChunkLocation]) {
        guard clockID == 2, let last = chunks.filter({ $0.anchor > monotonicOrigin }).max(by: { $0.anchor < $1.anchor }),
              last.anchor - monotonicOrigin >= 1_000_000_000, last.baseTime > clockOrigin else { return }
        let rate = Double(last.baseTime - clockOrigin) * 1e9 / Double(last.anchor - monotonicOrigin)
        if rate >= 1e6 { ticksPerSecond = UInt64(rate.rounded()) }
    }
}
