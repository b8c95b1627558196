import Decoder

/// What a first pass over an LTTng trace finds: the traced processes, their headers, modules
/// and library maps, and how many calls each made. Only call numbers are read in this pass,
/// never records, and only the metadata is kept.
struct TraceCatalog {
    /// One traced process.
    struct Process {
        var pid: UInt32
        /// From its `p11trace:process` event (absent if tracing began after it was written).
        var header: CTFReader.LogHeaderFields?
        var modules: [UInt8: ModuleInfo] = [:]
        var objects: [LoadedObject] = []
        var calls = 0
        var firstSequence: UInt64 = .max
        /// Its first event's position in the trace (processes are listed in this order).
        var order: Int
    }

    private(set) var processes: [UInt32: Process] = [:]

    /// Reads the whole trace once.
    init(directories: [String]) throws(LogFormatError) {
        let reader = try CTFReader(directories: directories, records: false)
        var order = 0
        while let event = try reader.next() {
            switch event {
            case .call(let sequence, let pid, _, _, _, _):
                update(pid, &order) {
                    $0.calls += 1
                    $0.firstSequence = min($0.firstSequence, sequence)
                }
            case .process(let pid, let header):
                update(pid, &order) { $0.header = header }
            case .module(let pid, let index, let path, let layout, let major, let minor, let how, let caller):
                update(pid, &order) { process in
                    var module = process.modules[index] ?? ModuleInfo(index: index, path: path, loadMethod: how,
                                                                      caller: caller.isEmpty ? nil : caller)
                    let table = ModuleInfo.FunctionTable(entries: layout, version: Version(major: major, minor: minor))
                    if layout != 0 && !module.tables.contains(table) { module.tables.append(table) }
                    process.modules[index] = module
                }
            case .library(let pid, let snapshot, let start, let end, let path):
                update(pid, &order) { $0.objects.append(LoadedObject(snapshot: snapshot, start: start, end: end, path: path)) }
            }
        }
    }

    private mutating func update(_ pid: UInt32, _ order: inout Int, _ change: (inout Process) -> Void) {
        if processes[pid] == nil {
            processes[pid] = Process(pid: pid, order: order)
            order += 1
        }
        change(&processes[pid]!)
    }

    /// The processes that made calls, in the order they appear in the trace.
    var tracedProcesses: [Process] {
        processes.values.filter { $0.calls > 0 }.sorted { $0.order < $1.order }
    }
}
