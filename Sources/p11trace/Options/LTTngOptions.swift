import ArgumentParser
import Foundation

/// The LTTng backend's options of `record`.
struct LTTngOptions: ParsableArguments {
    @Flag(help: "Record LTTng-UST events in an LTTng session of its own (P11TRACE_BACKEND=lttng); -o names the trace directory.")
    var lttng = false

    @Option(help: ArgumentHelp("With --lttng, stream the events to an lttng-relayd instead of a local directory.",
                               valueName: "net://host[:ports]"))
    var lttngURL: String?

    @Flag(help: "With --lttng-url, make the session live (viewers attach while it runs).")
    var lttngLive = false

    func validate() throws {
        if (lttngURL != nil || lttngLive) && !lttng { throw ValidationError("--lttng-url and --lttng-live need --lttng.") }
        if lttngLive && lttngURL == nil { throw ValidationError("--lttng-live needs --lttng-url.") }
        if let lttngURL, !lttngURL.contains("://") { throw ValidationError("--lttng-url: '\(lttngURL)' is not a URL (net://HOST).") }
    }

    /// Where the session writes, given the `-o` value: a directory that must not hold a trace
    /// yet (default `p11trace-lttng-<date>-<time>`), or the relay.
    func destination(output: String?) throws -> LTTngSession.Destination {
        if let lttngURL { return .relay(url: lttngURL, live: lttngLive) }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let name = output ?? "p11trace-lttng-\(formatter.string(from: Date()))"
        let path = URL(fileURLWithPath: name).standardizedFileURL.path
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: path), !entries.isEmpty {
            throw ValidationError("\(name) exists and is not empty: give another trace directory with -o.")
        }
        return .directory(path)
    }
}
