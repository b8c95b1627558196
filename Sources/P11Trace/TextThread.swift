import CExport
#if canImport(Glibc)
import Glibc
#endif

/// One thread's state for the live text backend: a scratch buffer to encode records into,
/// the thread's tid, and the numbers of its calls in progress.
///
/// Allocated on the thread's first traced call and freed when the thread exits (a pthread key
/// destructor). The text backend may allocate; the binary backend never touches this.
final class TextThread {
    /// Scratch space for one record (a record's `u16` size limits it to 65535 bytes).
    static let scratchSize = 65535
    /// Nesting depths whose call numbers are remembered (deeper calls get a number per block).
    static let depthLimit = 16

    let scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchSize, alignment: 8)
    var threadID: UInt32 = 0
    /// The log generation `threadID` belongs to: a forked child has a new tid.
    var generation: UInt32 = .max
    /// The text renderer is running on this thread (a signal handler calling PKCS#11).
    var busy = false
    /// By nesting depth: the number and function of the call whose inputs block was written.
    private var pending: [(number: Int, function: UInt16)?] = Array(repeating: nil, count: depthLimit)

    deinit { scratch.deallocate() }

    /// Refreshes the tid after a fork.
    func refresh() {
        let current = p11t_log_generation_get()
        guard generation != current else { return }
        generation = current
        threadID = p11t_gettid()
        pending = Array(repeating: nil, count: Self.depthLimit)
    }

    /// Remembers the number given to the inputs block of the call at `depth`.
    func remember(_ number: Int, function: UInt16, depth: Int) {
        guard pending.indices.contains(depth) else { return }
        pending[depth] = (number, function)
    }

    /// The number given to the inputs block of the call at `depth`, if it was this function's.
    func take(function: UInt16, depth: Int) -> Int? {
        guard pending.indices.contains(depth), let entry = pending[depth] else { return nil }
        pending[depth] = nil
        return entry.function == function ? entry.number : nil
    }

    // MARK: - The calling thread's instance

    nonisolated(unsafe) private static var key = pthread_key_t()

    /// Creates the pthread key (once, at bootstrap).
    static func bootstrap() {
        pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<TextThread>.fromOpaque(pointer).release()
        }
    }

    /// The calling thread's state, created on first use.
    static func current() -> TextThread {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<TextThread>.fromOpaque(pointer).takeUnretainedValue()
        }
        let thread = TextThread()
        pthread_setspecific(key, Unmanaged.passRetained(thread).toOpaque())
        return thread
    }
}
