import CBabeltrace
import Decoder
#if canImport(Glibc)
import Glibc
#endif

/// The p11trace events of an LTTng trace, one at a time, through libbabeltrace2
/// (`p11t_ctf_reader.h`): every stream of every CTF trace under a directory, in time order.
final class CTFReader {
    /// One event, its strings and bytes copied out of babeltrace's message.
    enum Event {
        case call(sequence: UInt64, pid: UInt32, threadID: UInt32, start: UInt64, module: UInt8, record: [UInt8])
        case process(pid: UInt32, header: LogHeaderFields)
        case module(pid: UInt32, index: UInt8, path: String, layout: UInt8, major: UInt8, minor: UInt8, how: UInt8,
                    caller: String)
        case library(pid: UInt32, snapshot: UInt64, start: UInt64, end: UInt64, path: String)
    }

    /// A `p11trace:process` event's fields.
    struct LogHeaderFields {
        var parentPID: UInt32
        var capture: UInt32
        var ulongSize: Int
        var monotonicOrigin: UInt64
        var wallClockOrigin: UInt64
        var name: String
        var executable: String
        var commandLine: String
        var writer: String
    }

    private let reader: OpaquePointer
    /// Where the C reader writes why reading failed.
    private let error = UnsafeMutablePointer<CChar>.allocate(capacity: 1024)
    /// What to decode of call events: their records too, or only their numbers (the catalog).
    private let wantsRecords: Bool

    /// Opens the CTF traces in `directories` (each holding a `metadata` file).
    init(directories: [String], records: Bool) throws(LogFormatError) {
        var error = [CChar](repeating: 0, count: 1024)
        let paths = directories.map { strdup($0) }
        defer { paths.forEach { free($0) } }
        let opened = paths.map { UnsafePointer($0) }.withUnsafeBufferPointer {
            p11t_ctf_open($0.baseAddress, $0.count, &error, error.count)
        }
        guard let reader = opened else {
            throw .cannotReadTrace(reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.reader = reader
        self.wantsRecords = records
    }

    deinit {
        p11t_ctf_close(reader)
        error.deallocate()
    }

    /// Events LTTng reported discarded so far.
    var discarded: UInt64 { p11t_ctf_discarded(reader) }

    /// The next p11trace event, or `nil` after the last one.
    func next() throws(LogFormatError) -> Event? {
        var event = p11t_ctf_event()
        error[0] = 0
        switch p11t_ctf_next(reader, &event, error, 1024) {
        case 1: break
        case 0: return nil
        default: throw .cannotReadTrace(reason: error[0] == 0 ? "babeltrace2 failed" : String(cString: error))
        }
        return withUnsafeBytes(of: event.values) { raw in
            let v = raw.bindMemory(to: UInt64.self)
            if event.kind == Int32(P11T_CTF_CALL) {
                let bytes = wantsRecords && event.bytes != nil
                    ? Array(UnsafeBufferPointer(start: event.bytes, count: event.byte_count)) : []
                return .call(sequence: v[0], pid: UInt32(truncatingIfNeeded: v[1]), threadID: UInt32(truncatingIfNeeded: v[2]),
                             start: v[3], module: UInt8(truncatingIfNeeded: v[4]), record: bytes)
            }
            let s = withUnsafeBytes(of: event.strings) { raw in
                raw.bindMemory(to: UnsafePointer<CChar>?.self).map { $0.map { String(cString: $0) } ?? "" }
            }
            switch event.kind {
            case Int32(P11T_CTF_PROCESS):
                return .process(pid: UInt32(truncatingIfNeeded: v[0]), header: LogHeaderFields(
                    parentPID: UInt32(truncatingIfNeeded: v[1]), capture: UInt32(truncatingIfNeeded: v[2]),
                    ulongSize: Int(v[3]), monotonicOrigin: v[5], wallClockOrigin: v[6],
                    name: s[0], executable: s[1], commandLine: s[2], writer: s[3]))
            case Int32(P11T_CTF_MODULE):
                return .module(pid: UInt32(truncatingIfNeeded: v[0]), index: UInt8(truncatingIfNeeded: v[1]), path: s[0],
                               layout: UInt8(truncatingIfNeeded: v[2]), major: UInt8(truncatingIfNeeded: v[3]),
                               minor: UInt8(truncatingIfNeeded: v[4]), how: UInt8(truncatingIfNeeded: v[5]), caller: s[1])
            default:
                return .library(pid: UInt32(truncatingIfNeeded: v[0]), snapshot: v[1], start: v[2], end: v[3], path: s[0])
            }
        }
    }
}
