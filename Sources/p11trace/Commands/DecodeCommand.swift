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

    @OptionGroup
    var input: TraceInput

    @Option(help: "The output format.")
    var format: OutputFormat = .text

    func run() throws {
        let output = StandardStream.output
        defer { output.flush() }
        try input.read { reader, filter throws(LogFormatError) in
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
        }
    }
}
