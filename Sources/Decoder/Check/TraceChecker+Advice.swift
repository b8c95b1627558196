/// Waste: patterns that are correct but cost time, each with the time it cost in this trace.
extension TraceChecker {
    func adviceFindings() -> [CheckFinding] {
        var findings: [CheckFinding] = []
        // C_FindObjects with ulMaxObjectCount 1, several in a row on one session.
        var run: [UInt64: [DecodedCall]] = [:]
        func flush(_ session: UInt64) {
            if let calls = run.removeValue(forKey: session), calls.count >= 3 {
                let cost = calls.dropFirst().reduce(0) { $0 + $1.durationNanoseconds }
                findings.append(CheckFinding(rule: .findOneByOne, sequences: calls.map(\.sequence),
                    message: "\(calls.count) C_FindObjects calls fetched one handle each on session \(hex(session))",
                    costNanoseconds: cost))
            }
        }
        // Identical C_GetAttributeValue calls.
        var seen: [DecodedCall.AttributeQuery: DecodedCall] = [:]
        var repeats: [DecodedCall.AttributeQuery: (first: DecodedCall, again: [DecodedCall])] = [:]
        // Sessions opened, used for one operation and closed; logins per operation.
        var sessionCalls: [UInt64: (open: DecodedCall, count: Int)] = [:]
        var shortSessions: [(DecodedCall, DecodedCall)] = []
        var logins: [DecodedCall] = []
        for call in calls {
            let session = call.number(ofKind: .session)
            switch call.function.name {
            case "C_FindObjects":
                guard let session else { break }
                var one = false
                for argument in call.arguments where argument.kind == .outArrayMax {
                    if case .array(let array) = argument.value, array.capacity == 1 { one = true }
                }
                if one { run[session, default: []].append(call) } else { flush(session) }
            case "C_FindObjectsFinal":
                if let session { flush(session) }
            case "C_GetAttributeValue":
                guard call.returnValue.isOK, let query = call.attributeQuery else { break }
                if let first = seen[query] { repeats[query, default: (first, [])].again.append(call) } else { seen[query] = call }
            case "C_OpenSession":
                if call.returnValue.isOK, case .number(let handle, _)? = call.arguments.last?.value {
                    sessionCalls[handle] = (call, 0)
                }
            case "C_CloseSession":
                if let session, let entry = sessionCalls.removeValue(forKey: session), entry.count <= 4 {
                    shortSessions.append((entry.open, call))
                }
            case "C_Login":
                if call.returnValue.isOK { logins.append(call) }
            default:
                if let session { sessionCalls[session]?.count += 1 }
            }
            if call.function.name == "C_DestroyObject" || call.function.name == "C_SetAttributeValue" { seen = [:] }
        }
        for session in Array(run.keys) { flush(session) }
        // The first call is kept with its repeats: `seen` forgets it when an object changes.
        for (query, (first, calls)) in repeats.sorted(by: { $0.value.first.sequence < $1.value.first.sequence }) {
            findings.append(CheckFinding(rule: .repeatedGetAttribute, sequences: [first.sequence] + calls.map(\.sequence),
                message: "C_GetAttributeValue on object \(hex(query.object)) repeated \(calls.count) time(s) with the same template",
                costNanoseconds: calls.reduce(0) { $0 + $1.durationNanoseconds }))
        }
        if shortSessions.count >= 3 {
            findings.append(CheckFinding(rule: .sessionPerOperation, sequences: shortSessions.flatMap { [$0.0.sequence, $0.1.sequence] },
                message: "\(shortSessions.count) sessions were opened and closed around a few calls each",
                costNanoseconds: shortSessions.reduce(0) { $0 + $1.0.durationNanoseconds + $1.1.durationNanoseconds }))
        }
        if logins.count >= 3 {
            findings.append(CheckFinding(rule: .loginPerOperation, sequences: logins.map(\.sequence),
                message: "\(logins.count) successful C_Login calls in one trace",
                costNanoseconds: logins.reduce(0) { $0 + $1.durationNanoseconds }))
        }
        return findings
    }
}

extension DecodedCall {
    /// What a C_GetAttributeValue asked for: object, session and the template it returned.
    struct AttributeQuery: Hashable {
        var module: UInt8
        var object: UInt64
        var template: DecodedValue
    }

    var attributeQuery: AttributeQuery? {
        guard let object = objectHandles.first,
              let template = arguments.first(where: { $0.kind == .outTemplate })?.value else { return nil }
        return AttributeQuery(module: moduleIndex, object: object, template: template)
    }
}
