/// Checks a trace against the rules of ``CheckRule/catalogue``.
///
/// Feed every call in sequence order with ``add(_:)``, then call ``finish()``. The checker keeps
/// per-module state (initialised or not, sessions, objects, active operations) as the calls go.
public struct TraceChecker {
    var calls: [DecodedCall] = []

    public init() {}

    /// Adds the next call of the trace (in `decode` order: by start time).
    public mutating func add(_ call: DecodedCall) {
        calls.append(call)
    }

    /// Runs every rule over the calls added so far.
    /// - Returns: The findings, ordered by rule (catalogue order), then by first sequence number.
    public func finish() -> [CheckFinding] {
        var findings: [CheckFinding] = []
        findings += lifecycleFindings()
        findings += returnValueFindings()
        findings += priorityFindings()
        findings += stateFindings()
        findings += bufferFindings()
        findings += sharingFindings()
        findings += adviceFindings()
        let order = Dictionary(uniqueKeysWithValues: CheckRule.catalogue.enumerated().map { ($1.id, $0) })
        return findings.sorted {
            let (a, b) = (order[$0.rule.id] ?? 0, order[$1.rule.id] ?? 0)
            return a != b ? a < b : ($0.sequences.first ?? 0) < ($1.sequences.first ?? 0)
        }
    }

    /// Functions that may be called without C_Initialize.
    static let negotiation: Set<String> = ["C_GetFunctionList", "C_GetInterfaceList", "C_GetInterface"]

    func lifecycleFindings() -> [CheckFinding] {
        var findings: [CheckFinding] = []
        var initialized: [UInt8: DecodedCall] = [:]
        for call in calls {
            let name = call.function.name
            if Self.negotiation.contains(name) { continue }
            let module = call.moduleIndex
            switch name {
            case "C_Initialize":
                if let first = initialized[module], call.returnValue == .alreadyInitialized {
                    findings.append(CheckFinding(rule: .alreadyInitialized, sequences: [first.sequence, call.sequence],
                        message: "C_Initialize #\(call.sequence) answered CKR_CRYPTOKI_ALREADY_INITIALIZED: \(call.moduleName) was initialised by #\(first.sequence) (thread \(first.threadID)); a C_Finalize by either user ends the module for both"))
                } else if let first = initialized[module] {
                    findings.append(CheckFinding(rule: .doubleInitialize, sequences: [first.sequence, call.sequence],
                        message: "C_Initialize #\(call.sequence) while #\(first.sequence) already initialised \(call.moduleName) (returned \(call.returnValue))"))
                } else if call.returnValue.isOK || call.returnValue == .alreadyInitialized {
                    initialized[module] = call
                }
            case "C_Finalize":
                let reservedNull = call.argument("pReserved")?.value == .pointer(isNull: true)
                if !reservedNull && call.returnValue != .argumentsBad {
                    findings.append(CheckFinding(rule: .finalizeReserved, sequences: [call.sequence],
                        message: "C_Finalize with non-NULL pReserved returned \(call.returnValue), not CKR_ARGUMENTS_BAD"))
                }
                if initialized[module] == nil {
                    findings.append(CheckFinding(rule: .beforeInitialize, sequences: [call.sequence],
                        message: "C_Finalize on \(call.moduleName), which is not initialised"))
                }
                if call.returnValue.isOK {
                    initialized[module] = nil
                    findings += finalizeOverlaps(call)
                }
            default:
                if initialized[module] == nil {
                    findings.append(CheckFinding(rule: .beforeInitialize, sequences: [call.sequence],
                        message: "\(name) on \(call.moduleName) before C_Initialize or after C_Finalize (returned \(call.returnValue))"))
                }
            }
        }
        for (_, first) in initialized.sorted(by: { $0.value.sequence < $1.value.sequence }) {
            findings.append(CheckFinding(rule: .noFinalize, sequences: [first.sequence],
                message: "\(first.moduleName) initialised by #\(first.sequence) and never finalised"))
        }
        return findings
    }

    /// Calls of other threads on the same module whose time overlaps the C_Finalize `finalize`.
    func finalizeOverlaps(_ finalize: DecodedCall) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        for other in calls where other.moduleIndex == finalize.moduleIndex && other.threadID != finalize.threadID
            && other.startNanoseconds < finalize.end && other.end > finalize.startNanoseconds {
            if other.function.name == "C_WaitForSlotEvent" {
                if other.returnValue != .notInitialized {
                    findings.append(CheckFinding(rule: .waitNotUnblocked, sequences: [finalize.sequence, other.sequence],
                        message: "C_WaitForSlotEvent #\(other.sequence) was blocked across C_Finalize #\(finalize.sequence) and returned \(other.returnValue)"))
                }
            } else {
                findings.append(CheckFinding(rule: .finalizeConcurrent, sequences: [finalize.sequence, other.sequence],
                    message: "C_Finalize #\(finalize.sequence) ran while thread \(other.threadID) was inside \(other.function.name) #\(other.sequence)"))
            }
        }
        return findings
    }

    func returnValueFindings() -> [CheckFinding] {
        var findings: [CheckFinding] = []
        for call in calls {
            guard let allowed = FunctionSchema.allowedReturnValues[call.function.id] else { continue }
            let rv = call.returnValue.rawValue
            if rv >= 0x8000_0000 || allowed.contains(rv) { continue }  // CKR_VENDOR_DEFINED and above
            findings.append(CheckFinding(rule: .returnNotAllowed, sequences: [call.sequence],
                message: "\(call.function.name) returned \(call.returnValue), which the specification does not list for it"))
        }
        return findings
    }
}

extension ReturnValue {
    static let argumentsBad = ReturnValue(rawValue: 0x7)
    static let functionNotSupported = ReturnValue(rawValue: 0x54)
    static let bufferTooSmall = ReturnValue(rawValue: 0x150)
    static let notInitialized = ReturnValue(rawValue: 0x190)
    static let alreadyInitialized = ReturnValue(rawValue: 0x191)
}

extension DecodedCall {
    /// When the call returned, in the trace's monotonic nanoseconds.
    var end: UInt64 { startNanoseconds + durationNanoseconds }

    /// The value of the first argument of `kind`, when it is a plain number.
    func number(ofKind kind: ArgumentKind) -> UInt64? {
        for argument in arguments where argument.kind == kind {
            if case .number(let value, _) = argument.value { return value }
        }
        return nil
    }

    /// Every input object handle the call names.
    var objectHandles: [UInt64] {
        arguments.compactMap { argument in
            guard argument.kind == .object, case .number(let value, _) = argument.value, value != 0 else { return nil }
            return value
        }
    }

    /// Object handles the call created or returned (out handles, C_FindObjects results).
    var returnedObjects: [UInt64] {
        guard returnValue.isOK else { return [] }
        var handles: [UInt64] = []
        for argument in arguments {
            switch (argument.kind, argument.value) {
            case (.outHandle, .number(let value, _)) where argument.schema.option != "session":
                handles.append(value)
            case (.outArrayMax, .array(let array)):
                for case .number(let value, _) in array.elements ?? [] { handles.append(value) }
            default:
                break
            }
        }
        return handles
    }
}
