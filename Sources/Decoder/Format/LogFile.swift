#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#else
#error("LogFile needs a POSIX C library")
#endif

/// A read-only log file read with `pread(2)`, so that a large file is never loaded whole:
/// the reader asks for the header, the chunk headers, then one chunk at a time.
final class LogFile {
    /// The path the file was opened with.
    let path: String
    /// The file's size in bytes when it was opened.
    let size: Int
    private let descriptor: Int32

    /// Opens `path` for reading.
    ///
    /// - Throws: ``LogFormatError/cannotOpen(path:errno:)`` or ``LogFormatError/notARegularFile(path:)``.
    init(path: String) throws(LogFormatError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, errno: errno)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = errno
            close(descriptor)
            throw .cannotOpen(path: path, errno: error)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .notARegularFile(path: path)
        }
        self.path = path
        self.descriptor = descriptor
        self.size = Int(status.st_size)
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `count` bytes at `offset`; fewer only where the file ends.
    ///
    /// - Throws: ``LogFormatError/cannotRead(offset:errno:)``.
    func read(at offset: Int, count: Int) throws(LogFormatError) -> [UInt8] {
        let wanted = max(0, min(count, size - offset))
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
            initialized = 0
            while initialized < wanted {
                let result = pread(descriptor, buffer.baseAddress! + initialized, wanted - initialized,
                                   off_t(offset + initialized))
                if result > 0 {
                    initialized += result
                } else if result == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 {
            throw .cannotRead(offset: offset + bytes.count, errno: failure)
        }
        return bytes
    }
}
