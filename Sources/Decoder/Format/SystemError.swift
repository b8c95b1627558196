#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#else
#error("SystemError needs a POSIX C library")
#endif

/// Text for `errno` values, for error messages.
enum SystemError {
    /// The C library's message for `code` (`strerror(3)`).
    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
