#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
#error("ChildProcess needs Linux")
#endif

/// Runs a command the way `env` does: found through `PATH`, with standard input, output and
/// error inherited, and its exit status passed on.
enum ChildProcess {
    /// Why a command could not be started.
    enum LaunchError: Error, CustomStringConvertible {
        /// No such command (exit status 127, as `env` uses).
        case notFound(String)
        /// Found but not executable, or another `posix_spawn` failure (exit status 126).
        case cannotExecute(String, errno: Int32)

        var description: String {
            switch self {
            case .notFound(let command): "\(command): command not found"
            case .cannotExecute(let command, let code): "\(command): \(String(cString: strerror(code)))"
            }
        }

        /// The exit status `env` gives for the same failure.
        var exitStatus: Int32 {
            switch self {
            case .notFound: 127
            case .cannotExecute: 126
            }
        }
    }

    /// Runs `arguments` (command first) with `environment` and waits for it.
    ///
    /// While the child runs, SIGINT and SIGQUIT are ignored here (the terminal sends them to
    /// the child too); the child gets default handling.
    ///
    /// - Returns: The child's pid, and its exit status or 128 + the signal number if a signal ended it.
    static func run(_ arguments: [String], environment: [String: String]) throws(LaunchError) -> (pid: Int32, status: Int32) {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGQUIT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let previousInterrupt = signal(SIGINT, SIG_IGN)
        let previousQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, previousInterrupt)
            signal(SIGQUIT, previousQuit)
        }
        var pid = pid_t()
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let result = posix_spawnp(&pid, arguments[0], nil, &attributes, argv, envp)
        guard result == 0 else {
            throw result == ENOENT ? .notFound(arguments[0]) : .cannotExecute(arguments[0], errno: result)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signalNumber = status & 0x7f
        return (pid, signalNumber == 0 ? (status >> 8) & 0xff : 128 + signalNumber)
    }
}
