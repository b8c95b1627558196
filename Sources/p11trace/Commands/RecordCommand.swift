import ArgumentParser
import Decoder
import Foundation

/// `p11trace record -- CMD ARGS...`: runs a command with the interposer preloaded.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Runs a command with its PKCS#11 calls traced into a log file.",
        discussion: """
            Preloads libp11trace.so into the command (LD_PRELOAD), which then records every \
            call into any PKCS#11 module it loads. With --text the calls are also printed as \
            they happen (each call's inputs before the module runs, then the whole call), to \
            standard error or --text-output; the binary log is then written only if -o is given. \
            With --lttng the calls become LTTng-UST events instead, in a session of record's own \
            (a session daemon is started if none runs) whose trace directory is -o, or that \
            streams to a relay daemon (--lttng-url); every reading command accepts the directory. \
            An existing log or text file of the same name is removed first. Child processes write FILE.<pid>. The exit status is the command's \
            (128 + N if signal N ended it); 127 if the command is not found, 2 if the module is not.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The log file (default p11trace.bin); %p becomes the traced process's pid.",
                                                    valueName: "file"))
    var output: String?

    @OptionGroup(title: "Live text")
    var live: TextOptions

    @OptionGroup(title: "LTTng")
    var lttng: LTTngOptions

    @Option(help: ArgumentHelp("Record only these functions: names and globs (* and ?), comma-separated.",
                               valueName: "names"))
    var functions: String?

    @Option(help: "What to keep of buffers: default keeps lengths of data and public values.")
    var capture: CaptureOption = .default

    @Flag(help: "Give each library its own table, shared safely like a p11-kit managed module.")
    var managed = false

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command to run and its arguments.", valueName: "command"))
    var command: [String] = []

    /// The command without the `--` that may separate it from the options.
    private var commandLine: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func validate() throws {
        // Passthrough capture takes a help flag for the command; before any command it is ours.
        if let first = command.first, first == "-h" || first == "--help" { throw CleanExit.helpRequest(self) }
        guard !commandLine.isEmpty else { throw ValidationError("Missing the command to run (p11trace record -- COMMAND ...).") }
        if let output, output.isEmpty || (output.hasSuffix("/") && !lttng.lttng) {
            throw ValidationError("The log file name is empty.")
        }
        if lttng.lttng && live.text { throw ValidationError("--lttng and --text are separate backends: choose one.") }
        if lttng.lttngURL != nil && output != nil {
            throw ValidationError("-o names a local trace directory, --lttng-url a relay daemon: choose one.")
        }
        if let functions, let unknown = FunctionPattern.list(functions).first(where: { !$0.matchesKnownFunction }) {
            throw ValidationError("--functions: '\(unknown)' matches no PKCS#11 function.")
        }
    }

    func run() throws {
        let module: String
        switch ModuleLocator.locate() {
        case .success(let path): module = path
        case .failure(let error):
            StandardStream.error.report(error.description)
            throw ExitCode(2)
        }
        if lttng.lttng { return try runWithLTTng(module: module) }
        let files = TraceFiles(output: output ?? "p11trace.bin")
        let textFiles = live.files
        for old in [writesBinary ? files : nil, textFiles].compactMap({ $0 })
        where !old.expandsPID && FileManager.default.fileExists(atPath: old.absolutePattern) {
            do {
                try FileManager.default.removeItem(atPath: old.absolutePattern)
            } catch {
                StandardStream.error.report("cannot remove the old file \(old.absolutePattern): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        let before = files.existing()
        let status: Int32, pid: Int32
        do {
            (pid, status) = try ChildProcess.run(commandLine, environment: environment(module: module, files: files))
        } catch {
            StandardStream.error.report(error.description)
            throw ExitCode(error.exitStatus)
        }
        if writesBinary {
            TraceSummary(files: files, primary: files.primaryName(pid: pid)).report(written: files.written(since: before))
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs the command in an LTTng session of its own and says where the trace is.
    private func runWithLTTng(module: String) throws {
        let session = LTTngSession(destination: try lttng.destination(output: output))
        var environment = environment(module: module, files: nil)
        environment["P11TRACE_BACKEND"] = "lttng"
        let status = try session.record { () throws(ChildProcess.LaunchError) in
            try ChildProcess.run(commandLine, environment: environment).status
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Whether the binary log is written: always without --text, with it only if -o is given.
    private var writesBinary: Bool { !live.text || output != nil }

    private func environment(module: String, files: TraceFiles?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        let preload = (environment["LD_PRELOAD"] ?? "").split(separator: ":").map(String.init).filter { $0 != module }
        environment["LD_PRELOAD"] = ([module] + preload).joined(separator: ":")
        environment["P11TRACE_OUTPUT"] = files?.absolutePattern
        environment["P11TRACE_CAPTURE"] = capture == .default ? nil : capture.rawValue
        live.apply(to: &environment, binary: writesBinary)
        environment["P11TRACE_FUNCTIONS"] = functions
        environment["P11TRACE_MANAGED"] = managed ? "yes" : nil
        return environment
    }
}
