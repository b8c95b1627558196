#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
#error("ReadProgress needs a POSIX C library")
#endif
import Decoder

/// `reading 45%` on standard error while a large log is read, only when standard error is a
/// terminal, at most every 200 ms. The share is the furthest record offset reached over the
/// file size (threads take chunks in time order, so this tracks time closely).
struct ReadProgress {
    private let fileSize: Int
    private let label: String
    private var lastShown: UInt64 = 0
    private var shown = false

    init(path: String, label: String = "reading") {
        var info = stat()
        let large = stat(path, &info) == 0 && info.st_size > 8 << 20
        fileSize = isatty(STDERR_FILENO) == 1 && large ? Int(info.st_size) : 0
        self.label = label
    }

    mutating func update(_ call: DecodedCall) {
        update(sequence: call.sequence, fileOffset: call.fileOffset)
    }

    /// Shows the share read, now and then, after the call numbered `sequence` at `fileOffset`.
    mutating func update(sequence: Int, fileOffset: Int) {
        guard fileSize > 0, sequence % 4096 == 0 else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let ms = UInt64(now.tv_sec) * 1_000 + UInt64(now.tv_nsec) / 1_000_000
        guard ms - lastShown >= 200 else { return }
        lastShown = ms
        shown = true
        StandardStream.error.write("\r\(label) \(min(99, fileOffset * 100 / fileSize))%")
        StandardStream.error.flush()
    }

    /// Clears the progress line.
    func done() {
        guard shown else { return }
        StandardStream.error.write("\r\u{1B}[K")
        StandardStream.error.flush()
    }
}
