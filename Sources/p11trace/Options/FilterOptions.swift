import ArgumentParser
import Decoder

/// The call filter shared by every command that reads a trace (`decode`, ...).
///
/// Every option given must hold; a list (comma-separated or the option repeated) matches any
/// of its values. Shown calls keep their numbers and times from the whole trace.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("functions"), parsing: .singleValue,
            help: ArgumentHelp("Only these functions: names and globs (* and ?), comma-separated.", valueName: "names"))
    var functions: [String] = []

    @Flag(help: "Only calls that did not return CKR_OK.")
    var errors = false

    @Option(name: .customLong("session"), parsing: .singleValue,
            help: ArgumentHelp("Only calls on these session handles (and the C_OpenSession that returned them).",
                               valueName: "handle"))
    var sessions: [String] = []

    @Option(name: .customLong("thread"), parsing: .singleValue,
            help: ArgumentHelp("Only calls of these threads (kernel tids).", valueName: "tid"))
    var threads: [String] = []

    @Option(name: .customLong("module"), parsing: .singleValue,
            help: ArgumentHelp("Only calls to these modules: an index, or part of a name or path.", valueName: "module"))
    var modules: [String] = []

    @Option(help: ArgumentHelp("Only calls that start at or after this time: seconds since the first call (2.5) or RFC 3339.",
                               valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only calls that start at or before this time: seconds since the first call or RFC 3339.",
                               valueName: "time"))
    var to: String?

    /// The filter the options describe.
    var callFilter: CallFilter {
        get throws {
            var filter = CallFilter()
            filter.functions = functions.flatMap(FunctionPattern.list)
            if let unknown = filter.functions.first(where: { !$0.matchesKnownFunction }) {
                throw ValidationError("--functions: '\(unknown)' matches no PKCS#11 function.")
            }
            filter.errorsOnly = errors
            filter.sessions = Set(try values(sessions, option: "--session", as: UInt64.self))
            filter.threads = Set(try values(threads, option: "--thread", as: UInt32.self))
            filter.modules = list(modules).map(CallFilter.ModuleSelector.init(parsing:))
            filter.from = try bound(from, option: "--from")
            filter.to = try bound(to, option: "--to")
            return filter
        }
    }

    func validate() throws {
        _ = try callFilter
    }

    private func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
    }

    /// Decimal or `0x` hexadecimal numbers.
    private func values<T: FixedWidthInteger>(_ texts: [String], option: String, as type: T.Type) throws -> [T] {
        try list(texts).map { text in
            let value = text.hasPrefix("0x") || text.hasPrefix("0X") ? T(text.dropFirst(2), radix: 16) : T(text)
            guard let value else { throw ValidationError("\(option): '\(text)' is not a number.") }
            return value
        }
    }

    private func bound(_ text: String?, option: String) throws -> TimeBound? {
        guard let text else { return nil }
        guard let bound = TimeBound(parsing: text) else {
            throw ValidationError("\(option): '\(text)' is neither seconds since the first call (2.5) nor an RFC 3339 time.")
        }
        return bound
    }
}
