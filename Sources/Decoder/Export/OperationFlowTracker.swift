/// Links the calls of one multi-part operation (an `Init`, its `Update`s, its `Final` or
/// single-part call) into a flow, for the arrows of ``ChromeTraceWriter``.
///
/// Operations are tracked per module, session and family (`Sign`, `FindObjects`, ...). Which
/// call opens, continues or ends which operation is ``OperationSpanGrouper``'s rule (its
/// `roles` and `ending(of:role:)`), the one definition `stats` and `timeline` use too: a
/// successful `Init` opens; a single-part or `Final` call ends unless it returned
/// `CKR_BUFFER_TOO_SMALL` or only asked for the length. Closing the session (or every
/// session, or finalizing) abandons what was open.
///
/// Calls are fed in start order and flow events come out as soon as they are known, so a
/// trace is never held in memory: a step is emitted when the next step arrives (only then is
/// it known whether it is the first, `s`, or a middle one, `t`), and an operation of a single
/// call (a lone `Init`) yields no events. Every `s` gets its `f`, at the latest from
/// ``finishAll()``.
struct OperationFlowTracker {
    /// Where a flow event binds: the thread and start time (ns since the first call) of a call.
    struct Anchor: Hashable {
        var threadID: UInt32
        var time: UInt64
    }

    /// One flow event: the first (`s`), a middle (`t`) or the last (`f`) step of an operation.
    struct FlowEvent: Hashable {
        enum Phase: String { case start = "s", step = "t", finish = "f" }
        var phase: Phase
        var id: UInt64
        /// The operation family, for example `Sign`.
        var family: String
        var anchor: Anchor
    }

    private struct Key: Hashable {
        var module: UInt8
        var session: UInt64
        var family: String
    }

    private struct OpenOperation {
        var id: UInt64
        /// The latest call of the operation, whose event is not written yet.
        var pending: Anchor
        /// Whether the `s` event has been written.
        var started: Bool
    }

    private var open: [Key: OpenOperation] = [:]
    private var lastID: UInt64 = 0

    /// The flow events that `call` completes, in order.
    ///
    /// - Parameters:
    ///   - call: The next call, in start order.
    ///   - time: Its start, ns since the trace's first call.
    mutating func events(for call: DecodedCall, at time: UInt64) -> [FlowEvent] {
        let anchor = Anchor(threadID: call.threadID, time: time)
        var events: [FlowEvent] = []
        let sessions = CallFilter.sessionHandles(of: call)
        switch call.function.name {
        case "C_CloseSession" where call.returnValue.isOK:
            events += abandon { $0.module == call.moduleIndex && sessions.contains($0.session) }
        case "C_CloseAllSessions", "C_Finalize":
            if call.returnValue.isOK { events += abandon { $0.module == call.moduleIndex } }
        default:
            break
        }
        guard let roles = OperationSpanGrouper.roles[call.function.name], let session = sessions.first else {
            return events
        }
        for (kind, role) in roles {
            let family = kind.flowName
            let key = Key(module: call.moduleIndex, session: session, family: family)
            if role == .initial {
                if let replaced = open.removeValue(forKey: key) { events += close(replaced, family: family) }
                if call.returnValue.isOK {
                    lastID += 1
                    open[key] = OpenOperation(id: lastID, pending: anchor, started: false)
                }
                continue
            }
            guard var operation = open[key] else { continue }
            events.append(FlowEvent(phase: operation.started ? .step : .start, id: operation.id, family: family,
                                    anchor: operation.pending))
            operation.started = true
            if OperationSpanGrouper.ending(of: call, role: role) == nil {
                operation.pending = anchor
                open[key] = operation
            } else {
                open[key] = nil
                events.append(FlowEvent(phase: .finish, id: operation.id, family: family, anchor: anchor))
            }
        }
        return events
    }

    /// Closes every operation still open (at the end of the trace), by flow id.
    mutating func finishAll() -> [FlowEvent] {
        abandon { _ in true }
    }

    private mutating func abandon(where predicate: (Key) -> Bool) -> [FlowEvent] {
        let keys = open.keys.filter(predicate).sorted { open[$0]!.id < open[$1]!.id }
        return keys.flatMap { key in close(open.removeValue(forKey: key)!, family: key.family) }
    }

    /// The event that ends an abandoned operation: its pending step as `f`, if the `s` is out.
    private func close(_ operation: OpenOperation, family: String) -> [FlowEvent] {
        operation.started ? [FlowEvent(phase: .finish, id: operation.id, family: family, anchor: operation.pending)] : []
    }
}

extension OperationSpan.Kind {
    /// The flow's name in a Chrome trace: the Init function without `C_` and `Init` (`Sign`).
    var flowName: String {
        String(initFunction.dropFirst(2).dropLast(4))
    }
}
