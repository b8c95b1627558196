/// What a lane of an exported timeline (a Chrome trace's `tid`, a row of the HTML report)
/// holds: a thread, an OpenSSL async job, or the library that called the module.
public enum ExportLanes: String, Sendable, CaseIterable {
    case thread, job, caller

    /// The name of `call`'s lane under job or caller grouping (`job #1`, `(no job)`,
    /// `pkcs11.so`, `(no caller)`); nil under thread grouping, where the tid names it.
    public func laneName(of call: DecodedCall) -> String? {
        switch self {
        case .thread: nil
        case .job: call.context.flatMap { $0.job == 0 ? nil : "job #\($0.job)" } ?? "(no job)"
        case .caller: call.context?.callerName ?? "(no caller)"
        }
    }
}
