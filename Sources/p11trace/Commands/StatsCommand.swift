import ArgumentParser
import Decoder

/// How `stats` prints.
enum StatsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

/// `p11trace stats FILE`: per-function latencies, errors and the busiest moments of a log.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Prints statistics of the calls recorded in a p11trace log.",
        discussion: """
            Per function: calls, errors by return value, total and mean time, p50/p90/p99/max \
            (within 0.4%); operations; per session, thread, module, async job and caller; the \
            busiest moments. Filters choose the calls counted. docs/stats.md describes the formats.
            """
    )

    @OptionGroup
    var input: TraceInput

    @Option(help: "The output format.")
    var format: StatsFormat = .text

    func run() throws {
        let output = StandardStream.output
        defer { output.flush() }
        var progress = ReadProgress(path: input.file)
        defer { progress.done() }
        let statistics = try input.read { reader, filter throws(LogFormatError) in
            try reader.statistics(matching: filter) { sequence, fileOffset in
                progress.update(sequence: sequence, fileOffset: fileOffset)
            }
        }
        progress.done()
        var stream = output
        StatisticsRenderer(statistics).write(StatisticsRenderer.Format(rawValue: format.rawValue)!, to: &stream)
    }
}
