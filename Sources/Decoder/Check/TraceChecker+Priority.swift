/// Return-code priorities the trace can show: which of two applicable codes the module chose
/// (pkcs11-base 5.1, 10.1.1-10.1.3: universal codes first, then the session-handle codes in
/// the order CKR_SESSION_HANDLE_INVALID, CKR_DEVICE_REMOVED, CKR_SESSION_CLOSED, then the
/// token codes, then the rest; 5.4 C_Initialize: before it, CKR_CRYPTOKI_NOT_INITIALIZED).
extension TraceChecker {
    /// Codes that outrank any other error (10.1.1; CKR_OK excluded), and the stub's answer.
    static let outranking: Set<ReturnValue> = [
        ReturnValue(rawValue: 0x5), ReturnValue(rawValue: 0x6), ReturnValue(rawValue: 0x2), .functionNotSupported,
    ]

    func priorityFindings() -> [CheckFinding] {
        var findings: [CheckFinding] = []
        var initialized: Set<UInt8> = []
        var open: [SessionKey: UInt64] = [:]          // session -> slot
        var closed: [SessionKey: DecodedCall] = [:]   // session -> the call that closed it
        for call in calls {
            let name = call.function.name, module = call.moduleIndex, rv = call.returnValue
            if Self.negotiation.contains(name) || rv.rawValue >= 0x8000_0000 { continue }
            if name == "C_Initialize" {
                if rv.isOK || rv == .alreadyInitialized { initialized.insert(module) }
                continue
            }
            guard initialized.contains(module) else {
                // 5.4: every function but C_Initialize (and the negotiation functions) answers
                // CKR_CRYPTOKI_NOT_INITIALIZED before C_Initialize and after C_Finalize.
                let alsoAllowed: Set<ReturnValue> = name == "C_Finalize" ? [.argumentsBad] : []
                if rv != .notInitialized && !Self.outranking.contains(rv) && !alsoAllowed.contains(rv) {
                    findings.append(CheckFinding(rule: .returnPriority, sequences: [call.sequence],
                        message: "\(name) #\(call.sequence) on \(call.moduleName), which is not initialised, returned \(rv), not CKR_CRYPTOKI_NOT_INITIALIZED"))
                }
                continue
            }
            switch name {
            case "C_Finalize":
                if rv.isOK {
                    initialized.remove(module)
                    open = open.filter { $0.key.module != module }
                    closed = closed.filter { $0.key.module != module }
                }
                continue
            case "C_OpenSession":
                if rv.isOK, case .number(let handle, _)? = call.arguments.last?.value {
                    let key = SessionKey(module: module, handle: handle)
                    closed[key] = nil
                    open[key] = call.number(ofKind: .slot) ?? 0
                }
                continue
            case "C_CloseAllSessions":
                if rv.isOK, let slot = call.number(ofKind: .slot) {
                    for key in open.filter({ $0.key.module == module && $0.value == slot }).map(\.key) {
                        open[key] = nil
                        closed[key] = call
                    }
                }
                continue
            default:
                break
            }
            guard let handle = call.number(ofKind: .session) else { continue }
            let key = SessionKey(module: module, handle: handle)
            if let by = closed[key] {
                // 10.1.2: invalid at the time of the call, CKR_SESSION_HANDLE_INVALID outranks
                // CKR_DEVICE_REMOVED and CKR_SESSION_CLOSED, and (10.1.8) every code but the
                // universal ones.
                if rv != .sessionHandleInvalid && !Self.outranking.contains(rv) {
                    findings.append(CheckFinding(rule: .returnPriority, sequences: [by.sequence, call.sequence],
                        message: "\(name) #\(call.sequence) on session \(hex(handle)), closed by \(by.function.name) #\(by.sequence), returned \(rv), not CKR_SESSION_HANDLE_INVALID"))
                }
            } else if name == "C_CloseSession" && rv.isOK {
                open[key] = nil
                closed[key] = call
            }
        }
        return findings
    }
}

extension ReturnValue {
    static let sessionHandleInvalid = ReturnValue(rawValue: 0xB3)
}
