/// Which calls of a trace to show: every criterion given must hold (an empty filter keeps
/// every call); within one criterion any listed value will do.
///
/// Filtering never renumbers: a call keeps the sequence number it has in the whole trace,
/// and times count from the trace's first call, shown or not.
public struct CallFilter: Hashable, Sendable {
    /// A module by its index in the log, or by a part of its short name or path.
    public enum ModuleSelector: Hashable, Sendable {
        case index(UInt8)
        case name(String)

        /// `3` selects index 3; anything else is a part of a name or path (`softhsm`).
        public init(parsing text: String) {
            if let index = UInt8(text) { self = .index(index) } else { self = .name(text) }
        }

        func matches(_ call: DecodedCall) -> Bool {
            switch self {
            case .index(let index):
                return call.moduleIndex == index
            case .name(let part):
                return call.moduleName.containsPart(part) || (call.modulePath?.containsPart(part) ?? false)
            }
        }
    }

    /// Function names and globs; empty: every function.
    public var functions: [FunctionPattern] = []
    /// Only calls that did not return `CKR_OK`.
    public var errorsOnly = false
    /// Session handles: calls with a session argument of one of these values, and the
    /// `C_OpenSession` calls that returned one. Empty: any session (or none).
    public var sessions: Set<UInt64> = []
    /// Kernel thread ids; empty: every thread.
    public var threads: Set<UInt32> = []
    /// Modules; empty: every module.
    public var modules: [ModuleSelector] = []
    /// Calls that start at or after this bound.
    public var from: TimeBound?
    /// Calls that start at or before this bound.
    public var to: TimeBound?

    /// Creates a filter that keeps every call; set the criteria to narrow it.
    public init() {}

    /// Whether the filter keeps every call.
    public var keepsEverything: Bool { self == CallFilter() }

    /// Whether `call` passes every criterion.
    ///
    /// - Parameters:
    ///   - call: A call of the trace.
    ///   - firstStart: The start time of the trace's first call (for ``TimeBound/sinceFirstCall(nanoseconds:)``).
    public func matches(_ call: DecodedCall, firstStart: UInt64) -> Bool {
        if errorsOnly, call.returnValue.isOK { return false }
        if !threads.isEmpty, !threads.contains(call.threadID) { return false }
        if !functions.isEmpty, !functions.contains(where: { $0.matches(call.function.name) }) { return false }
        if !modules.isEmpty, !modules.contains(where: { $0.matches(call) }) { return false }
        if !sessions.isEmpty, !Self.sessionHandles(of: call).contains(where: sessions.contains) { return false }
        if let from {
            let (time, bound) = from.compare(call, firstStart: firstStart)
            if time < bound { return false }
        }
        if isPastEnd(call, firstStart: firstStart) { return false }
        return true
    }

    /// Whether `call` starts after ``to``: calls come in start order, so no later call matches.
    public func isPastEnd(_ call: DecodedCall, firstStart: UInt64) -> Bool {
        guard let to else { return false }
        let (time, bound) = to.compare(call, firstStart: firstStart)
        return time > bound
    }

    /// The session handles a call names: its `session` arguments, and the handle a
    /// `C_OpenSession` returned.
    static func sessionHandles(of call: DecodedCall) -> [UInt64] {
        call.arguments.compactMap { argument in
            guard argument.kind == .session || (argument.kind == .outHandle && argument.schema.option == "session"),
                  case .number(let handle, _) = argument.value
            else { return nil }
            return handle
        }
    }
}

extension String {
    /// Whether `part` occurs in the string, byte for byte (no Foundation, no regex engine).
    fileprivate func containsPart(_ part: String) -> Bool {
        let haystack = Array(utf8), needle = Array(part.utf8)
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }
}
