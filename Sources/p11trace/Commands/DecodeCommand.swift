import ArgumentParser
import Decoder

/// `p11trace decode FILE`: prints the calls of a log.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Prints the calls recorded in a p11trace log.",
        discussion: """
            Calls are numbered in order of start time; filters show some of them, keeping \
            their numbers and times. A damaged log is printed up to the \
            damage, which is then reported on standard error, and the exit status is 1.
            """
    )

    @Argument(help: "The log file to read.")
    var file: String

    @Option(help: "The output format.")
    var format: OutputFormat = .text

    @OptionGroup(title: "Filters")
    var filter: FilterOptions

    func run() throws {
        let filter = try filter.callFilter
        let output = StandardStream.output
        defer { output.flush() }
        do throws(LogFormatError) {
            let reader = try LogReader(path: file)
            var stream = output
            switch format {
            case .text:
                var renderer = TextRenderer(header: reader.header)
                try reader.render(with: &renderer, to: &stream, filter: filter)
            case .jsonl:
                var renderer = JSONLinesRenderer(header: reader.header)
                try reader.render(with: &renderer, to: &stream, filter: filter)
            case .p11Kit:
                var renderer = P11KitRenderer(header: reader.header)
                try reader.render(with: &renderer, to: &stream, filter: filter)
            }
        } catch {
            output.flush()
            StandardStream.error.report(error.message(path: file))
            throw ExitCode.failure
        }
    }
}
