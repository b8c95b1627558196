import CExport
import Decoder
#if canImport(Glibc)
import Glibc
#endif

/// The live text backend (`P11TRACE_BACKEND=text` or `both`): `decode`'s readable format,
/// written as calls happen to stderr or a file (`P11TRACE_TEXT_OUTPUT`).
///
/// Per call it writes an inputs block just before the module is called (unless
/// `P11TRACE_TEXT_INPUTS=0`), then the whole call once the module returned; both carry the
/// same number `#N`. A crash or kill inside the module leaves the inputs written.
///
/// Implementation requirements: each block is rendered first, then written with one
/// `write(2)` while holding ``lock``, so blocks of different threads never interleave (even
/// on a pipe, where a large write can be split). Nothing is buffered in the process. The
/// record is encoded by the binary backend's encoder (``RecordPath/encode(_:at:capacity:previousStart:previousCaller:truncated:)``),
/// so what is captured, and what is kept secret, is exactly what the binary log would hold.
/// Unlike the binary backend this one allocates, locks and makes system calls.
enum TextSink {
    /// What an inputs block is encoded with: not `CKR_OK` (so memory is read fault-safely and
    /// no out-parameter is read) and none of the codes that make out-parameters meaningful.
    static let notReturnedYet: UInt64 = 0x6  // CKR_FUNCTION_FAILED

    /// Set once at bootstrap, read-only afterwards.
    nonisolated(unsafe) static var decoder = RecordDecoder(ulongSize: 8, monotonicOrigin: 0, wallClockOrigin: 0)
    nonisolated(unsafe) static var renderer = TextRenderer(ulongSize: MemoryLayout<CK_ULONG>.size)
    /// Offsets in the text count from bootstrap (about the first call).
    nonisolated(unsafe) static var origin: UInt64 = 0

    /// Everything below is guarded by `lock`.
    nonisolated(unsafe) static var lock = pthread_mutex_t()
    nonisolated(unsafe) static var destination = "stderr"
    nonisolated(unsafe) static var fd: Int32 = -1
    nonisolated(unsafe) static var failed = false
    nonisolated(unsafe) static var lastNumber = 0
    nonisolated(unsafe) static var modulePaths: [String?] = Array(repeating: nil, count: 256)
    /// Blocks that could not be rendered or written.
    nonisolated(unsafe) static var dropped = 0

    static func bootstrap(_ configuration: Configuration) {
        pthread_mutex_init(&lock, nil)
        destination = configuration.textOutput
        var mono = timespec(), wall = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        clock_gettime(CLOCK_REALTIME, &wall)
        origin = UInt64(mono.tv_sec) * 1_000_000_000 + UInt64(mono.tv_nsec)
        decoder = RecordDecoder(ulongSize: MemoryLayout<CK_ULONG>.size, monotonicOrigin: origin,
                                wallClockOrigin: UInt64(wall.tv_sec) * 1_000_000_000 + UInt64(wall.tv_nsec))
        TextThread.bootstrap()
    }

    /// The hook called with the inputs in place, just before the module is called.
    static func before(_ call: UnsafePointer<p11t_call>) {
        let thread = TextThread.current()
        guard !thread.busy else { return }
        thread.busy = true
        defer { thread.busy = false }
        thread.refresh()
        var inputs = call.pointee
        inputs.t0 = p11t_clock_read()
        inputs.t1 = inputs.t0
        inputs.rv = notReturnedYet
        guard let decoded = withUnsafePointer(to: &inputs, { render($0, on: thread) }) else { return }
        let number = write(renderer.liveBlock(decoded, origin: origin, phase: .started), number: nil)
        // The trampoline has counted this call in `depth` already.
        thread.remember(number, function: inputs.function, depth: Int(p11t_thread_state_get()?.pointee.depth ?? 1) - 1)
    }

    /// The hook called with the finished call.
    static func record(_ call: UnsafePointer<p11t_call>) {
        let thread = TextThread.current()
        guard !thread.busy else { return }
        thread.busy = true
        defer { thread.busy = false }
        thread.refresh()
        // The trampoline has already taken this call off `depth`.
        let number = thread.take(function: call.pointee.function, depth: Int(p11t_thread_state_get()?.pointee.depth ?? 0))
        guard let decoded = render(call, on: thread) else { return }
        write(renderer.liveBlock(decoded, origin: origin, phase: .finished), number: number)
    }

    /// Encodes the call into the thread's scratch buffer and decodes it back.
    private static func render(_ call: UnsafePointer<p11t_call>, on thread: TextThread) -> DecodedCall? {
        let start = call.pointee.t0
        var size = RecordPath.encode(call, at: thread.scratch, capacity: TextThread.scratchSize,
                                     previousStart: start, previousCaller: 0, truncated: false)
        if size == nil {
            size = RecordPath.encode(call, at: thread.scratch, capacity: TextThread.scratchSize,
                                     previousStart: start, previousCaller: 0, truncated: true)
        }
        guard let size else { return drop() }
        let field = UInt16(size)
        thread.scratch.storeBytes(of: field.littleEndian, toByteOffset: 0, as: UInt16.self)
        let record = Array(UnsafeRawBufferPointer(start: thread.scratch, count: size))
        let path = modulePath(call.pointee.module)
        switch decoder.decode(record: record, threadID: thread.threadID, baseTime: start, modulePath: path) {
        case .success(let decoded): return decoded
        case .failure: return drop()
        }
    }

    private static func drop() -> DecodedCall? {
        pthread_mutex_lock(&lock)
        dropped += 1
        pthread_mutex_unlock(&lock)
        return nil
    }

    /// Remembers a wrapped module's path for the blocks' module names.
    static func registerModule(index: UInt8, path: String) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if modulePaths[Int(index)] == nil { modulePaths[Int(index)] = path }
    }

    private static func modulePath(_ index: UInt8) -> String? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return modulePaths[Int(index)]
    }
}
