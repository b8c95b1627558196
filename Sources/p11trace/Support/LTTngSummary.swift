/// What `record --lttng` says on standard error after the command ends: where the trace
/// directory is and how to read it.
struct LTTngSummary {
    let directory: String
    let session: String

    func report() {
        StandardStream.error.report("LTTng trace written to \(directory) (session \(session), destroyed); "
            + "read it with p11trace decode \(directory) or babeltrace2 \(directory)")
    }
}
