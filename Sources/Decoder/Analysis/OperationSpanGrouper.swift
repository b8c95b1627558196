/// Groups the calls of a trace into ``OperationSpan``s, one pass, in call order.
///
/// An operation opens when its `Init` returns `CKR_OK` (a failed `Init` opens nothing) and is
/// keyed by module and session. It ends, as PKCS#11 says, at:
/// - the single-part call (`C_Sign`) or the `Final`, whatever it returns, except
///   `CKR_BUFFER_TOO_SMALL` and a length query (NULL output buffer) answered with `CKR_OK`;
/// - an `Update` (and `C_DigestKey`) that fails;
/// - `C_MessageXxxFinal`, `C_FindObjectsFinal` and `C_VerifySignatureFinal` whatever they
///   return (the per-message calls and `C_FindObjects` never end the operation);
/// - an `Init` with a NULL mechanism (3.0 cancellation), `C_SessionCancel`,
///   `C_CloseSession`, `C_CloseAllSessions` or `C_Finalize` (``OperationSpan/Ending/abandoned``).
///
/// The dual-function updates (`C_DigestEncryptUpdate`…) join both open operations.
/// Memory holds the open operations only (and the sequence numbers of their calls).
///
/// ```swift
/// var grouper = OperationSpanGrouper()
/// while let call = try calls.next() {
///     for span in grouper.add(call).ended { print(span.label, span.sequences) }
/// }
/// for span in grouper.finish() { print(span.label, "unfinished") }
/// ```
public struct OperationSpanGrouper: Sendable {
    /// What one call did to the operations.
    public struct Step: Sendable {
        /// Whether the call belongs to an operation (opened, continued or ended one).
        public var isInSpan = false
        /// The operations the call ended, in the order they were opened.
        public var ended: [OperationSpan] = []
    }

    private struct Key: Hashable, Sendable {
        var module: UInt8
        var session: UInt64
    }

    /// The open operations, by module and session, then by kind.
    private var open: [Key: [OperationSpan.Kind: OperationSpan]] = [:]
    private var openOrder = 0

    /// Creates a grouper with no open operation.
    public init() {}

    /// The number of operations open now.
    public var openCount: Int { open.values.reduce(0) { $0 + $1.count } }

    /// Feeds the next call of the trace.
    ///
    /// - Returns: Whether the call belongs to an operation, and the operations it ended.
    public mutating func add(_ call: DecodedCall) -> Step {
        add(CallSummary(call))
    }

    /// Feeds the next call of the trace, by its summary.
    ///
    /// - Returns: Whether the call belongs to an operation, and the operations it ended.
    public mutating func add(_ call: CallSummary) -> Step {
        var step = Step()
        let effect = Self.effects.indices.contains(Int(call.functionID)) ? Self.effects[Int(call.functionID)] : .none
        guard let session = call.session else {
            if case .finalize = effect { step.ended = abandonAll { $0.module == call.moduleIndex } }
            return step
        }
        let key = Key(module: call.moduleIndex, session: session)
        switch effect {
        case .closeSession:
            step.ended = abandonAll { $0 == key }
            return step
        case .closeAllSessions:
            step.ended = abandonAll { $0.module == call.moduleIndex }
            return step
        case .roles(let roles):
            add(call, session: session, key: key, roles: roles, to: &step)
            return step
        case .none, .finalize:
            return step
        }
    }

    /// What `call` in `roles` does to the operations open on `key`.
    private mutating func add(_ call: CallSummary, session: UInt64, key: Key, roles: [(OperationSpan.Kind, Role)],
                              to step: inout Step) {
        for (kind, role) in roles {
            if role == .initial {
                if call.returnValue.isOK, let previous = open[key]?.removeValue(forKey: kind) {
                    step.ended.append(closed(previous, ending: .abandoned))
                }
                guard call.returnValue.isOK, !call.hasNullMechanism else { continue }
                open[key, default: [:]][kind] = OperationSpan(
                    kind: kind, moduleIndex: call.moduleIndex, session: session, threadID: call.threadID,
                    mechanism: call.mechanism, sequences: [call.sequence],
                    startNanoseconds: call.startNanoseconds,
                    endNanoseconds: call.startNanoseconds &+ call.durationNanoseconds,
                    busyNanoseconds: call.durationNanoseconds, ending: .unfinished)
                step.isInSpan = true
                continue
            }
            guard var span = open[key]?[kind] else { continue }
            step.isInSpan = true
            span.sequences.append(call.sequence)
            span.endNanoseconds = max(span.endNanoseconds, call.startNanoseconds &+ call.durationNanoseconds)
            span.busyNanoseconds &+= call.durationNanoseconds
            if let ending = Self.ending(returnValue: call.returnValue, isLengthQuery: call.isLengthQuery, role: role) {
                open[key]?[kind] = nil
                if open[key]?.isEmpty == true { open[key] = nil }
                span.ending = ending
                step.ended.append(span)
            } else {
                open[key]?[kind] = span
            }
        }
    }

    /// Ends the pass: the operations still open, marked ``OperationSpan/Ending/unfinished``,
    /// ordered by start.
    public mutating func finish() -> [OperationSpan] {
        let spans = open.values.flatMap(\.values).sorted { ($0.startNanoseconds, $0.sequences[0]) < ($1.startNanoseconds, $1.sequences[0]) }
        open = [:]
        return spans
    }

    /// Groups a whole sequence of calls.
    ///
    /// - Returns: Every span, ended or unfinished, ordered by the sequence number of its first call.
    public static func spans(of calls: some Sequence<DecodedCall>) -> [OperationSpan] {
        var grouper = OperationSpanGrouper()
        var spans: [OperationSpan] = []
        for call in calls { spans += grouper.add(call).ended }
        spans += grouper.finish()
        return spans.sorted { $0.sequences[0] < $1.sequences[0] }
    }

    private func closed(_ span: OperationSpan, ending: OperationSpan.Ending) -> OperationSpan {
        var span = span
        span.ending = ending
        return span
    }

    private mutating func abandonAll(where matches: (Key) -> Bool) -> [OperationSpan] {
        var ended: [OperationSpan] = []
        for key in open.keys where matches(key) {
            ended += open[key]!.values.map { closed($0, ending: .abandoned) }
            open[key] = nil
        }
        return ended.sorted { $0.sequences[0] < $1.sequences[0] }
    }

    // MARK: The roles of the calls

    enum Role: Equatable {
        /// `C_SignInit`: opens on `CKR_OK`.
        case initial
        /// `C_Sign`, `C_SignFinal`: ends, except a length query or `CKR_BUFFER_TOO_SMALL`.
        case finishing
        /// `C_SignUpdate`: continues; an error ends the operation.
        case update
        /// `C_EncryptMessage`, `C_FindObjects`: continues, whatever it returns.
        case part
        /// `C_MessageEncryptFinal`, `C_FindObjectsFinal`: ends, whatever it returns.
        case closing
    }

    /// What a function does to the open operations, apart from its roles in them.
    enum Effect {
        case none
        /// `C_CloseSession`, `C_SessionCancel`: abandons the session's operations.
        case closeSession
        /// `C_CloseAllSessions`: abandons the module's operations.
        case closeAllSessions
        /// `C_Finalize`: abandons the module's operations (it names no session).
        case finalize
        /// Opens, continues or ends operations (``roles``).
        case roles([(OperationSpan.Kind, Role)])
    }

    /// The effect of each function, by function id (an id past the end: none).
    static let effects: [Effect] = {
        var effects = [Effect](repeating: .none, count: Int(FunctionSchema.table.map(\.id).max() ?? 0) + 1)
        for function in FunctionSchema.table {
            switch function.name {
            case "C_CloseSession", "C_SessionCancel": effects[Int(function.id)] = .closeSession
            case "C_CloseAllSessions": effects[Int(function.id)] = .closeAllSessions
            case "C_Finalize": effects[Int(function.id)] = .finalize
            default: if let roles = roles[function.name] { effects[Int(function.id)] = .roles(roles) }
            }
        }
        return effects
    }()

    /// What each function does to which operation.
    static let roles: [String: [(OperationSpan.Kind, Role)]] = {
        var roles: [String: [(OperationSpan.Kind, Role)]] = [:]
        let classic: [(OperationSpan.Kind, String, hasParts: Bool)] = [
            (.encrypt, "Encrypt", true), (.decrypt, "Decrypt", true), (.digest, "Digest", true),
            (.sign, "Sign", true), (.verify, "Verify", true),
            (.signRecover, "SignRecover", false), (.verifyRecover, "VerifyRecover", false),
            (.verifySignature, "VerifySignature", true),
        ]
        for (kind, stem, hasParts) in classic {
            roles["C_\(stem)Init"] = [(kind, .initial)]
            roles["C_\(stem)"] = [(kind, .finishing)]
            if hasParts {
                roles["C_\(stem)Update"] = [(kind, .update)]
                roles["C_\(stem)Final"] = [(kind, .finishing)]
            }
        }
        roles["C_DigestKey"] = [(.digest, .update)]
        roles["C_DigestEncryptUpdate"] = [(.digest, .update), (.encrypt, .update)]
        roles["C_DecryptDigestUpdate"] = [(.decrypt, .update), (.digest, .update)]
        roles["C_SignEncryptUpdate"] = [(.sign, .update), (.encrypt, .update)]
        roles["C_DecryptVerifyUpdate"] = [(.decrypt, .update), (.verify, .update)]
        let message: [(OperationSpan.Kind, String, String)] = [
            (.messageEncrypt, "Encrypt", "EncryptMessage"), (.messageDecrypt, "Decrypt", "DecryptMessage"),
            (.messageSign, "Sign", "SignMessage"), (.messageVerify, "Verify", "VerifyMessage"),
        ]
        for (kind, verb, stem) in message {
            roles["C_Message\(verb)Init"] = [(kind, .initial)]
            for part in ["C_\(stem)", "C_\(stem)Begin", "C_\(stem)Next"] { roles[part] = [(kind, .part)] }
            roles["C_Message\(verb)Final"] = [(kind, .closing)]
        }
        roles["C_FindObjectsInit"] = [(.findObjects, .initial)]
        roles["C_FindObjects"] = [(.findObjects, .part)]
        roles["C_FindObjectsFinal"] = [(.findObjects, .closing)]
        return roles
    }()

    static let bufferTooSmall = ReturnValue(rawValue: 0x150)
    static let functionNotSupported = ReturnValue(rawValue: 0x54)

    /// How `call` in `role` ends its operation, or `nil` if the operation goes on.
    static func ending(of call: DecodedCall, role: Role) -> OperationSpan.Ending? {
        ending(returnValue: call.returnValue, isLengthQuery: call.isLengthQuery, role: role)
    }

    /// How a call in `role` that returned `returnValue` ends its operation, or `nil` if the
    /// operation goes on; `isLengthQuery` is asked for a successful finishing call only.
    static func ending(returnValue: ReturnValue, isLengthQuery: @autoclosure () -> Bool, role: Role) -> OperationSpan.Ending? {
        // CKR_FUNCTION_NOT_SUPPORTED: the call did nothing (SoftHSM answers the dual-function
        // updates so), so the operation is as it was.
        if returnValue == functionNotSupported { return nil }
        let result: OperationSpan.Ending = returnValue.isOK ? .completed : .failed(returnValue)
        switch role {
        case .initial, .part:
            return nil
        case .update:
            return returnValue.isOK ? nil : result
        case .closing:
            return result
        case .finishing:
            if returnValue == bufferTooSmall { return nil }
            if returnValue.isOK, isLengthQuery() { return nil }
            return result
        }
    }

    static func session(of call: DecodedCall) -> UInt64? {
        for argument in call.arguments where argument.kind == .session {
            if case .number(let handle, _) = argument.value { return handle }
        }
        return nil
    }

    static func mechanism(of call: DecodedCall) -> UInt64? {
        for argument in call.arguments where argument.kind == .mechanism {
            if case .mechanism(let mechanism) = argument.value { return mechanism.type }
        }
        return nil
    }

    static func hasNullMechanism(_ call: DecodedCall) -> Bool {
        call.arguments.contains { $0.kind == .mechanism && $0.value == .null }
    }
}
