extension TraceChecker {
    /// `sharing.unmanaged`: two users initialised one module (the second was answered
    /// CKR_CRYPTOKI_ALREADY_INITIALIZED), then one of them ended sessions it may not own with
    /// C_CloseAllSessions or C_Finalize while sessions were open. Each finding names the two
    /// initialisations, the ending call and, when the trace shows it, the first later call that
    /// failed because of it, with the library each call came from (its caller); it suggests
    /// managed mode (docs/managed.md).
    func sharingFindings() -> [CheckFinding] {
        var findings: [CheckFinding] = []
        var users: [UInt8: [DecodedCall]] = [:]
        var open: [UInt8: [UInt64: (slot: UInt64, opened: DecodedCall)]] = [:]
        for (position, call) in calls.enumerated() {
            let module = call.moduleIndex
            switch call.function.name {
            case "C_Initialize":
                if call.returnValue.isOK {
                    users[module] = [call]
                } else if call.returnValue == .alreadyInitialized, !call.flags.contains(.absorbed),
                          users[module]?.isEmpty == false {
                    // (Absorbed: a managed table answered it; the module has one user.)
                    users[module, default: []].append(call)
                }
            case "C_OpenSession":
                if call.returnValue.isOK, case .number(let handle, _)? = call.arguments.last?.value {
                    open[module, default: [:]][handle] = (call.number(ofKind: .slot) ?? 0, call)
                }
            case "C_CloseSession":
                if call.returnValue.isOK, let handle = call.number(ofKind: .session) { open[module]?[handle] = nil }
            case "C_CloseAllSessions", "C_Finalize":
                guard call.returnValue.isOK else { break }
                let finalize = call.function.name == "C_Finalize"
                let slot = call.number(ofKind: .slot)
                let ended = (open[module] ?? [:]).filter { finalize || $0.value.slot == slot }
                if let sharers = users[module], sharers.count >= 2, !ended.isEmpty {
                    let broken = calls[(position + 1)...].first { later in
                        later.moduleIndex == module && !later.returnValue.isOK
                            && ((later.number(ofKind: .session)).map { ended[$0] != nil } ?? false
                                || (finalize && later.returnValue == .notInitialized))
                    }
                    let handles = ended.keys.sorted().prefix(4).map(hex).joined(separator: ", ")
                    var message = "\(call.moduleName) was initialised by #\(sharers[0].sequence)\(from(sharers[0])) and "
                        + "again by #\(sharers[1].sequence)\(from(sharers[1])) (unmanaged sharing); "
                        + "\(call.function.name) #\(call.sequence)\(from(call)) ended \(ended.count) open session(s) "
                        + "(\(handles)\(ended.count > 4 ? ", ..." : ""))"
                    if let broken {
                        message += "; #\(broken.sequence) \(broken.function.name)\(from(broken)) then failed with "
                            + "\(broken.returnValue)"
                    }
                    message += ". Share the module with managed mode: p11trace record --managed (P11TRACE_MANAGED=yes)"
                    findings.append(CheckFinding(rule: .unmanagedSharing,
                        sequences: [sharers[0].sequence, sharers[1].sequence, call.sequence] + (broken.map { [$0.sequence] } ?? []),
                        message: message))
                }
                for handle in ended.keys { open[module]?[handle] = nil }
                if finalize { users[module] = nil }
            default:
                break
            }
        }
        return findings
    }

    /// " from libfoo.so" when the trace names the library that made the call.
    private func from(_ call: DecodedCall) -> String {
        call.context?.callerName.map { " from \($0)" } ?? ""
    }
}
