public import Decoder
#if canImport(Glibc)
import Glibc
#else
#error("LTTngReader needs Linux with glibc")
#endif

/// Opens the p11trace events of an LTTng trace as a ``LogReader``, so that every command reads
/// an LTTng trace exactly as it reads a binary log (docs/lttng.md, "Reading").
///
/// ```swift
/// let reader = try LTTngTrace.open(path: "p11trace-lttng-20260101-120000")
/// ```
public enum LTTngTrace {
    /// Whether `path` is a directory holding a CTF trace: a `metadata` file in it or below it
    /// (LTTng writes `ust/uid/<uid>/64-bit/metadata`).
    public static func isTrace(_ path: String) -> Bool {
        !traceDirectories(path).isEmpty
    }

    /// The directories at or below `path` that hold a CTF `metadata` file (none when `path`
    /// is not a directory).
    static func traceDirectories(_ path: String) -> [String] {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { return [] }
        var found: [String] = []
        collectTraces(path, depth: 0, into: &found)
        return found.sorted()
    }

    /// Reads the trace's metadata and returns a reader of one process's calls.
    ///
    /// - Parameters:
    ///   - path: The trace directory.
    ///   - pid: The process to read; `nil` reads the first one that made calls.
    /// - Returns: The reader, and the other processes with calls in the trace with their call counts.
    /// - Throws: ``LogFormatError`` when the trace cannot be read or holds no call of the process.
    public static func open(path: String, pid: UInt32? = nil)
        throws(LogFormatError) -> (reader: LogReader, others: [(pid: UInt32, calls: Int)])
    {
        let directories = traceDirectories(path)
        guard !directories.isEmpty else { throw .cannotReadTrace(reason: "no CTF trace (metadata file) in \(path)") }
        let catalog = try TraceCatalog(directories: directories)
        let traced = catalog.tracedProcesses
        guard let process = pid.map({ pid in traced.first { $0.pid == pid } }) ?? traced.first else {
            throw .noTracedProcess(pid: pid)
        }
        let fields = process.header
        let header = LogHeader(
            process: process.pid, parentPID: fields?.parentPID ?? 0, capture: fields?.capture ?? 0,
            ulongSize: fields?.ulongSize ?? MemoryLayout<UInt>.size, monotonicOrigin: fields?.monotonicOrigin ?? 0,
            wallClockOrigin: fields?.wallClockOrigin ?? 0, processName: fields?.name ?? "",
            executablePath: fields?.executable ?? "", commandLine: fields?.commandLine ?? "",
            writerVersion: fields?.writer ?? "")
        let first = process.firstSequence
        let reader = LogReader(path: path, header: header, modules: process.modules.values.sorted { $0.index < $1.index },
                               libraries: LibraryMap(objects: process.objects)) { () throws(LogFormatError) in
            try LTTngEventSource(directories: directories, pid: process.pid, firstSequence: first)
        }
        return (reader, traced.filter { $0.pid != process.pid }.map { ($0.pid, $0.calls) })
    }

    /// Adds `directory` when it holds a `metadata` file, else searches its subdirectories
    /// (LTTng nests `ust/uid/<uid>/64-bit/`; a relay daemon adds `<host>/<session>/`).
    private static func collectTraces(_ directory: String, depth: Int, into found: inout [String]) {
        guard depth < 8, let handle = opendir(directory) else { return }
        defer { closedir(handle) }
        var subdirectories: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if name == "metadata" && entry.pointee.d_type != UInt8(DT_DIR) {
                found.append(directory)
                return
            }
            if entry.pointee.d_type == UInt8(DT_DIR) { subdirectories.append(directory + "/" + name) }
        }
        for subdirectory in subdirectories { collectTraces(subdirectory, depth: depth + 1, into: &found) }
    }
}
