import ArgumentParser
import Decoder

/// `p11trace export FILE --format chrome|html -o OUT`: writes a trace as one document.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Writes a p11trace log as a Chrome trace or a self-contained HTML report.",
        discussion: """
            chrome: trace-event JSON for Perfetto UI (ui.perfetto.dev) and chrome://tracing, a lane \
            per thread (or per OpenSSL async job, or per calling library, with --by) and arrows \
            linking the calls of each operation. html: one page with a \
            zoomable timeline (a lane per thread, job or caller, as for chrome), statistics and \
            latency histograms per function. A damaged log is \
            exported up to the damage, which is then reported on standard error, and the exit \
            status is 1.
            """
    )

    @OptionGroup
    var input: TraceInput

    @Option(help: "The output format.")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write, or - for standard output.", valueName: "file"))
    var output: String

    @Option(help: "What each lane holds: thread, job (OpenSSL async job) or caller (library).")
    var by: ExportLaneOption = .thread

    func run() throws {
        var destination: FileOutputStream?
        if output != "-" {
            guard let opened = try? FileOutputStream(path: output) else {
                StandardStream.error.report("cannot write \(output)")
                throw ExitCode.failure
            }
            destination = opened
        }
        defer { destination?.close() }
        try input.read { reader, filter throws(LogFormatError) in
            if var stream = destination {
                try export(reader, to: &stream, filter: filter)
            } else {
                var stream = StandardStream.output
                defer { stream.flush() }
                try export(reader, to: &stream, filter: filter)
            }
        }
    }

    private func export(_ reader: LogReader, to stream: inout some TextOutputStream, filter: CallFilter)
        throws(LogFormatError)
    {
        switch format {
        case .chrome:
            var writer = ChromeTraceWriter(header: reader.header, lanes: by.lanes)
            try reader.export(with: &writer, to: &stream, filter: filter)
        case .html:
            var writer = HTMLReportWriter(header: reader.header, lanes: by.lanes)
            try reader.export(with: &writer, to: &stream, filter: filter)
        }
    }
}
