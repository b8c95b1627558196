import CExport

/// The one symbol the Swift half exports to C: reads the configuration and hands C its hooks.
///
/// The corresponding C declaration is `void p11t_swift_bootstrap(p11t_swift_hooks *hooks)`,
/// called exactly once (under `pthread_once`) before any call is traced.
@c(p11t_swift_bootstrap)
func bootstrap(_ hooks: UnsafeMutablePointer<p11t_swift_hooks>) {
    var configuration = Configuration.fromEnvironment()
    // Before any hook is set: without its provider the LTTng backend records nothing (and
    // none of its hooks is installed).
    if configuration.backend == .lttng && !LTTngSink.bootstrap(configuration) {
        configuration.backend = .none
        configuration.enabled = false
    }
    // Before any call is recorded: every record of the process uses one clock.
    p11t_clock_use_tsc(configuration.enabled && configuration.usesTSC ? 1 : 0)
    BinaryLog.bootstrap(configuration)
    RecordPath.capture = configuration.capture
    // Allocated once and never freed: C reads it on every call.
    let filter = UnsafeMutablePointer<UInt8>.allocate(capacity: Int(P11T_FUNCTION_SLOTS))
    filter.initialize(repeating: 0, count: Int(P11T_FUNCTION_SLOTS))
    for (id, name) in FunctionNames.all where Int(id) < Int(P11T_FUNCTION_SLOTS) {
        filter[Int(id)] = configuration.records(function: name) ? 1 : 0
    }
    hooks.pointee.filter = UnsafePointer(filter)
    switch configuration.backend {
    case .binary, .none:
        hooks.pointee.record = { call in
            guard let call else { return }
            RecordPath.record(call)
        }
    case .lttng:
        hooks.pointee.record = { call in
            guard let call else { return }
            LTTngSink.record(call)
        }
        hooks.pointee.before = p11t_lttng_before
        hooks.pointee.metadata = { LTTngSink.writeMetadata() }
    case .text:
        TextSink.bootstrap(configuration)
        hooks.pointee.record = { call in
            guard let call else { return }
            TextSink.record(call)
        }
    case .both:
        TextSink.bootstrap(configuration)
        hooks.pointee.record = { call in
            guard let call else { return }
            RecordPath.record(call)
            TextSink.record(call)
        }
    }
    // The inputs block: written before the module runs, so a crash inside it leaves the
    // call's inputs in the text (at the price of the inputs appearing twice).
    if configuration.backend.writesText && configuration.textInputs {
        hooks.pointee.before = { call in
            guard let call else { return }
            TextSink.before(call)
        }
    }
    hooks.pointee.register_module = { path, layout, major, minor, how, caller in
        let text = path.map { String(cString: $0) } ?? ""
        let index = BinaryLog.registerModule(path: text, layout: layout, major: major, minor: minor, how: how,
                                             caller: caller.map { String(cString: $0) })
        TextSink.registerModule(index: index, path: text)
        if p11t_lttng_loaded() != 0 {
            LTTngSink.registerModule(index: index, path: text, layout: layout, major: major, minor: minor, how: how,
                                     caller: caller.map { String(cString: $0) })
        }
        return index
    }
    if configuration.backend == .lttng {
        hooks.pointee.library_map = { LTTngSink.writeLibraryMap() }
    } else if configuration.backend != .text {
        hooks.pointee.library_map = { BinaryLog.writeLibraryMap() }
    }
    hooks.pointee.after_fork_child = {
        BinaryLog.afterForkChild()
        TextSink.afterForkChild()
        if p11t_lttng_loaded() != 0 { LTTngSink.afterForkChild() }
    }
    hooks.pointee.managed = configuration.managed ? 1 : 0
    hooks.pointee.enabled = configuration.enabled ? 1 : 0
}
