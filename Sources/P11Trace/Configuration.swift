import CExport
import Decoder
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

/// Where recorded calls go (`P11TRACE_BACKEND`).
enum Backend: String {
    /// The binary log (the default).
    case binary
    /// Readable text as calls happen, to stderr or a file (`P11TRACE_TEXT_OUTPUT`).
    case text
    /// Both the binary log and the live text.
    case both
    /// LTTng-UST events through the provider library `libp11trace-lttng.so` (docs/lttng.md).
    case lttng
    /// Nothing: every call passes straight through.
    case none

    var writesBinary: Bool { self == .binary || self == .both }
    var writesText: Bool { self == .text || self == .both }
}

/// What the interposer was asked to do, read once from the environment.
///
/// The environment is ignored entirely in a set-uid or set-gid process (`AT_SECURE`): such a
/// process records nothing.
struct Configuration {
    /// The log path, possibly with `%p` for the process id.
    var output: String
    var capture: CaptureLevel
    /// Function names and globs (`*`, `?`) to record; empty records every function.
    var functions: [String]
    var enabled: Bool
    var backend: Backend = .binary
    /// The live text's destination: `stderr`, or a path possibly with `%p`.
    var textOutput: String = "stderr"
    /// Whether the live text writes a call's inputs before the module is called, as well as
    /// the whole call after it returns.
    var textInputs = true
    /// `P11TRACE_CLOCK=monotonic` keeps `CLOCK_MONOTONIC` even where the TSC would serve.
    var allowsTSC = true
    /// `P11TRACE_MANAGED=yes`: every calling library gets a table of its own that behaves as a
    /// p11-kit managed module (docs/managed.md). Off by default: the default is transparent.
    var managed = false

    /// Records carry TSC ticks when the TSC is invariant and only the binary log is written
    /// (the live text renders times as it goes and keeps nanoseconds).
    var usesTSC: Bool {
        allowsTSC && backend == .binary && p11t_tsc_is_invariant() != 0
    }

    static func fromEnvironment() -> Configuration {
        if p11t_secure_process() != 0 {
            return Configuration(output: "", capture: .lengths, functions: [], enabled: false, backend: .none)
        }
        let output = environment("P11TRACE_OUTPUT") ?? "p11trace-%p.bin"
        let capture: CaptureLevel
        switch environment("P11TRACE_CAPTURE") ?? "" {
        case "data": capture = .data
        case "secrets": capture = .secrets
        default: capture = .lengths
        }
        let functions = FunctionPattern.list(environment("P11TRACE_FUNCTIONS") ?? "").map(\.text)
        let name = environment("P11TRACE_BACKEND") ?? "binary"
        let backend = Backend(rawValue: name) ?? .binary
        if Backend(rawValue: name) == nil {
            warn("unknown P11TRACE_BACKEND=\(name) (binary, text, both, lttng, none): using binary")
        }
        var textOutput = environment("P11TRACE_TEXT_OUTPUT") ?? "stderr"
        if textOutput.isEmpty { textOutput = "stderr" }
        let textInputs = environment("P11TRACE_TEXT_INPUTS") != "0"
        let enabled = backend.writesText || backend == .lttng || (backend.writesBinary && !output.isEmpty)
        let managedValue = environment("P11TRACE_MANAGED") ?? ""
        let managed = ["yes", "1", "true", "on"].contains(managedValue)
        if !managed && !["", "no", "0", "false", "off"].contains(managedValue) {
            warn("unknown P11TRACE_MANAGED=\(managedValue) (yes or no): managed mode stays off")
        }
        return Configuration(output: output, capture: capture, functions: functions, enabled: enabled,
                             backend: backend, textOutput: textOutput, textInputs: textInputs,
                             allowsTSC: environment("P11TRACE_CLOCK") != "monotonic", managed: managed)
    }

    /// Whether `name` passes the function filter (names and globs: `C_Sign*`, `C_*Init`, `C_?ign`).
    func records(function name: String) -> Bool {
        if functions.isEmpty { return true }
        return functions.contains { FunctionPattern($0).matches(name) }
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    private static func warn(_ message: String) {
        let line = "p11trace: \(message)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}
