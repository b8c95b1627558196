/// Reads a p11trace binary log (docs/log-format.md): the header, the module table, then the
/// calls of every thread merged into one sequence ordered by start time. The same reader
/// serves the call records of an LTTng trace (``init(path:header:modules:libraries:records:)``),
/// so every consumer reads both alike.
///
/// Opening reads only the header, the chunk headers and the metadata chunks; calls are decoded
/// a chunk at a time while iterating, so a large file is never held in memory.
///
/// ```swift
/// let reader = try LogReader(path: "trace.bin")
/// var calls = reader.calls()
/// while let call = try calls.next() { print(call.function.name) }
/// ```
public final class LogReader {
    /// The path the log (or trace directory) was opened from.
    public let path: String
    /// The file header.
    public let header: LogHeader
    /// The modules the traced process loaded, by index.
    public let modules: [ModuleInfo]
    /// The objects the traced process had loaded (format 2; empty for format 1).
    public let libraries: LibraryMap

    /// Where the calls come from.
    enum Content {
        /// A binary log: its file, its threads' streams, and damage found while indexing that
        /// belongs to no thread's stream, earliest first.
        case log(file: LogFile, streams: [ThreadStream<DecodedCall>], indexDamage: [LogFormatError])
        /// Self-contained call records (an LTTng trace), a fresh source per iteration.
        case records(() throws(LogFormatError) -> any CallRecordSource)
    }

    let content: Content

    /// Opens a log and reads its header, chunk index and module table.
    ///
    /// - Parameter path: The log file.
    /// - Throws: ``LogFormatError`` when the file cannot be opened or its header is not that
    ///   of a log this decoder reads. Damage further in is reported while iterating.
    public init(path: String) throws(LogFormatError) {
        let file = try LogFile(path: path)
        let headerBytes = try file.read(at: 0, count: LogHeader.definedSize)
        var header = try LogHeader(bytes: headerBytes, fileSize: file.size)
        var index = ChunkIndex(file: file, header: header)
        header.refineClock(anchors: index.streams.flatMap { $0.chunks })
        self.path = file.path
        self.header = header
        (self.modules, self.libraries) = index.readMetadata()
        self.content = .log(file: file, streams: index.streams,
                            indexDamage: index.damage.sorted { ($0.offset ?? .max) < ($1.offset ?? .max) })
    }

    /// A reader of call records that come from no log file: an LTTng trace's events.
    ///
    /// - Parameters:
    ///   - path: The trace's path, for messages.
    ///   - header: What the binary log's header would say about the traced process.
    ///   - modules: The modules the process loaded, by index.
    ///   - libraries: The objects the process had loaded.
    ///   - records: Opens the records afresh; called once per ``calls()``.
    public init(path: String, header: LogHeader, modules: [ModuleInfo], libraries: LibraryMap,
                records: @escaping () throws(LogFormatError) -> any CallRecordSource) {
        self.path = path
        self.header = header
        self.modules = modules
        self.libraries = libraries
        self.content = .records(records)
    }

    /// Whether the calls come from an LTTng trace's events rather than a log file.
    public var readsEvents: Bool {
        if case .records = content { return true }
        return false
    }

    /// The module with index `index`, if a metadata record described it.
    public func module(_ index: UInt8) -> ModuleInfo? {
        modules.first { $0.index == index }
    }

    /// The calls in order, numbered from 1.
    public func calls() -> CallIterator {
        CallIterator(reader: self)
    }

    /// The summaries of the calls in order, numbered from 1: the fast way to read a log
    /// whole when only the fixed fields of its calls matter (``Statistics``).
    public func summaries() -> CallSummaryIterator {
        CallSummaryIterator(reader: self)
    }

    /// The short name of module `index` (`softhsm2`), or `module#N` when no metadata named it,
    /// as ``DecodedCall/moduleName``.
    public func moduleName(_ index: UInt8) -> String {
        module(index)?.shortName ?? "module#\(index)"
    }

    /// The name of the library holding a caller address (``CallContext/callerName``): its
    /// file name from the log's map of loaded objects, else the address in hex; `nil` for 0.
    public func callerName(address: UInt64) -> String? {
        guard address != 0 else { return nil }
        return CallContext(jobAddress: 0, waitContextAddress: 0, callerAddress: address,
                           callerPath: libraries.object(containing: address)?.path).callerName
    }

    /// Counts the calls.
    ///
    /// - Returns: The number of calls, and the damage that stopped the count, if any.
    public func countCalls() -> (count: Int, damage: LogFormatError?) {
        var iterator = calls()
        var count = 0
        do {
            while try iterator.next() != nil {
                count += 1
            }
            return (count, nil)
        } catch {
            return (count, error)
        }
    }
}
