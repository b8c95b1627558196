import ArgumentParser
import Decoder

/// The trace a reading command works on and the calls it keeps: the log file (or LTTng trace
/// directory) and the filters.
///
/// ``read(_:)`` owns the one way every command reports a log it cannot read or a log damaged
/// part way: what was written so far is flushed, the damage goes to standard error as
/// `p11trace: <file>: <what, where>`, and the command exits with status 1.
struct TraceInput: ParsableArguments {
    @Argument(help: "The log file or LTTng trace directory to read.")
    var file: String

    @Option(help: "With an LTTng trace holding several processes: the one to read (default: the first).")
    var pid: UInt32?

    @OptionGroup(title: "Filters")
    var filter: FilterOptions

    /// Opens the log and runs `body` with it and the filter.
    func read<Result>(_ body: (LogReader, CallFilter) throws(LogFormatError) -> Result) throws -> Result {
        let filter = try filter.callFilter
        do throws(LogFormatError) {
            return try body(try TraceOpener.open(file, pid: pid), filter)
        } catch {
            StandardStream.output.flush()
            StandardStream.error.report(error.message(path: file))
            throw ExitCode.failure
        }
    }
}
