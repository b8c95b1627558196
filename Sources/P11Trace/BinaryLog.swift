import CExport
#if canImport(Glibc)
import Glibc
#endif

/// The binary log file: header, chunks, and the module metadata (docs/log-format.md).
///
/// Implementation requirements: the record path only ever calls ``takeChunk(for:)`` when
/// its thread's chunk is full or belongs to an older generation, once per 64 KiB of records;
/// everything here may lock and make system calls. The file is opened on the first record,
/// so a process that loads a module but makes no call leaves no file.
enum BinaryLog {
    static let formatVersion: UInt32 = 2
    static let headerSize = 4096
    static let chunkSize = 65536
    static let chunkHeaderSize = 32
    static let writerVersion = "p11trace 0.1.0"

    /// Everything below is guarded by `lock`.
    nonisolated(unsafe) static var lock = pthread_mutex_t()
    nonisolated(unsafe) static var configuration = Configuration(output: "", capture: .lengths, functions: [], enabled: false)
    nonisolated(unsafe) static var fd: Int32 = -1
    nonisolated(unsafe) static var failed = false
    nonisolated(unsafe) static var forkedChild = false
    nonisolated(unsafe) static var chunksUsed = 0
    nonisolated(unsafe) static var metadataChunk: UnsafeMutableRawPointer? = nil
    nonisolated(unsafe) static var metadataPosition = 0
    nonisolated(unsafe) static var modules: [ModuleDescription] = []
    /// The dynamic linker's (adds, subs) when the last library map was written, and its number.
    nonisolated(unsafe) static var libraryMapCounts: (UInt64, UInt64)? = nil
    nonisolated(unsafe) static var librarySnapshot: UInt64 = 0
    /// Records that could not be written (no file, or the chunk could not be taken).
    nonisolated(unsafe) static var dropped = 0
    /// The path of this process's log, once open.
    nonisolated(unsafe) static var path = ""
    /// Whether the log has failed to grow (disk full, file size limit) and said so.
    nonisolated(unsafe) static var growthFailureReported = false

    struct ModuleDescription {
        var path: String
        var index: UInt8
        var layout: UInt8
        var major: UInt8
        var minor: UInt8
        var how: UInt8
        /// Managed mode: the library this table was handed to (each caller's table has an
        /// index of its own); nil otherwise.
        var caller: String?
    }

    static func bootstrap(_ configuration: Configuration) {
        pthread_mutex_init(&lock, nil)
        self.configuration = configuration
    }

    /// Gives the calling thread a fresh chunk of call records. Returns false when the log
    /// cannot be written; the caller then drops the record.
    static func takeChunk(for thread: UnsafeMutablePointer<p11t_thread_state>) -> Bool {
        // The log stopped growing: drop without taking the lock (read unlocked; set once, and
        // cleared only in a forked child, which opens a file of its own).
        if growthFailureReported { return false }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        let generation = p11t_log_generation_get()
        if thread.pointee.generation != generation {
            thread.pointee.chunk_index = 0
            thread.pointee.tid = 0
        }
        if thread.pointee.tid == 0 { thread.pointee.tid = p11t_gettid() }
        guard fd >= 0 || openLocked(), let chunk = mapChunkLocked() else {
            dropped += 1
            return false
        }
        // The chunk's base time and a CLOCK_MONOTONIC reading of the same moment: with TSC
        // ticks, every chunk is a calibration anchor for the decoder.
        var base: UInt64 = 0, monotonic: UInt64 = 0
        p11t_clock_pair(&base, &monotonic)
        chunk.storeBytes(of: 1 as UInt16, toByteOffset: 4, as: UInt16.self)
        chunk.storeBytes(of: thread.pointee.tid, toByteOffset: 8, as: UInt32.self)
        chunk.storeBytes(of: thread.pointee.chunk_index, toByteOffset: 12, as: UInt32.self)
        chunk.storeBytes(of: base, toByteOffset: 16, as: UInt64.self)
        chunk.storeBytes(of: monotonic, toByteOffset: 24, as: UInt64.self)
        chunk.storeBytes(of: chunkMagic, toByteOffset: 0, as: UInt32.self)
        thread.pointee.chunk = chunk.assumingMemoryBound(to: UInt8.self)
        thread.pointee.position = UInt32(chunkHeaderSize)
        thread.pointee.last_start = base
        thread.pointee.last_caller = 0
        thread.pointee.generation = generation
        thread.pointee.chunk_index += 1
        return true
    }

    /// "P11C" little-endian.
    static let chunkMagic: UInt32 = 0x4331_3150

    /// Describes a wrapped module; returns its index in the log.
    static func registerModule(path: String, layout: UInt8, major: UInt8, minor: UInt8, how: UInt8,
                               caller: String? = nil) -> UInt8 {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        let index: UInt8
        if let known = modules.first(where: { $0.path == path && $0.caller == caller }) {
            index = known.index
            if modules.contains(where: { $0.path == path && $0.caller == caller && $0.layout == layout }) { return index }
        } else {
            let distinct = Set(modules.map(\.index)).count
            guard distinct < 255 else { return 255 }
            index = UInt8(distinct)
        }
        let module = ModuleDescription(path: path, index: index, layout: layout, major: major, minor: minor, how: how,
                                       caller: caller)
        modules.append(module)
        if fd >= 0 {
            writeModuleLocked(module)
            writeLibraryMapLocked()
        }
        return index
    }

    /// In a forked child: forget the parent's file; the next record opens the child's own.
    static func afterForkChild() {
        pthread_mutex_init(&lock, nil)
        if fd >= 0 { close(fd) }  // the parent keeps its own descriptor
        fd = -1
        failed = false
        forkedChild = true
        chunksUsed = 0
        growthFailureReported = false
        metadataChunk = nil
        metadataPosition = 0
        libraryMapCounts = nil
        librarySnapshot = 0
        p11t_log_generation_bump()
    }
}
