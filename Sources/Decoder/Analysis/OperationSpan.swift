/// One multi-call PKCS#11 operation on one session: `C_SignInit`, then `C_Sign` (or
/// `C_SignUpdate`… `C_SignFinal`), grouped from a trace by ``OperationSpanGrouper``.
public struct OperationSpan: Hashable, Sendable {
    /// The operations that span several calls.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case encrypt, decrypt, digest, sign, verify, signRecover, verifyRecover
        case messageEncrypt, messageDecrypt, messageSign, messageVerify
        case verifySignature, findObjects

        /// The C name of the call that opens the operation: `C_SignInit`.
        public var initFunction: String {
            switch self {
            case .encrypt: "C_EncryptInit"
            case .decrypt: "C_DecryptInit"
            case .digest: "C_DigestInit"
            case .sign: "C_SignInit"
            case .verify: "C_VerifyInit"
            case .signRecover: "C_SignRecoverInit"
            case .verifyRecover: "C_VerifyRecoverInit"
            case .messageEncrypt: "C_MessageEncryptInit"
            case .messageDecrypt: "C_MessageDecryptInit"
            case .messageSign: "C_MessageSignInit"
            case .messageVerify: "C_MessageVerifyInit"
            case .verifySignature: "C_VerifySignatureInit"
            case .findObjects: "C_FindObjectsInit"
            }
        }
    }

    /// How the operation ended.
    public enum Ending: Hashable, Sendable {
        /// The single-part call or the `Final` ended it with `CKR_OK`.
        case completed
        /// The ending call (single-part, `Update` or `Final`) returned this error, which ends
        /// the operation.
        case failed(ReturnValue)
        /// The session was closed, the library finalized, the operation cancelled
        /// (`C_SessionCancel`) or a new `Init` of the same kind succeeded while it was open.
        case abandoned
        /// The trace (or the filtered part of it) ended while the operation was open.
        case unfinished
    }

    /// What operation this is.
    public var kind: Kind
    /// The module's index in the log.
    public var moduleIndex: UInt8
    /// The session handle.
    public var session: UInt64
    /// The thread of the opening call.
    public var threadID: UInt32
    /// The mechanism the `Init` named, if recorded (`CKM_ECDSA`).
    public var mechanism: UInt64?
    /// The sequence numbers of the operation's calls, in order: the `Init` first.
    public var sequences: [Int]
    /// The start of the `Init`, `CLOCK_MONOTONIC` ns.
    public var startNanoseconds: UInt64
    /// The end of the last call, `CLOCK_MONOTONIC` ns.
    public var endNanoseconds: UInt64
    /// The time spent inside the operation's calls (the sum of their durations), ns.
    public var busyNanoseconds: UInt64
    /// How the operation ended.
    public var ending: Ending

    /// Creates a span.
    public init(kind: Kind, moduleIndex: UInt8, session: UInt64, threadID: UInt32, mechanism: UInt64?,
                sequences: [Int], startNanoseconds: UInt64, endNanoseconds: UInt64, busyNanoseconds: UInt64,
                ending: Ending) {
        self.kind = kind
        self.moduleIndex = moduleIndex
        self.session = session
        self.threadID = threadID
        self.mechanism = mechanism
        self.sequences = sequences
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
        self.busyNanoseconds = busyNanoseconds
        self.ending = ending
    }

    /// A short label: `C_Sign CKM_ECDSA` (the operation's single-part name and its mechanism).
    public var label: String {
        let name = String(kind.initFunction.dropLast(4))
        guard let mechanism else { return name }
        return "\(name) \(NameDomain.mechanism.display(mechanism))"
    }

    /// The wall time from the start of the `Init` to the end of the last call, ns.
    public var elapsedNanoseconds: UInt64 { endNanoseconds &- startNanoseconds }
}
