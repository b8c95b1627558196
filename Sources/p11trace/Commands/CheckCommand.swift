import ArgumentParser
import Decoder

/// `p11trace check FILE`: reports PKCS#11 rule violations and waste found in a log.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Finds PKCS#11 specification violations and waste in a p11trace log.",
        discussion: """
            Findings are grouped by rule; each names the calls that prove it by their numbers \
            (as decode prints them). The exit status is 1 when any error-severity finding is \
            present or the log is damaged. Rules: docs/check.md.
            """
    )

    /// How `check` prints its findings.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The log file or LTTng trace directory to read.")
    var file: String

    @Option(help: "With an LTTng trace holding several processes: the one to read (default: the first).")
    var pid: UInt32?

    @Option(help: "The output format.")
    var format: Format = .text

    func run() throws {
        var checker = TraceChecker()
        var functionsSeen: Set<String> = []
        do throws(LogFormatError) {
            let reader = try TraceOpener.open(file, pid: pid)
            var iterator = reader.calls()
            while let call = try iterator.next() {
                checker.add(call)
                functionsSeen.insert(call.function.name)
            }
        } catch {
            StandardStream.output.flush()
            StandardStream.error.report(error.message(path: file))
            throw ExitCode.failure
        }
        let report = CheckReport(findings: checker.finish(), functionsSeen: functionsSeen)
        let output = StandardStream.output
        output.write(format == .json ? report.json() : report.text())
        output.flush()
        if report.hasErrors { throw ExitCode.failure }
    }
}
