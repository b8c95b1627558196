import CExport
#if canImport(Glibc)
import Glibc
#endif

extension BinaryLog {
    /// Opens this process's log file and writes its header and the known modules.
    ///
    /// An existing file is never overwritten: a trace is evidence. When the path is taken
    /// (an earlier run, a concurrent process, or the parent of a forked child), the log goes
    /// to `PATH.<pid>` instead.
    static func openLocked() -> Bool {
        if failed { return false }
        let pid = getpid()
        let template = configuration.output
        var path = template.replacingPercentP(with: pid)
        var descriptor: Int32 = -1
        if !(forkedChild && !template.contains("%p")) {
            descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        }
        if descriptor < 0 && (errno == EEXIST || forkedChild) {
            path = "\(path).\(pid)"
            descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        }
        guard descriptor >= 0 else {
            failed = true
            report("p11trace: cannot create the trace file \(path): \(String(cString: strerror(errno)))")
            return false
        }
        fd = descriptor
        self.path = path
        writeHeader(pid: pid)
        for module in modules { writeModuleLocked(module) }
        writeLibraryMapLocked()
        return true
    }

    private static func writeHeader(pid: pid_t) {
        var header = [UInt8](repeating: 0, count: headerSize)
        func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { bytes in
                for (i, b) in bytes.enumerated() { header[offset + i] = b }
            }
        }
        func put(_ text: String, _ offset: Int, _ size: Int) {
            for (i, b) in text.utf8.prefix(size - 1).enumerated() { header[offset + i] = b }
        }
        for (i, b) in "P11TRACE".utf8.enumerated() { header[i] = b }
        put(formatVersion, 8)
        put(UInt32(headerSize), 12)
        put(UInt32(chunkSize), 16)
        put(configuration.capture.rawValue, 20)
        put(UInt32(bitPattern: pid), 24)
        put(UInt32(bitPattern: getppid()), 28)
        var clock0: UInt64 = 0, mono0: UInt64 = 0, wall = timespec()
        p11t_clock_pair(&clock0, &mono0)
        clock_gettime(CLOCK_REALTIME, &wall)
        put(mono0, 32)
        put(UInt64(wall.tv_sec) * 1_000_000_000 + UInt64(wall.tv_nsec), 40)
        if p11t_clock_uses_tsc() != 0 {
            put(UInt32(2), 48)
            put(clock0, 56)
            put(measureTicksPerSecond(from: clock0, mono0), 928)
        } else {
            put(UInt32(1), 48)
        }
        header[52] = UInt8(MemoryLayout<CK_ULONG>.size)
        put(readText("/proc/self/comm").trimmingNewline(), 64, 64)
        put(readLink("/proc/self/exe"), 128, 256)
        // Command lines carry PINs (`--pin 1234`, `pin-value=` in URIs) in ways no filter can
        // catch reliably: kept only when secrets are captured.
        if configuration.capture == .secrets {
            put(readText("/proc/self/cmdline").split(separator: "\0").joined(separator: " "), 384, 512)
        }
        put(writerVersion, 896, 32)
        _ = header.withUnsafeBytes { pwrite(fd, $0.baseAddress, headerSize, 0) }
    }

    /// The TSC's rate, measured against CLOCK_MONOTONIC over 2 ms once, when the log is
    /// created. The decoder refines it with the chunks' anchors on longer traces.
    private static func measureTicksPerSecond(from clock0: UInt64, _ mono0: UInt64) -> UInt64 {
        var clock1: UInt64 = 0, mono1: UInt64 = 0
        repeat { p11t_clock_pair(&clock1, &mono1) } while mono1 &- mono0 < 2_000_000
        return UInt64((Double(clock1 &- clock0) * 1e9 / Double(mono1 &- mono0)).rounded())
    }

    /// 64 KiB of zeros, written once per chunk (allocated on first use, under the log lock).
    nonisolated(unsafe) static var zeroChunk = [UInt8](repeating: 0, count: chunkSize)

    /// Maps the next chunk of the file (grown by exactly one chunk). Returns nil on failure.
    static func mapChunkLocked() -> UnsafeMutableRawPointer? {
        // Once the file could not grow, do not try again on every call (a full disk rarely
        // clears while the process runs, and each try would write 64 KiB).
        guard !growthFailureReported else { return nil }
        let offset = headerSize + chunksUsed * chunkSize
        // Grow the file by writing the chunk's zeros rather than with ftruncate: the pages then
        // enter the page cache by a copy instead of by faults and read-ahead of a hole, and
        // MAP_POPULATE maps them all at once. Both happen here, once per chunk, not per record.
        let written = writeZeros(at: offset)
        guard written == chunkSize else {
            let reason = written < 0 ? String(cString: strerror(errno))
                : "\(written) of \(chunkSize) bytes written: disk full or file size limit"
            // Cut a partial chunk off again: the file stays whole chunks, readable to the end.
            _ = ftruncate(fd, off_t(offset))
            reportGrowthFailure(reason)
            return nil
        }
        let address = mmap(nil, chunkSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off_t(offset))
        guard let address, address != MAP_FAILED else {
            reportGrowthFailure(String(cString: strerror(errno)))
            return nil
        }
        chunksUsed += 1
        return address
    }

    /// Writes one chunk of zeros at `offset`. Past a file size limit (`ulimit -f`) the kernel
    /// sends SIGXFSZ, which kills a process by default: the application did not write that file,
    /// so the signal is blocked around the write and, if the write raised it, taken back; the
    /// write then fails with EFBIG and the log stops growing.
    private static func writeZeros(at offset: Int) -> Int {
        var block = sigset_t(), saved = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGXFSZ)
        pthread_sigmask(SIG_BLOCK, &block, &saved)
        let written = zeroChunk.withUnsafeBytes { pwrite(fd, $0.baseAddress, chunkSize, off_t(offset)) }
        if written != chunkSize, sigismember(&saved, SIGXFSZ) == 0 {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGXFSZ) == 1 {
                var now = timespec()
                _ = sigtimedwait(&block, nil, &now)
            }
        }
        pthread_sigmask(SIG_SETMASK, &saved, nil)
        return written
    }

    /// Says once, on standard error, that the log stopped growing and later calls are lost:
    /// a trace that silently ends early would be read as the process having stopped calling.
    private static func reportGrowthFailure(_ reason: String) {
        growthFailureReported = true  // mapChunkLocked tries no more: this is said once
        report("p11trace: the trace file \(path) cannot grow (\(reason)): calls from here on are not recorded")
    }

    /// One line to standard error, written in one call.
    private static func report(_ line: String) {
        let message = line + "\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
    }

    /// Appends one module description to the metadata chunk.
    static func writeModuleLocked(_ module: ModuleDescription) {
        let path = Array(module.path.utf8.prefix(4000))
        // Managed mode appends the caller's path (docs/log-format.md, module metadata).
        let caller = module.caller.map { Array($0.utf8.prefix(4000)) }
        writeMetadataLocked(type: 1) { encoder in
            encoder.u8(module.index)
            encoder.u8(module.layout)
            encoder.u8(module.major)
            encoder.u8(module.minor)
            encoder.uvarint(UInt64(path.count))
            path.withUnsafeBytes { encoder.raw($0.baseAddress!, count: path.count) }
            encoder.u8(module.how)
            if let caller {
                encoder.uvarint(UInt64(caller.count))
                caller.withUnsafeBytes { encoder.raw($0.baseAddress!, count: caller.count) }
            }
        }
    }

    /// The largest metadata record this writer writes (two paths of 4000 bytes and the fields).
    private static let metadataRecordLimit = 8192 + 64

    /// Appends one metadata record of `type` whose payload `body` encodes, taking a new
    /// metadata chunk when the current one cannot hold the largest record.
    static func writeMetadataLocked(type: UInt16, _ body: (inout RecordEncoder) -> Void) {
        if metadataChunk == nil || metadataPosition + metadataRecordLimit > chunkSize {
            guard let chunk = mapChunkLocked() else { return }
            chunk.storeBytes(of: 2 as UInt16, toByteOffset: 4, as: UInt16.self)
            chunk.storeBytes(of: chunkMagic, toByteOffset: 0, as: UInt32.self)
            metadataChunk = chunk
            metadataPosition = chunkHeaderSize
        }
        guard let chunk = metadataChunk else { return }
        let record = chunk + metadataPosition
        var encoder = RecordEncoder(base: record, capacity: metadataRecordLimit, capture: .lengths)
        encoder.position = 2
        encoder.u16(type)
        body(&encoder)
        guard !encoder.overflow else { return }
        p11t_commit_record(record.assumingMemoryBound(to: UInt8.self), UInt16(encoder.position))
        metadataPosition += encoder.position
    }

    static func readText(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { return "" }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 4096) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }

    static func readLink(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, 4095)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    }
}

extension String {
    func replacingPercentP(with pid: pid_t) -> String {
        var out = ""
        var it = makeIterator()
        while let c = it.next() {
            if c == "%" {
                if let n = it.next() {
                    if n == "p" { out += String(pid) } else { out.append(c); out.append(n) }
                } else { out.append(c) }
            } else { out.append(c) }
        }
        return out
    }

    func trimmingNewline() -> String {
        var s = self
        while s.last == "\n" { s.removeLast() }
        return s
    }
}
