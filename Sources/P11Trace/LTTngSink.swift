import CExport
#if canImport(Glibc)
import Glibc
#endif

/// The LTTng backend (`P11TRACE_BACKEND=lttng`): one `p11trace:call` event per finished call,
/// through the tracepoint provider `libp11trace-lttng.so`, plus `p11trace:process`,
/// `p11trace:module` and `p11trace:library` events for what the binary log keeps as its header
/// and metadata (docs/lttng.md).
///
/// Implementation requirements: the record path encodes the call with the binary backend's
/// encoder (``RecordPath/encode(_:at:capacity:previousStart:previousCaller:truncated:)``) into
/// the calling thread's scratch buffer and hands the bytes to the tracepoint: no lock, no
/// system call, no String, no allocation (the scratch buffer is allocated once per thread, on
/// its first call). What is captured, and what is kept secret, is exactly what the binary log
/// would hold. LTTng-UST copies the event into its per-CPU ring buffer.
enum LTTngSink {
    /// This process's pid, for every event (glibc does not cache getpid): set at bootstrap
    /// and in a forked child, read-only otherwise.
    nonisolated(unsafe) static var pid: UInt32 = 0
    /// The capture level, for the process event. Set at bootstrap, read-only afterwards.
    nonisolated(unsafe) static var capture: CaptureLevel = .lengths

    /// Loads the provider; false (with the reason on stderr) when it cannot be loaded, and
    /// then nothing is recorded.
    static func bootstrap(_ configuration: Configuration) -> Bool {
        var error = [CChar](repeating: 0, count: 512)
        guard p11t_lttng_load(&error, error.count) != 0 else {
            let message = "p11trace: LTTng backend unavailable: \(error.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }); nothing is recorded\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            return false
        }
        pid = UInt32(bitPattern: getpid())
        capture = configuration.capture
        writeProcess()
        p11t_lttng_note_recording()
        return true
    }

    /// Writes the process, module and library events again, for a session that began
    /// recording after they were first written (the `metadata` hook; never per call).
    static func writeMetadata() {
        writeProcess()
        pthread_mutex_lock(&BinaryLog.lock)
        let modules = BinaryLog.modules
        BinaryLog.libraryMapCounts = nil  // the next map is written even if nothing changed
        pthread_mutex_unlock(&BinaryLog.lock)
        for module in modules {
            writeModule(index: module.index, path: module.path, layout: module.layout, major: module.major,
                        minor: module.minor, how: module.how, caller: module.caller)
        }
        writeLibraryMap()
    }

    /// The record hook, for calls that started while a session recorded `p11trace:call`
    /// (``p11t_lttng_before`` marks the others unrecorded, and they never come here).
    static func record(_ call: UnsafePointer<p11t_call>) {
        guard let thread = p11t_thread_state_get() else { return }
        // A signal handler calling PKCS#11 while this thread is mid-record: drop, never tear.
        guard thread.pointee.busy == 0 else { return }
        thread.pointee.busy = 1
        defer { thread.pointee.busy = 0 }
        guard let scratch = p11t_lttng_thread_scratch(thread) else { return }
        let base = UnsafeMutableRawPointer(scratch)
        let start = call.pointee.t0
        // Self-contained: the start delta is relative to the event's own start, the caller's to 0.
        var size = RecordPath.encode(call, at: base, capacity: Int(P11T_LTTNG_SCRATCH_SIZE),
                                     previousStart: start, previousCaller: 0, truncated: false)
        if size == nil {
            size = RecordPath.encode(call, at: base, capacity: Int(P11T_LTTNG_SCRATCH_SIZE),
                                     previousStart: start, previousCaller: 0, truncated: true)
        }
        guard let size else { return }
        base.storeBytes(of: UInt16(size).littleEndian, toByteOffset: 0, as: UInt16.self)
        let c = call.pointee
        var event = p11t_lttng_call_event(
            sequence: c.sequence, start: start, duration: c.t1 &- start, rv: c.rv, caller: c.caller, job: c.job,
            wait_ctx: c.wait_ctx, record: UnsafePointer(scratch), record_size: UInt32(size), pid: pid, tid: thread.pointee.tid,
            function: c.function, module: c.module, flags: scratch[5])
        p11t_lttng_emit_call(&event)
    }

    /// Emits a module's `p11trace:module` event and, when the loaded objects changed, a new
    /// library map.
    static func registerModule(index: UInt8, path: String, layout: UInt8, major: UInt8, minor: UInt8, how: UInt8,
                               caller: String?) {
        writeModule(index: index, path: path, layout: layout, major: major, minor: minor, how: how, caller: caller)
        writeLibraryMap()
    }

    private static func writeModule(index: UInt8, path: String, layout: UInt8, major: UInt8, minor: UInt8, how: UInt8,
                                    caller: String?) {
        path.withCString { path in
            (caller ?? "").withCString { caller in
                var event = p11t_lttng_module_event(pid: pid, path: path, caller: caller, index: index, layout: layout,
                                                    major: major, minor: minor, how: how)
                p11t_lttng_emit_module(&event)
            }
        }
    }

    /// Emits the loaded objects as `p11trace:library` events when the set changed since the
    /// last map (the binary log's library map, docs/log-format.md). Never on the record path.
    static func writeLibraryMap() {
        pthread_mutex_lock(&BinaryLog.lock)
        defer { pthread_mutex_unlock(&BinaryLog.lock) }
        guard let objects = BinaryLog.changedLoadedObjectsLocked() else { return }
        let snapshot = BinaryLog.librarySnapshot
        for object in objects {
            object.path.withCString { path in
                var event = p11t_lttng_library_event(pid: pid, snapshot: snapshot, start: object.start, end: object.end, path: path)
                p11t_lttng_emit_library(&event)
            }
        }
    }

    /// In a forked child: calls are numbered from 1 again, the map is written again.
    static func afterForkChild() {
        p11t_lttng_reset_sequence()
        pid = UInt32(bitPattern: getpid())
        pthread_mutex_lock(&BinaryLog.lock)
        BinaryLog.libraryMapCounts = nil
        BinaryLog.librarySnapshot = 0
        pthread_mutex_unlock(&BinaryLog.lock)
    }

    /// The `p11trace:process` event: what the binary log's header holds.
    private static func writeProcess() {
        var mono = timespec(), wall = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        clock_gettime(CLOCK_REALTIME, &wall)
        // The binary header's limits, so both backends show the same names.
        let name = String(BinaryLog.readText("/proc/self/comm").trimmingNewline().utf8.prefix(63)) ?? ""
        let executable = String(BinaryLog.readLink("/proc/self/exe").utf8.prefix(255)) ?? ""
        // Command lines carry PINs: kept only when secrets are captured (as in the binary log).
        let commandLine = capture == .secrets
            ? String(BinaryLog.readText("/proc/self/cmdline").split(separator: "\0").joined(separator: " ").utf8.prefix(511)) ?? ""
            : ""
        name.withCString { name in
            executable.withCString { executable in
                commandLine.withCString { commandLine in
                    BinaryLog.writerVersion.withCString { writer in
                        var event = p11t_lttng_process_event(
                            monotonic_origin: UInt64(mono.tv_sec) * 1_000_000_000 + UInt64(mono.tv_nsec),
                            wall_origin: UInt64(wall.tv_sec) * 1_000_000_000 + UInt64(wall.tv_nsec),
                            pid: UInt32(bitPattern: getpid()), ppid: UInt32(bitPattern: getppid()),
                            ulong_size: UInt8(MemoryLayout<CK_ULONG>.size), capture: UInt8(capture.rawValue),
                            set_uid: 0, name: name, executable: executable, command_line: commandLine, writer: writer)
                        p11t_lttng_emit_process(&event)
                    }
                }
            }
        }
    }
}
