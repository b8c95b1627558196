import Decoder
import LTTngReader

/// What `record --lttng` says on standard error after the command ends: where the trace
/// directory is, how many calls of which processes it holds (counted with the decoder), and
/// how to read it.
struct LTTngSummary {
    let directory: String
    let session: String

    func report() {
        let stream = StandardStream.error
        guard LTTngTrace.isTrace(directory) else {
            stream.report("no PKCS#11 calls were traced; the LTTng session \(session) wrote no trace to \(directory)")
            return
        }
        stream.report("LTTng trace written to \(directory) (\(calls()); session \(session), destroyed); "
            + "read it with p11trace decode \(directory) or babeltrace2 \(directory)")
    }

    private func calls() -> String {
        do throws(LogFormatError) {
            let (reader, others) = try LTTngTrace.open(path: directory)
            let (count, damage) = reader.countCalls()
            var text = "\(count == 1 ? "1 call" : "\(count) calls") of process \(reader.header.pid)"
            if !others.isEmpty {
                text += ", and " + others.map { "\($0.calls) of process \($0.pid)" }.joined(separator: ", ")
            }
            return damage.map { "\(text); \($0.message(path: directory))" } ?? text
        } catch {
            return error.message(path: directory)
        }
    }
}
