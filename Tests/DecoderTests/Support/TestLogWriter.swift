/// Builds log files exactly as docs/log-format.md describes, for tests.
struct TestLogWriter {
    /// One call record, with an absolute start time (the writer computes the deltas).
    struct Call {
        var function: UInt16
        var module: UInt8 = 0
        var flags: UInt8 = 0
        var start: UInt64
        var duration: UInt64 = 1_000
        var returnValue: UInt64 = 0
        var context: (job: UInt64, wait: UInt64, caller: UInt64)?
        /// The encoded arguments.
        var arguments: [UInt8] = []
    }

    var version: UInt32 = 1
    var headerSize = 4096
    var chunkSize = 65_536
    var capture: UInt32 = 0
    var pid: UInt32 = 4242
    var parentPID: UInt32 = 1
    var monotonicOrigin: UInt64 = 5_000_000_000
    var wallClockOrigin: UInt64 = 1_700_000_000_000_000_000
    var ulongSize: UInt8 = 8
    var processName = "pkcs11-tool"
    var executablePath = "/usr/bin/pkcs11-tool"
    var commandLine = "pkcs11-tool -L"
    var writerVersion = "0.1.0-test"
    private(set) var chunks: [[UInt8]] = []

    /// A metadata chunk with module records `(index, path)`, each described with a 3.0
    /// table (`layout` 92) unless `layout` says otherwise; `callers` adds the managed-mode
    /// caller path to the records of those indexes.
    mutating func addModules(_ modules: [(UInt8, String)], layout: UInt8 = 92, callers: [UInt8: String] = [:]) {
        var body = ByteWriter()
        for (index, path) in modules {
            var payload = ByteWriter()
            payload.u8(index)
            payload.u8(layout)
            payload.u8(layout == 0 ? 0 : 3)
            payload.u8(0)
            payload.prefixed(Array(path.utf8))
            payload.u8(1)
            if let caller = callers[index] { payload.prefixed(Array(caller.utf8)) }
            body.u16(UInt16(4 + payload.bytes.count))
            body.u16(1)
            body.bytes += payload.bytes
        }
        addChunk(kind: 2, threadID: 0, index: 0, baseTime: monotonicOrigin, body: body.bytes)
    }

    /// A metadata chunk with library-map records (format 2, type 2) `(snapshot, start, end, path)`.
    mutating func addLibraries(_ objects: [(UInt64, UInt64, UInt64, String)]) {
        var body = ByteWriter()
        for (snapshot, start, end, path) in objects {
            var payload = ByteWriter()
            payload.uvarint(snapshot)
            payload.uvarint(start)
            payload.uvarint(end)
            payload.prefixed(Array(path.utf8))
            body.u16(UInt16(4 + payload.bytes.count))
            body.u16(2)
            body.bytes += payload.bytes
        }
        addChunk(kind: 2, threadID: 0, index: 0, baseTime: monotonicOrigin, body: body.bytes)
    }

    /// A call chunk of thread `threadID` holding `calls` in order.
    mutating func addCalls(threadID: UInt32, index: UInt32, baseTime: UInt64, _ calls: [Call]) {
        var body: [UInt8] = []
        var previous = baseTime
        var previousCaller: UInt64 = 0
        for call in calls {
            body += Self.record(call, previousStart: previous, version: version, previousCaller: previousCaller)
            previous = call.start
            previousCaller = call.context?.caller ?? 0
        }
        addChunk(kind: 1, threadID: threadID, index: index, baseTime: baseTime, body: body)
    }

    /// A chunk of raw record bytes after a chunk header.
    mutating func addChunk(kind: UInt16, threadID: UInt32, index: UInt32, baseTime: UInt64, body: [UInt8]) {
        var chunk = ByteWriter()
        chunk.bytes += Array("P11C".utf8)
        chunk.u16(kind)
        chunk.u16(0)
        chunk.u32(threadID)
        chunk.u32(index)
        chunk.u64(baseTime)
        chunk.u64(0)
        chunk.bytes += body
        precondition(chunk.bytes.count <= chunkSize, "chunk overflow")
        chunks.append(chunk.bytes + [UInt8](repeating: 0, count: chunkSize - chunk.bytes.count))
    }

    /// An unused (all-zero) chunk.
    mutating func addUnusedChunk() {
        chunks.append([UInt8](repeating: 0, count: chunkSize))
    }

    /// One encoded call record (format 2: the caller as a delta from `previousCaller`, the
    /// job and wait context only when the job is non-zero).
    static func record(_ call: Call, previousStart: UInt64, version: UInt32 = 1, previousCaller: UInt64 = 0) -> [UInt8] {
        var record = ByteWriter()
        record.u16(call.function)
        record.u8(call.module)
        if version >= 2 {
            let job = call.context?.job ?? 0
            record.u8(call.flags | (job == 0 ? 0 : 1))
        } else {
            record.u8(call.flags | (call.context == nil ? 0 : 1))
        }
        record.zigzag(Int64(bitPattern: call.start &- previousStart))
        record.uvarint(call.duration)
        record.uvarint(call.returnValue)
        if version >= 2 {
            record.zigzag(Int64(bitPattern: (call.context?.caller ?? 0) &- previousCaller))
            if let context = call.context, context.job != 0 {
                record.uvarint(context.job)
                record.uvarint(context.wait)
            }
        } else if let context = call.context {
            record.uvarint(context.job)
            record.uvarint(context.wait)
            record.uvarint(context.caller)
        }
        record.bytes += call.arguments
        var sized = ByteWriter()
        sized.u16(UInt16(record.bytes.count + 2))
        return sized.bytes + record.bytes
    }

    /// The whole file.
    func bytes() -> [UInt8] {
        var header = ByteWriter()
        header.bytes += Array("P11TRACE".utf8)
        header.u32(version)
        header.u32(UInt32(headerSize))
        header.u32(UInt32(chunkSize))
        header.u32(capture)
        header.u32(pid)
        header.u32(parentPID)
        header.u64(monotonicOrigin)
        header.u64(wallClockOrigin)
        header.u32(1)
        header.u8(ulongSize)
        header.u8(0)
        header.u16(0)
        header.u64(0)
        header.padded(processName, width: 64)
        header.padded(executablePath, width: 256)
        header.padded(commandLine, width: 512)
        header.padded(writerVersion, width: 32)
        header.bytes += [UInt8](repeating: 0, count: headerSize - header.bytes.count)
        return header.bytes + chunks.flatMap { $0 }
    }
}
