import Testing
@testable import Decoder

@Suite("Call filters")
struct FilterTests {
    @Test("function globs: * and ? anywhere, whole-name matches", arguments: [
        ("C_Sign", "C_Sign", true),
        ("C_Sign", "C_SignInit", false),
        ("C_Sign*", "C_Sign", true),
        ("C_Sign*", "C_SignUpdate", true),
        ("C_Sign*", "C_VerifySignature", false),
        ("C_*Init", "C_DigestInit", true),
        ("C_*Init", "C_Initialize", false),
        ("*Init*", "C_Initialize", true),
        ("C_?ign", "C_Sign", true),
        ("C_?ign", "C_Sig", false),
        ("C_?ign*", "C_SignFinal", true),
        ("*", "C_Login", true),
        ("C_*_*", "C_Login", false),
        ("C_*Key*", "C_GenerateKeyPair", true),
        ("C_**Sign", "C_Sign", true),
        ("", "C_Sign", false),
        ("c_sign", "C_Sign", false),
    ])
    func globs(pattern: String, name: String, matches: Bool) {
        #expect(FunctionPattern(pattern).matches(name) == matches)
    }

    @Test("pattern lists: commas, blanks and empty entries")
    func lists() {
        #expect(FunctionPattern.list(" C_Sign* , C_Login,,").map(\.text) == ["C_Sign*", "C_Login"])
        #expect(FunctionPattern.list("").isEmpty)
        #expect(FunctionPattern("C_Sgn").matchesKnownFunction == false)
        #expect(FunctionPattern("C_?ign*").matchesKnownFunction)
    }

    @Test("time bounds: seconds since the first call, or RFC 3339", arguments: [
        ("2.5", TimeBound.sinceFirstCall(nanoseconds: 2_500_000_000)),
        ("+0.001234567s", .sinceFirstCall(nanoseconds: 1_234_567)),
        ("3", .sinceFirstCall(nanoseconds: 3_000_000_000)),
        ("1970-01-01T00:00:01Z", .wallClock(nanoseconds: 1_000_000_000)),
        ("2025-11-24T10:50:00.123456789Z", .wallClock(nanoseconds: 1_763_981_400_123_456_789)),
        ("2025-11-24T11:50:00.5+01:00", .wallClock(nanoseconds: 1_763_981_400_500_000_000)),
        ("2000-03-01T00:00:00-00:30", .wallClock(nanoseconds: 951_870_600_000_000_000)),
    ])
    func timeBounds(text: String, bound: TimeBound) {
        #expect(TimeBound(parsing: text) == bound)
    }

    @Test("time bounds print back as TimeFormat writes them")
    func roundTrip() {
        for nanoseconds: Int64 in [0, 1, 951_782_400_000_000_000, 1_763_981_400_123_456_789, 4_102_444_799_999_999_999] {
            #expect(TimeBound(parsing: TimeFormat.rfc3339(nanoseconds: nanoseconds)) == .wallClock(nanoseconds: nanoseconds))
        }
    }

    @Test("bad time bounds are refused", arguments: ["", "yesterday", "-1", "1.", ".5", "2025-13-01T00:00:00Z",
                                                      "2025-11-24T10:50:00", "2025-11-24T10:50:00+0100", "2025-11-24"])
    func badTimeBounds(text: String) {
        #expect(TimeBound(parsing: text) == nil)
    }

    @Test("criteria: every one must hold, any value of one will do")
    func criteria() {
        let sign = call(1, "C_Sign", session: 7, rv: 0, tid: 10, start: 1_000)
        let failed = call(2, "C_Sign", session: 8, rv: 0x30, tid: 11, start: 2_000)
        let open = call(3, "C_OpenSession", session: 7, rv: 0, tid: 10, start: 3_000)
        let calls = [sign, failed, open]
        func kept(_ filter: CallFilter) -> [Int] {
            calls.filter { filter.matches($0, firstStart: 1_000) }.map(\.sequence)
        }
        var filter = CallFilter()
        #expect(filter.keepsEverything)
        #expect(kept(filter) == [1, 2, 3])
        filter.sessions = [7]
        #expect(kept(filter) == [1, 3])
        filter.errorsOnly = true
        #expect(kept(filter).isEmpty)
        filter = CallFilter()
        filter.threads = [11]
        #expect(kept(filter) == [2])
        filter = CallFilter()
        filter.functions = [FunctionPattern("C_Open*"), FunctionPattern("C_Sign")]
        #expect(kept(filter) == [1, 2, 3])
        filter.from = .sinceFirstCall(nanoseconds: 1_000)
        filter.to = .sinceFirstCall(nanoseconds: 1_000)
        #expect(kept(filter) == [2])
        #expect(filter.isPastEnd(open, firstStart: 1_000))
        filter = CallFilter()
        filter.modules = [.init(parsing: "soft")]
        #expect(kept(filter) == [1, 2, 3])
        filter.modules = [.init(parsing: "1")]
        #expect(kept(filter).isEmpty)
        filter.modules = [.init(parsing: "0")]
        #expect(kept(filter) == [1, 2, 3])
    }

    /// A call to softhsm2 (module 0) whose session argument (or, for C_OpenSession, output) is `session`.
    private func call(_ sequence: Int, _ name: String, session: UInt64, rv: UInt64, tid: UInt32, start: UInt64) -> DecodedCall {
        let function = FunctionSchema.table.first { $0.name == name }!
        let arguments = function.arguments.map { schema in
            let isSession = schema.kind == .session || (schema.kind == .outHandle && schema.option == "session")
            return DecodedArgument(schema: schema, value: isSession ? .number(session, .handle) : .null)
        }
        return DecodedCall(sequence: sequence, startNanoseconds: start, wallClockNanoseconds: Int64(start),
                           durationNanoseconds: 1, threadID: tid, moduleIndex: 0,
                           modulePath: "/usr/lib/softhsm/libsofthsm2.so", function: function,
                           returnValue: ReturnValue(rawValue: rv), flags: [], context: nil,
                           arguments: arguments, fileOffset: 0)
    }
}
