#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
#error("TimelineCommand needs a POSIX C library")
#endif
import ArgumentParser
import Decoder

/// What each timeline lane holds.
enum LaneOption: String, ExpressibleByArgument, CaseIterable {
    case thread, session, module, job, caller
}

/// When to colour the timeline.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// `p11trace timeline FILE`: a picture of the calls over time, one lane per thread.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Draws the calls of a p11trace log over time in the terminal.",
        discussion: """
            One lane per thread (or session, module, job, caller); each call a bar as long as \
            it took, operations (Init to Final) one labelled bar, errors '!', idle gaps \
            compressed. Filters choose the calls drawn.
            """
    )

    @OptionGroup
    var input: TraceInput

    @Option(help: "What each lane holds.")
    var by: LaneOption = .thread

    @Option(help: "The width in columns (default: the terminal's, else 100).")
    var width: Int?

    @Option(help: "Colour: auto (on a terminal), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if let width, width < 40 { throw ValidationError("--width must be at least 40.") }
    }

    func run() throws {
        var options = Timeline.Options()
        options.grouping = Timeline.LaneGrouping(rawValue: by.rawValue)!
        options.width = width ?? Self.terminalWidth() ?? 100
        options.color = color == .always || (color == .auto && isatty(STDOUT_FILENO) == 1)
        var timeline = Timeline(options: options)
        var progress = ReadProgress(path: input.file)
        defer { progress.done() }
        try input.read { reader, filter throws(LogFormatError) in
            var calls = reader.calls(matching: filter)
            while let call = try calls.next() { timeline.scan(call); progress.update(call) }
            timeline.layOut()
            calls = reader.calls(matching: filter)
            while let call = try calls.next() { timeline.draw(call) }
            timeline.finish()
        }
        progress.done()
        var stream = StandardStream.output
        timeline.write(to: &stream)
        StandardStream.output.flush()
    }

    /// The width of the terminal on standard output (TIOCGWINSZ).
    static func terminalWidth() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 else { return nil }
        return Int(size.ws_col)
    }
}
