import CExport
#if canImport(Glibc)
import Glibc
#endif

extension TextSink {
    /// Numbers the block (unless its inputs block was numbered already), then writes it with
    /// one `write(2)` while holding the lock.
    ///
    /// - Returns: The block's number.
    @discardableResult
    static func write(_ body: String, number: Int?) -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        let assigned: Int
        if let number {
            assigned = number
        } else {
            lastNumber += 1
            assigned = lastNumber
        }
        guard fd >= 0 || openLocked() else {
            dropped += 1
            return assigned
        }
        var text = "#\(assigned) " + body
        text.withUTF8 { writeAllLocked($0) }
        return assigned
    }

    /// Opens the destination: standard error, or the file (appending; created with mode 0600).
    private static func openLocked() -> Bool {
        if failed { return false }
        if destination == "stderr" {
            fd = STDERR_FILENO
        } else {
            let path = destination.replacingPercentP(with: getpid())
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else {
                failed = true
                let message = "p11trace: cannot open the text output \(path): \(String(cString: strerror(errno)))\n"
                _ = message.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
                return false
            }
            fd = descriptor
        }
        var preamble = "p11trace \(BinaryLog.writerVersion.dropFirst("p11trace ".count)) live text of pid \(getpid()), "
            + "capture \(captureName)\n"
        preamble.withUTF8 { writeAllLocked($0) }
        return true
    }

    private static var captureName: String {
        switch RecordPath.capture {
        case .lengths: "default"
        case .data: "data"
        case .secrets: "secrets"
        }
    }

    /// Writes all of `bytes`, retrying after signals and short writes; gives up on errors.
    private static func writeAllLocked(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let result = Glibc.write(fd, base + written, bytes.count - written)
            if result > 0 {
                written += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                dropped += 1
                return
            }
        }
    }

    /// In a forked child: a fresh lock; a `%p` destination is reopened under the child's pid,
    /// any other keeps being appended to (whole blocks, so the processes' blocks never mix).
    static func afterForkChild() {
        pthread_mutex_init(&lock, nil)
        if destination != "stderr" && destination.contains("%p") {
            if fd >= 0 { close(fd) }
            fd = -1
            failed = false
        }
    }
}
