import Decoder
import LTTngReader

/// Opens what a reading command was given: a binary log file, or an LTTng trace directory
/// (docs/lttng.md), as one ``LogReader``.
enum TraceOpener {
    /// - Parameters:
    ///   - path: The log file or trace directory.
    ///   - pid: With an LTTng trace, the process to read (default: the first that made calls).
    ///   - noteOthers: With an LTTng trace of several processes, whether to name the others on
    ///     standard error.
    static func open(_ path: String, pid: UInt32? = nil, noteOthers: Bool = true) throws(LogFormatError) -> LogReader {
        guard LTTngTrace.isTrace(path) else {
            if pid != nil { StandardStream.error.report("--pid applies to LTTng traces; \(path) is read whole") }
            return try LogReader(path: path)
        }
        let (reader, others) = try LTTngTrace.open(path: path, pid: pid)
        if noteOthers, !others.isEmpty {
            let list = others.map { "\($0.pid) (\($0.calls) call\($0.calls == 1 ? "" : "s"))" }.joined(separator: ", ")
            StandardStream.error.report("reading process \(reader.header.pid); the trace also holds \(list): choose with --pid")
        }
        return reader
    }
}
