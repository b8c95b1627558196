/// Turns the raw addresses of a call's context into what the decoder shows: jobs and wait
/// contexts numbered 1, 2, 3... in order of first appearance, and the caller's library.
///
/// A job is numbered by its (`ASYNC_JOB`, `ASYNC_WAIT_CTX`) pair: OpenSSL keeps finished jobs
/// in a per-thread pool and hands the same object to the next connection, whose wait context
/// differs.
struct ContextNumbering {
    private struct JobKey: Hashable {
        var job: UInt64
        var wait: UInt64
    }

    private var jobs: [JobKey: UInt64] = [:]
    private var waits: [UInt64: UInt64] = [:]
    /// Caller addresses already resolved, with the path's file name (a program calls from a
    /// handful of sites).
    private var callers: [UInt64: (path: String?, fileName: String?)] = [:]
    /// The caller of the previous call (calls in a row mostly come from one site).
    private var lastCaller: (address: UInt64, path: String?, fileName: String?) = (0, nil, nil)

    /// The context with its numbers and caller library filled in.
    mutating func resolve(_ raw: CallContext, libraries: LibraryMap) -> CallContext {
        var context = raw
        if raw.jobAddress != 0 {
            let key = JobKey(job: raw.jobAddress, wait: raw.waitContextAddress)
            if jobs[key] == nil { jobs[key] = UInt64(jobs.count + 1) }
            context.job = jobs[key]!
            if raw.waitContextAddress != 0 {
                if waits[raw.waitContextAddress] == nil { waits[raw.waitContextAddress] = UInt64(waits.count + 1) }
                context.waitContext = waits[raw.waitContextAddress]!
            }
        }
        if raw.callerAddress != 0 {
            if raw.callerAddress != lastCaller.address {
                if callers[raw.callerAddress] == nil {
                    let path = libraries.object(containing: raw.callerAddress)?.path
                    callers[raw.callerAddress] = (path, path.map(CallContext.fileName(of:)))
                }
                let caller = callers[raw.callerAddress]!
                lastCaller = (raw.callerAddress, caller.path, caller.fileName)
            }
            context.setCaller(path: lastCaller.path, fileName: lastCaller.fileName)
        }
        return context
    }

    /// The number of the job (`job`, `waitContext`), 0 when `job` is 0; numbers as ``resolve(_:libraries:)``.
    mutating func job(_ job: UInt64, waitContext: UInt64) -> UInt64 {
        guard job != 0 else { return 0 }
        let key = JobKey(job: job, wait: waitContext)
        if let number = jobs[key] { return number }
        let number = UInt64(jobs.count + 1)
        jobs[key] = number
        return number
    }
}
