import CExport
#if canImport(Glibc)
import Glibc
#else
#error("p11trace's interposer supports Linux with glibc only")
#endif

/// How much of the buffers a trace keeps.
///
/// The default keeps lengths only for data buffers; `data` adds plaintext, ciphertext,
/// signatures and the like; only `secrets` adds PINs, seeds, operation state and secret
/// attribute values, and the decoder marks them.
enum CaptureLevel: UInt32 {
    case lengths = 0
    case data = 1
    case secrets = 2
}

/// What the interposer was asked to do, read once from the environment.
///
/// The environment is ignored entirely in a set-uid or set-gid process (`AT_SECURE`): such a
/// process records nothing.
struct Configuration {
    /// The log path, possibly with `%p` for the process id.
    var output: String
    var capture: CaptureLevel
    /// Function names and `*` globs to record; empty records every function.
    var functions: [String]
    var enabled: Bool

    static func fromEnvironment() -> Configuration {
        if p11t_secure_process() != 0 {
            return Configuration(output: "", capture: .lengths, functions: [], enabled: false)
        }
        let output = environment("P11TRACE_OUTPUT") ?? "p11trace-%p.bin"
        let capture: CaptureLevel
        switch environment("P11TRACE_CAPTURE") ?? "" {
        case "data": capture = .data
        case "secrets": capture = .secrets
        default: capture = .lengths
        }
        let functions = (environment("P11TRACE_FUNCTIONS") ?? "")
            .split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        let backend = environment("P11TRACE_BACKEND") ?? "binary"
        return Configuration(output: output, capture: capture, functions: functions,
                             enabled: backend != "none" && !output.isEmpty)
    }

    /// Whether `name` passes the function filter (`C_Sign*` matches every name starting so).
    func records(function name: String) -> Bool {
        if functions.isEmpty { return true }
        return functions.contains { pattern in
            if pattern.hasSuffix("*") { return name.hasPrefix(pattern.dropLast()) }
            return pattern == name
        }
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
