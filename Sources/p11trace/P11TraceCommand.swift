import ArgumentParser

/// The `p11trace` command: configuration only; each subcommand lives in `Commands/`.
@main
struct P11TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p11trace",
        abstract: "Traces the PKCS#11 calls of a program and prints them.",
        version: "0.1.0",
        subcommands: [RecordCommand.self, DecodeCommand.self, CheckCommand.self, ExportCommand.self, StatsCommand.self, TimelineCommand.self, ModulePathCommand.self]
    )
}
