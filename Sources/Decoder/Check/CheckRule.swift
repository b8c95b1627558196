/// One rule of `p11trace check`: what it detects, how bad it is, whose fault it is and the
/// PKCS#11 text it rests on. Every rule is in ``catalogue``; docs/check.md lists them.
public struct CheckRule: Hashable, Sendable {
    /// How much a finding matters. Error findings make `p11trace check` exit with status 1.
    public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
        case error, warning, advice

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// Which side of the PKCS#11 interface broke the rule.
    public enum Fault: String, Hashable, Sendable {
        case application, module
    }

    /// The stable id, for example `"lifecycle.before-initialize"`.
    public var id: String
    public var severity: Severity
    public var fault: Fault
    /// The specification section the rule rests on.
    public var section: String
    /// One sentence: what the rule detects.
    public var summary: String
}

extension CheckRule {
    static let beforeInitialize = CheckRule(
        id: "lifecycle.not-initialized", severity: .error, fault: .application,
        section: "pkcs11-base 5.4 C_Initialize, C_Finalize",
        summary: "A call other than C_GetFunctionList/C_GetInterface* before a successful C_Initialize or after C_Finalize.")
    static let doubleInitialize = CheckRule(
        id: "lifecycle.double-initialize", severity: .error, fault: .application,
        section: "pkcs11-base 5.4 C_Initialize",
        summary: "C_Initialize while the module is already initialised, answered with anything but CKR_CRYPTOKI_ALREADY_INITIALIZED.")
    static let alreadyInitialized = CheckRule(
        id: "lifecycle.already-initialized", severity: .warning, fault: .application,
        section: "pkcs11-base 5.4 C_Initialize",
        summary: "C_Initialize answered CKR_CRYPTOKI_ALREADY_INITIALIZED: a second initialiser in the process (legitimate for libraries sharing a module), whose C_Finalize ends the module for both.")
    static let finalizeReserved = CheckRule(
        id: "lifecycle.finalize-reserved", severity: .error, fault: .module,
        section: "pkcs11-base 5.4 C_Finalize",
        summary: "C_Finalize with a non-NULL pReserved that the module did not answer with CKR_ARGUMENTS_BAD.")
    static let finalizeConcurrent = CheckRule(
        id: "lifecycle.finalize-concurrent", severity: .error, fault: .application,
        section: "pkcs11-base 5.4 C_Finalize",
        summary: "C_Finalize while another thread is inside a call (other than C_WaitForSlotEvent).")
    static let waitNotUnblocked = CheckRule(
        id: "lifecycle.wait-after-finalize", severity: .error, fault: .module,
        section: "pkcs11-base 5.4 C_Finalize, 5.5 C_WaitForSlotEvent",
        summary: "A C_WaitForSlotEvent blocked across C_Finalize that did not return CKR_CRYPTOKI_NOT_INITIALIZED.")
    static let noFinalize = CheckRule(
        id: "lifecycle.no-finalize", severity: .warning, fault: .application,
        section: "pkcs11-base 5.4 C_Initialize",
        summary: "The module was still initialised when the trace ended: no C_Finalize.")
    static let returnNotAllowed = CheckRule(
        id: "returns.not-allowed", severity: .error, fault: .module,
        section: "pkcs11-base 5.1 and each function's Return values",
        summary: "A return code that the specification does not allow for the function.")
    static let returnPriority = CheckRule(
        id: "returns.priority", severity: .error, fault: .module,
        section: "pkcs11-base 5.1 (10.1.1-10.1.3 relative priorities), 5.4 C_Initialize",
        summary: "Where two codes apply and the trace shows which: a call on a session the trace closed not answered CKR_SESSION_HANDLE_INVALID, or a call on a module not initialised not answered CKR_CRYPTOKI_NOT_INITIALIZED (universal error codes accepted).")
    static let sessionConcurrent = CheckRule(
        id: "session.concurrent", severity: .error, fault: .application,
        section: "pkcs11-base 5.6 (sessions and threads)",
        summary: "Two threads inside calls on the same session at the same time.")
    static let sessionConcurrentJobs = CheckRule(
        id: "session.concurrent-jobs", severity: .error, fault: .application,
        section: "pkcs11-base 5.6 (sessions and threads); OpenSSL ASYNC_start_job",
        summary: "The async form of session.concurrent: an OpenSSL async job began an operation on a session and paused, and another job (or code outside the job) used the session before the operation ended.")
    static let sessionClosed = CheckRule(
        id: "session.use-after-close", severity: .error, fault: .application,
        section: "pkcs11-base 5.6 C_CloseSession, C_CloseAllSessions",
        summary: "A session handle used after C_CloseSession, or after C_CloseAllSessions on its slot.")
    static let objectDestroyed = CheckRule(
        id: "object.use-after-destroy", severity: .error, fault: .application,
        section: "pkcs11-base 5.7 C_DestroyObject",
        summary: "An object handle used after C_DestroyObject destroyed it.")
    static let operationNotInitialized = CheckRule(
        id: "operation.not-initialized", severity: .error, fault: .application,
        section: "pkcs11-base 5.8-5.13 (Init, Update, Final)",
        summary: "An Update, Final or single-part call without an active operation begun by the matching Init.")
    static let operationActive = CheckRule(
        id: "operation.already-active", severity: .error, fault: .application,
        section: "pkcs11-base 5.8-5.13 (Init)",
        summary: "An Init while an operation of the same kind is active in the session.")
    static let findNotFinal = CheckRule(
        id: "operation.find-not-finalized", severity: .warning, fault: .application,
        section: "pkcs11-base 5.7 C_FindObjectsFinal",
        summary: "A C_FindObjectsInit never ended by C_FindObjectsFinal.")
    static let lengthQueryRepeated = CheckRule(
        id: "buffer.repeated-length-query", severity: .warning, fault: .application,
        section: "pkcs11-base 5.2 (conventions for functions returning output)",
        summary: "The same function asked for an output length (NULL buffer) again right after it was told.")
    static let bufferSmallerThanReported = CheckRule(
        id: "buffer.smaller-than-reported", severity: .warning, fault: .application,
        section: "pkcs11-base 5.2 (conventions for functions returning output)",
        summary: "A buffer smaller than the length the module just reported for the same call.")
    static let tooSmallWithoutLength = CheckRule(
        id: "buffer.too-small-without-length", severity: .error, fault: .module,
        section: "pkcs11-base 5.2 (conventions for functions returning output)",
        summary: "CKR_BUFFER_TOO_SMALL without setting the length to the size needed.")
    static let okBeyondCapacity = CheckRule(
        id: "buffer.ok-beyond-capacity", severity: .error, fault: .module,
        section: "pkcs11-base 5.2 (conventions for functions returning output)",
        summary: "CKR_OK with an output length larger than the buffer the application passed.")
    static let sessionNotClosed = CheckRule(
        id: "hygiene.session-not-closed", severity: .warning, fault: .application,
        section: "pkcs11-base 5.6 C_CloseSession",
        summary: "A session still open at C_Finalize or at the end of the trace.")
    static let loginUnbalanced = CheckRule(
        id: "hygiene.login-unbalanced", severity: .warning, fault: .application,
        section: "pkcs11-base 5.6 C_Login, C_Logout",
        summary: "A C_Login never matched by C_Logout (or closing all sessions) before the end.")
    static let objectNotDestroyed = CheckRule(
        id: "hygiene.session-object-not-destroyed", severity: .warning, fault: .application,
        section: "pkcs11-base 4.4 (session objects), 5.7 C_DestroyObject",
        summary: "A session object (CKA_TOKEN false or absent) neither destroyed nor closed with its session by the time of C_Finalize.")
    static let unmanagedSharing = CheckRule(
        id: "sharing.unmanaged", severity: .warning, fault: .application,
        section: "pkcs11-base 5.4 C_Initialize, C_Finalize; 5.6 C_CloseAllSessions",
        summary: "Two users initialised one module and one of them then closed all sessions or finalised while sessions were open: the other user's sessions went with them. Managed mode (record --managed) shares the module safely.")
    static let sessionPerOperation = CheckRule(
        id: "advice.session-per-operation", severity: .advice, fault: .application,
        section: "pkcs11-ug (sessions)",
        summary: "A session opened and closed around each single operation.")
    static let findOneByOne = CheckRule(
        id: "advice.find-one-at-a-time", severity: .advice, fault: .application,
        section: "pkcs11-base 5.7 C_FindObjects",
        summary: "C_FindObjects fetching one handle per call, several calls in a row.")
    static let repeatedGetAttribute = CheckRule(
        id: "advice.repeated-get-attribute", severity: .advice, fault: .application,
        section: "pkcs11-base 5.7 C_GetAttributeValue",
        summary: "Identical C_GetAttributeValue calls repeated.")
    static let loginPerOperation = CheckRule(
        id: "advice.login-per-operation", severity: .advice, fault: .application,
        section: "pkcs11-base 5.6 C_Login",
        summary: "A C_Login for each operation.")

    /// Every rule, in report order.
    public static let catalogue: [CheckRule] = [
        beforeInitialize, doubleInitialize, alreadyInitialized, finalizeReserved, finalizeConcurrent, waitNotUnblocked, noFinalize,
        returnNotAllowed, returnPriority, sessionConcurrent, sessionConcurrentJobs, sessionClosed, objectDestroyed, operationNotInitialized,
        operationActive, findNotFinal, lengthQueryRepeated, bufferSmallerThanReported, tooSmallWithoutLength,
        okBeyondCapacity, sessionNotClosed, objectNotDestroyed, loginUnbalanced, unmanagedSharing, sessionPerOperation, findOneByOne,
        repeatedGetAttribute, loginPerOperation,
    ]
}
