/// Sessions, objects and operations: handles used after they were closed or destroyed, two
/// threads on one session, operations without their Init, and what is left open at the end.
extension TraceChecker {
    struct SessionKey: Hashable {
        var module: UInt8
        var handle: UInt64
    }

    struct OpenSession {
        var slot: UInt64
        var opened: DecodedCall
        var active: [String: Int] = [:]  // operation kind -> sequence of its Init
        var activeJobs: [String: UInt64] = [:]  // operation kind -> async job of its Init (0: none)
        var unknownState = false          // after C_SetOperationState: no operation checks
    }

    /// The operations `name` opens (an Init) or continues and may end, from the one table of
    /// operation rules (``OperationSpanGrouper``), which `stats`, `timeline` and `export` use too.
    static func operations(of name: String) -> (opens: OperationSpan.Kind?, continues: [(OperationSpan.Kind, OperationSpanGrouper.Role)]) {
        guard let roles = OperationSpanGrouper.roles[name] else { return (nil, []) }
        let opens = roles.first { $0.1 == .initial }?.0
        return (opens, roles.filter { $0.1 != .initial })
    }

    func stateFindings() -> [CheckFinding] {
        var findings: [CheckFinding] = []
        var open: [SessionKey: OpenSession] = [:]
        var closed: [SessionKey: DecodedCall] = [:]
        var destroyed: [SessionKey: DecodedCall] = [:]
        var busy: [SessionKey: DecodedCall] = [:]     // the call on the session that ends last
        var loggedIn: [SessionKey: DecodedCall] = [:]  // key: module and slot
        var sessionObjects: [SessionKey: (session: UInt64, created: DecodedCall)] = [:]  // key: module and object

        func leftOpen(_ key: SessionKey, _ session: OpenSession, at end: String) {
            findings.append(CheckFinding(rule: .sessionNotClosed, sequences: [session.opened.sequence],
                message: "session \(hex(key.handle)) opened by #\(session.opened.sequence) still open \(end)"))
            if let find = session.active[OperationSpan.Kind.findObjects.checkName] {
                findings.append(CheckFinding(rule: .findNotFinal, sequences: [find],
                    message: "C_FindObjectsInit #\(find) on session \(hex(key.handle)) never finalised"))
            }
        }
        func close(_ key: SessionKey, by call: DecodedCall) {
            guard let session = open.removeValue(forKey: key) else { return }
            closed[key] = call
            // Closing a session destroys its session objects.
            sessionObjects = sessionObjects.filter { $0.key.module != key.module || $0.value.session != key.handle }
            if let find = session.active[OperationSpan.Kind.findObjects.checkName] {
                findings.append(CheckFinding(rule: .findNotFinal, sequences: [find, call.sequence],
                    message: "C_FindObjectsInit #\(find) on session \(hex(key.handle)) not finalised before #\(call.sequence) closed it"))
            }
            let slotKey = SessionKey(module: key.module, handle: session.slot)
            if !open.contains(where: { $0.key.module == key.module && $0.value.slot == session.slot }) {
                loggedIn[slotKey] = nil  // the last session closed: the token logs out
            }
        }

        for call in calls {
            let name = call.function.name
            let module = call.moduleIndex
            // Objects: use after destroy.
            for handle in call.objectHandles {
                if let gone = destroyed[SessionKey(module: module, handle: handle)] {
                    findings.append(CheckFinding(rule: .objectDestroyed, sequences: [gone.sequence, call.sequence],
                        message: "\(name) #\(call.sequence) uses object \(hex(handle)), destroyed by #\(gone.sequence)"))
                }
            }
            for handle in call.returnedObjects { destroyed[SessionKey(module: module, handle: handle)] = nil }
            if name == "C_DestroyObject", call.returnValue.isOK, let handle = call.objectHandles.first {
                destroyed[SessionKey(module: module, handle: handle)] = call
                sessionObjects[SessionKey(module: module, handle: handle)] = nil
            }
            if let session = call.number(ofKind: .session) {
                for handle in call.createdSessionObjects(copying: { sessionObjects[SessionKey(module: module, handle: $0)] != nil }) {
                    sessionObjects[SessionKey(module: module, handle: handle)] = (session, call)
                }
            }

            if name == "C_OpenSession" {
                if call.returnValue.isOK, let handle = call.arguments.last.flatMap({ arg -> UInt64? in
                    if case .number(let v, _) = arg.value { return v } else { return nil } }) {
                    let key = SessionKey(module: module, handle: handle)
                    closed[key] = nil
                    open[key] = OpenSession(slot: call.number(ofKind: .slot) ?? 0, opened: call)
                }
                continue
            }
            if name == "C_CloseAllSessions" {
                if call.returnValue.isOK, let slot = call.number(ofKind: .slot) {
                    for key in open.filter({ $0.key.module == module && $0.value.slot == slot }).map(\.key) {
                        close(key, by: call)
                    }
                    loggedIn[SessionKey(module: module, handle: slot)] = nil
                }
                continue
            }
            if name == "C_Finalize" && call.returnValue.isOK {
                for (key, object) in sessionObjects.filter({ $0.key.module == module }).sorted(by: { $0.value.created.sequence < $1.value.created.sequence }) {
                    if open[SessionKey(module: module, handle: object.session)] != nil {
                        findings.append(CheckFinding(rule: .objectNotDestroyed, sequences: [object.created.sequence, call.sequence],
                            message: "session object \(hex(key.handle)) created by \(object.created.function.name) #\(object.created.sequence) in session \(hex(object.session)) neither destroyed nor closed with its session before C_Finalize #\(call.sequence)"))
                    }
                    sessionObjects[key] = nil
                }
                for (key, session) in open.filter({ $0.key.module == module }).sorted(by: { $0.value.opened.sequence < $1.value.opened.sequence }) {
                    leftOpen(key, session, at: "at C_Finalize #\(call.sequence)")
                    open[key] = nil
                }
                for (key, login) in loggedIn where key.module == module {
                    findings.append(CheckFinding(rule: .loginUnbalanced, sequences: [login.sequence, call.sequence],
                        message: "C_Login #\(login.sequence) never logged out before C_Finalize #\(call.sequence)"))
                    loggedIn[key] = nil
                }
                closed = closed.filter { $0.key.module != module }
                continue
            }
            guard let handle = call.number(ofKind: .session) else { continue }
            let key = SessionKey(module: module, handle: handle)
            if let by = closed[key] {
                findings.append(CheckFinding(rule: .sessionClosed, sequences: [by.sequence, call.sequence],
                    message: "\(name) #\(call.sequence) uses session \(hex(handle)), closed by \(by.function.name) #\(by.sequence)"))
                continue
            }
            if let other = busy[key], other.threadID != call.threadID, call.startNanoseconds < other.end {
                findings.append(CheckFinding(rule: .sessionConcurrent, sequences: [other.sequence, call.sequence],
                    message: "\(name) #\(call.sequence) (thread \(call.threadID)) ran while \(other.function.name) #\(other.sequence) (thread \(other.threadID)) was inside session \(hex(handle))"))
            }
            if busy[key].map({ $0.end < call.end }) ?? true { busy[key] = call }
            guard var session = open[key] else { continue }
            defer { if open[key] != nil { open[key] = session } }
            // Two OpenSSL async jobs interleaved on one session: a job's operation is open (its
            // job paused) and another job, or code outside any job, uses the session.
            if let job = call.context?.job, !session.unknownState,
               let (kind, first) = session.active.sorted(by: { $0.value < $1.value })
                   .first(where: { (session.activeJobs[$0.key] ?? 0) != job }) {
                let owner = session.activeJobs[kind] ?? 0
                let who = { (job: UInt64) in job == 0 ? "outside any job" : "in job #\(job)" }
                findings.append(CheckFinding(rule: .sessionConcurrentJobs, sequences: [first, call.sequence],
                    message: "\(name) #\(call.sequence) (\(who(job)), thread \(call.threadID)) used session \(hex(handle)) while the \(kind) operation begun by #\(first) \(who(owner)) was active"))
            }
            switch name {
            case "C_CloseSession":
                if call.returnValue.isOK { open[key] = session; close(key, by: call) }
            case "C_Login":
                let context = call.number(ofKind: .userType) == 2  // CKU_CONTEXT_SPECIFIC
                if call.returnValue.isOK && !context { loggedIn[SessionKey(module: module, handle: session.slot)] = call }
            case "C_Logout":
                if call.returnValue.isOK { loggedIn[SessionKey(module: module, handle: session.slot)] = nil }
            case "C_SetOperationState":
                if call.returnValue.isOK { session.unknownState = true; session.active = [:] }
            case "C_SessionCancel":
                if call.returnValue.isOK { session.active = [:] }
            default:
                let operations = Self.operations(of: name)
                if let opened = operations.opens {
                    let kind = opened.checkName
                    if call.argument("pMechanism")?.value == .null {
                        session.active[kind] = nil
                    } else if let first = session.active[kind] {
                        findings.append(CheckFinding(rule: .operationActive, sequences: [first, call.sequence],
                            message: "\(name) #\(call.sequence) while the \(kind) operation of #\(first) is active (returned \(call.returnValue))"))
                    } else if call.returnValue.isOK {
                        session.active[kind] = call.sequence
                        session.activeJobs[kind] = call.context?.job ?? 0
                    }
                } else if !operations.continues.isEmpty {
                    let kinds = operations.continues.map { $0.0.checkName }
                    let missing = kinds.filter { session.active[$0] == nil }
                    if !missing.isEmpty && !session.unknownState {
                        findings.append(CheckFinding(rule: .operationNotInitialized, sequences: [call.sequence],
                            message: "\(name) #\(call.sequence) on session \(hex(handle)) without an active \(missing.joined(separator: "/")) operation (returned \(call.returnValue))"))
                    }
                    for (kind, role) in operations.continues where OperationSpanGrouper.ending(of: call, role: role) != nil {
                        session.active[kind.checkName] = nil
                    }
                }
            }
        }
        for (key, session) in open.sorted(by: { $0.value.opened.sequence < $1.value.opened.sequence }) {
            leftOpen(key, session, at: "at the end of the trace")
        }
        for (_, login) in loggedIn.sorted(by: { $0.value.sequence < $1.value.sequence }) {
            findings.append(CheckFinding(rule: .loginUnbalanced, sequences: [login.sequence],
                message: "C_Login #\(login.sequence) never logged out"))
        }
        return findings
    }
}

/// Functions that create objects: each in-template paired with the out handle it describes.
private let objectCreators: Set<String> = [
    "C_CreateObject", "C_CopyObject", "C_GenerateKey", "C_GenerateKeyPair", "C_UnwrapKey", "C_DeriveKey",
    "C_EncapsulateKey", "C_DecapsulateKey", "C_UnwrapKeyAuthenticated",
]

extension DecodedCall {
    /// The handles of session objects (CKA_TOKEN false or absent) the call created.
    ///
    /// A template without CKA_TOKEN makes a session object (the default is CK_FALSE), except
    /// for C_CopyObject, whose copy keeps the original's value: `isSessionObject` says whether
    /// a handle is a known session object. An unreadable or truncated template is skipped.
    func createdSessionObjects(copying isSessionObject: (UInt64) -> Bool) -> [UInt64] {
        guard returnValue.isOK, objectCreators.contains(function.name) else { return [] }
        let templates = arguments.compactMap { argument -> TemplateValue? in
            guard argument.kind == .inTemplate, case .template(let template) = argument.value else { return nil }
            return template
        }
        let outs = arguments.compactMap { argument -> UInt64? in
            guard argument.kind == .outHandle, case .number(let value, _) = argument.value, value != 0 else { return nil }
            return value
        }
        guard templates.count == outs.count else { return [] }
        return zip(templates, outs).compactMap { template, handle in
            guard !template.isUnreadable else { return nil }
            let token = template.attributes.first { $0.type == 0x1 }  // CKA_TOKEN
            if let bytes = token?.value.content, bytes.count == 1 { return bytes[0] == 0 ? handle : nil }
            if token != nil || template.isTruncated { return nil }
            if function.name == "C_CopyObject" { return objectHandles.first.map(isSessionObject) == true ? handle : nil }
            return handle
        }
    }
}

/// `0x1A` for a handle.
func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16, uppercase: true) }

extension OperationSpan.Kind {
    /// How findings name the operation: `sign`, `sign-recover`, `find`, `message-encrypt`.
    var checkName: String {
        if self == .findObjects { return "find" }
        return rawValue.reduce(into: "") { name, c in
            if c.isUppercase { name += "-" + c.lowercased() } else { name.append(c) }
        }
    }
}
