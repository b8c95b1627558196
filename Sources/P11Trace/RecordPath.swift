import CExport

/// The record path: one finished call into the calling thread's chunk.
///
/// Implementation requirements: no allocation, no lock, no system call, no String, no
/// reference counting. The only shared memory read is the log generation (written at fork);
/// nothing shared is written. A chunk change (every 64 KiB of records) goes through
/// ``BinaryLog/takeChunk(for:)``, which may lock.
enum RecordPath {
    /// Set once at bootstrap, read-only afterwards.
    nonisolated(unsafe) static var capture: CaptureLevel = .lengths

    static func record(_ call: UnsafePointer<p11t_call>) {
        guard let thread = p11t_thread_state_get() else { return }
        // A signal handler calling PKCS#11 while this thread is mid-record: drop, never tear.
        guard thread.pointee.busy == 0 else { return }
        thread.pointee.busy = 1
        defer { thread.pointee.busy = 0 }
        if thread.pointee.chunk == nil || thread.pointee.generation != p11t_log_generation_get() {
            guard BinaryLog.takeChunk(for: thread) else { return }
        }
        if !write(call, into: thread, truncated: false) {
            // Not enough room left in this chunk: take a fresh one and try again; a record
            // larger than a whole chunk keeps its header and drops its arguments.
            guard BinaryLog.takeChunk(for: thread) else { return }
            if !write(call, into: thread, truncated: false) {
                _ = write(call, into: thread, truncated: true)
            }
        }
    }

    /// Encodes and commits one record; false when it did not fit.
    private static func write(_ call: UnsafePointer<p11t_call>, into thread: UnsafeMutablePointer<p11t_thread_state>,
                              truncated: Bool) -> Bool {
        let position = Int(thread.pointee.position)
        guard let chunk = thread.pointee.chunk else { return false }
        let room = min(BinaryLog.chunkSize - position, 65535)
        guard room > 6 else { return false }
        guard let size = encode(call, at: UnsafeMutableRawPointer(chunk + position), capacity: room,
                                previousStart: thread.pointee.last_start, previousCaller: thread.pointee.last_caller,
                                truncated: truncated)
        else { return false }
        p11t_commit_record(chunk + position, UInt16(size))
        thread.pointee.position += UInt32(size)
        thread.pointee.last_start = call.pointee.t0
        thread.pointee.last_caller = call.pointee.caller
        return true
    }

    /// Encodes one call record at `base` (docs/log-format.md, "Call records"), its `size`
    /// field left for the caller to store; shared by the binary log and the live text.
    ///
    /// - Returns: The record's size, or nil when it did not fit in `capacity`.
    static func encode(_ call: UnsafePointer<p11t_call>, at base: UnsafeMutableRawPointer, capacity: Int,
                       previousStart: UInt64, previousCaller: UInt64, truncated: Bool) -> Int? {
        let c = call.pointee
        var e = RecordEncoder(base: base, capacity: capacity, capture: capture)
        e.rv = c.rv
        e.trusted = c.rv == RecordEncoder.okRV
        e.pre = c.pre
        e.preMask = c.pre_mask
        e.position = 2  // the size, stored last
        e.u16(c.function)
        e.u8(c.module)
        var flags: UInt8 = 0
        if c.job != 0 { flags |= 0x01 }
        if truncated { flags |= 0x02 }
        if c.nested != 0 { flags |= 0x04 }
        flags |= (c.managed & 0x03) << 3  // managed mode: on the caller's behalf, absorbed
        e.u8(flags)
        e.zigzag(Int64(bitPattern: c.t0 &- previousStart))
        e.uvarint(c.t1 &- c.t0)
        e.uvarint(c.rv)
        // Calls from one call site repeat the caller: a delta of 0, one byte.
        e.zigzag(Int64(bitPattern: c.caller &- previousCaller))
        if c.job != 0 {
            e.uvarint(c.job)
            e.uvarint(c.wait_ctx)
        }
        if !truncated { e.encodeArguments(of: call) }
        guard !e.overflow else { return nil }
        return e.position
    }
}
