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
            call into any PKCS#11 module it loads. An existing log file of the same name is \
            removed first. Child processes write FILE.<pid>. The exit status is the command's \
            (128 + N if signal N ended it); 127 if the command is not found, 2 if the module is not.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The log file; %p becomes the traced process's pid.", valueName: "file"))
    var output = "p11trace.bin"

    @Option(help: "What to keep of buffers: default keeps lengths of data and public values.")
    var capture: CaptureOption = .default

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command to run and its arguments.", valueName: "command"))
    var command: [String] = []

    /// The command without the `--` that may separate it from the options.
    private var commandLine: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func validate() throws {
        // Passthrough capture takes a help flag for the command; before any command it is ours.
        if let first = command.first, first == "-h" || first == "--help" { throw CleanExit.helpRequest(self) }
        guard !commandLine.isEmpty else { throw ValidationError("Missing the command to run (p11trace record -- COMMAND ...).") }
        guard !output.isEmpty, !output.hasSuffix("/") else { throw ValidationError("The log file name is empty.") }
    }

    func run() throws {
        let module: String
        switch ModuleLocator.locate() {
        case .success(let path): module = path
        case .failure(let error):
            StandardStream.error.report(error.description)
            throw ExitCode(2)
        }
        let files = TraceFiles(output: output)
        if !files.expandsPID, FileManager.default.fileExists(atPath: files.absolutePattern) {
            do {
                try FileManager.default.removeItem(atPath: files.absolutePattern)
            } catch {
                StandardStream.error.report("cannot remove the old log \(output): \(error.localizedDescription)")
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
        TraceSummary(files: files, primary: files.primaryName(pid: pid)).report(written: files.written(since: before))
        if status != 0 { throw ExitCode(status) }
    }

    private func environment(module: String, files: TraceFiles) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        let preload = (environment["LD_PRELOAD"] ?? "").split(separator: ":").map(String.init).filter { $0 != module }
        environment["LD_PRELOAD"] = ([module] + preload).joined(separator: ":")
        environment["P11TRACE_OUTPUT"] = files.absolutePattern
        environment["P11TRACE_CAPTURE"] = capture == .default ? nil : capture.rawValue
        return environment
    }
}
