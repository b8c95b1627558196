#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#else
#error("StandardStream needs a POSIX C library")
#endif

/// Standard output or error as a buffered `TextOutputStream` for the renderers.
final class StandardStream: TextOutputStream {
    // The command line tool is single-threaded: these are only touched from `run()`.
    /// Standard output, flushed every 64 KiB and by ``flush()``.
    nonisolated(unsafe) static let output = StandardStream(descriptor: STDOUT_FILENO, threshold: 1 << 16)
    /// Standard error, written through at once.
    nonisolated(unsafe) static let error = StandardStream(descriptor: STDERR_FILENO, threshold: 0)

    private let descriptor: Int32
    private let threshold: Int
    private var buffer: [UInt8] = []

    private init(descriptor: Int32, threshold: Int) {
        self.descriptor = descriptor
        self.threshold = threshold
    }

    func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count > threshold { flush() }
    }

    /// Prints `p11trace: message` on a line.
    func report(_ message: String) {
        write("p11trace: \(message)\n")
        flush()
    }

    /// Writes out what is buffered.
    func flush() {
        buffer.withUnsafeBytes { writeAll(descriptor, $0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes all of `bytes` to `descriptor`, retrying after signals; gives up on other errors.
private func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) {
    var written = 0
    while written < bytes.count {
        let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
        if result > 0 {
            written += result
        } else if result < 0, errno == EINTR {
            continue
        } else {
            return
        }
    }
}
