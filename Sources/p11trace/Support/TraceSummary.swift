import Decoder

/// What `record` says on standard error after the command ends: which logs were written and
/// how many calls each holds (counted with the decoder).
struct TraceSummary {
    let files: TraceFiles
    /// The name of the traced process's own log.
    let primary: String

    /// Reports the primary log (or its absence), then every other log written during the run.
    func report(written: [String]) {
        let stream = StandardStream.error
        if written.contains(primary) {
            stream.report("trace written to \(files.display(primary)) (\(calls(in: primary)))")
        } else {
            stream.report("no PKCS#11 calls were traced; \(files.display(primary)) not written")
        }
        for name in written where name != primary {
            stream.report("also written by another process: \(files.display(name)) (\(calls(in: name)))")
        }
    }

    private func calls(in name: String) -> String {
        do throws(LogFormatError) {
            let (count, damage) = try LogReader(path: files.path(name)).countCalls()
            let text = count == 1 ? "1 call" : "\(count) calls"
            return damage.map { "\(text); \($0.message(path: files.display(name)))" } ?? text
        } catch {
            return error.message(path: files.display(name))
        }
    }
}
