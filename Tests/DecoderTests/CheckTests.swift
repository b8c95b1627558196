import XCTest
@testable import Decoder

/// `p11trace check` rules over small hand-built traces (calls built as in AnalysisSamples).
final class CheckTests: XCTestCase {
    typealias Call = TestLogWriter.Call
    let ms = AnalysisSamples.ms

    /// Sessions are tracked from C_OpenSession, whose sample out handle is 0x42 (SampleValues).
    /// Decodes one thread's calls (one every millisecond) and checks them.
    func check(_ calls: [(String, UInt64?, UInt64, Bool)]) throws -> [String: [[Int]]] {
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        let base = writer.monotonicOrigin + 1_000
        writer.addCalls(threadID: 100, index: 0, baseTime: base, calls.enumerated().map { i, c in
            AnalysisSamples.call(c.0, session: c.1, at: UInt64(i) * ms, for: ms / 2, rv: c.2, lengthQuery: c.3, base: base)
        })
        var checker = TraceChecker()
        for call in try decodeLog(writer.bytes()).calls { checker.add(call) }
        return Dictionary(grouping: checker.finish(), by: \.rule.id).mapValues { $0.map(\.sequences) }
    }

    /// Format 2 calls on one thread, each in the async job given (0: none).
    func checkJobs(_ calls: [(String, UInt64?, UInt64)]) throws -> [String: [[Int]]] {
        var writer = TestLogWriter()
        writer.version = 2
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        let base = writer.monotonicOrigin + 1_000
        writer.addCalls(threadID: 100, index: 0, baseTime: base, calls.enumerated().map { i, c in
            var call = AnalysisSamples.call(c.0, session: c.1, at: UInt64(i) * ms, for: ms / 2, rv: 0, lengthQuery: false, base: base)
            call.context = (c.2 == 0 ? 0 : 0x1000 * c.2, c.2 == 0 ? 0 : 0x9000 + c.2, 0x5000)
            return call
        })
        var checker = TraceChecker()
        for call in try decodeLog(writer.bytes()).calls { checker.add(call) }
        return Dictionary(grouping: checker.finish(), by: \.rule.id).mapValues { $0.map(\.sequences) }
    }

    /// Job 1 begins a sign operation and pauses; job 2 uses the session: the async form of two
    /// threads on one session. Jobs that finish their operation before the next starts do not.
    func testJobsInterleavedOnOneSession() throws {
        let open: [(String, UInt64?, UInt64)] = [("C_Initialize", nil, 0), ("C_OpenSession", nil, 0)]
        let end: [(String, UInt64?, UInt64)] = [("C_CloseSession", 0x42, 0), ("C_Finalize", nil, 0)]
        let interleaved = try checkJobs(open + [("C_SignInit", 0x42, 1), ("C_DigestInit", 0x42, 2),
                                                ("C_Sign", 0x42, 1), ("C_Digest", 0x42, 2)] + end)
        // Each job meets the other's open operation once: #4 during #3's, #5 during #4's.
        XCTAssertEqual(interleaved["session.concurrent-jobs"], [[3, 4], [4, 5]])
        let outside = try checkJobs(open + [("C_SignInit", 0x42, 1), ("C_GetSessionInfo", 0x42, 0), ("C_Sign", 0x42, 1)] + end)
        XCTAssertEqual(outside["session.concurrent-jobs"], [[3, 4]])
        let sequential = try checkJobs(open + [("C_SignInit", 0x42, 1), ("C_Sign", 0x42, 1),
                                               ("C_SignInit", 0x42, 2), ("C_Sign", 0x42, 2)] + end)
        XCTAssertNil(sequential["session.concurrent-jobs"])
        XCTAssertNil(sequential["operation.already-active"])
    }

    /// The positive control for the tests below: with the same session handle, an Update
    /// without its Init is found, so the "no finding" assertions do look at tracked sessions.
    func testUpdateWithoutInitIsFound() throws {
        let rules = try check([
            ("C_Initialize", nil, 0, false), ("C_OpenSession", nil, 0, false),
            ("C_SignUpdate", 0x42, 0, false), ("C_CloseSession", 0x42, 0, false), ("C_Finalize", nil, 0, false),
        ])
        XCTAssertEqual(rules["operation.not-initialized"], [[3]])
    }

    func testBufferTooSmallAndLengthQueryKeepTheOperation() throws {
        let rules = try check([
            ("C_Initialize", nil, 0, false), ("C_OpenSession", nil, 0, false), ("C_SignInit", 0x42, 0, false),
            ("C_Sign", 0x42, 0, true),               // length query
            ("C_Sign", 0x42, 0x150, false),          // CKR_BUFFER_TOO_SMALL
            ("C_Sign", 0x42, 0, false), ("C_Finalize", nil, 0, false),
        ])
        XCTAssertNil(rules["operation.not-initialized"])
        XCTAssertNil(rules["operation.already-active"])
    }

    func testFunctionNotSupportedLeavesTheOperations() throws {
        // SoftHSM answers the dual functions with CKR_FUNCTION_NOT_SUPPORTED: nothing ends.
        let rules = try check([
            ("C_Initialize", nil, 0, false), ("C_OpenSession", nil, 0, false), ("C_DigestInit", 0x42, 0, false), ("C_EncryptInit", 0x42, 0, false),
            ("C_DigestEncryptUpdate", 0x42, 0x54, false),
            ("C_DigestFinal", 0x42, 0, false), ("C_EncryptFinal", 0x42, 0, false), ("C_Finalize", nil, 0, false),
        ])
        XCTAssertNil(rules["operation.not-initialized"])
    }

    func testVerifyEndsOnSignatureInvalid() throws {
        let rules = try check([
            ("C_Initialize", nil, 0, false), ("C_OpenSession", nil, 0, false), ("C_VerifyInit", 0x42, 0, false),
            ("C_Verify", 0x42, 0xC0, false),          // CKR_SIGNATURE_INVALID
            ("C_VerifyInit", 0x42, 0, false), ("C_Verify", 0x42, 0, false), ("C_Finalize", nil, 0, false),
        ])
        XCTAssertNil(rules["operation.already-active"])
    }

    func testLifecycle() throws {
        let rules = try check([
            ("C_GetInfo", nil, 0x190, false), ("C_Initialize", nil, 0, false),
            ("C_Initialize", nil, 0x191, false),  // CKR_CRYPTOKI_ALREADY_INITIALIZED: shared, a warning
        ])
        XCTAssertEqual(rules["lifecycle.not-initialized"], [[1]])
        XCTAssertEqual(rules["lifecycle.already-initialized"], [[2, 3]])
        XCTAssertNil(rules["lifecycle.double-initialize"])
        XCTAssertEqual(rules["lifecycle.no-finalize"], [[2]])
    }

    func testReturnValueNotAllowed() throws {
        let rules = try check([
            ("C_Initialize", nil, 0, false), ("C_GetSessionInfo", 0x10, 0xA0, false),  // CKR_PIN_INCORRECT
            ("C_GetSessionInfo", 0x10, 0x8000_0001, false),                           // vendor-defined: accepted
            ("C_Finalize", nil, 0, false),
        ])
        XCTAssertEqual(rules["returns.not-allowed"], [[2]])
    }

    /// The 3.x functions have the 3.2 text's lists, with the table's corrections.
    func testReturnValuesOfThreeXFunctions() throws {
        let rules = try check([
            ("C_Initialize", nil, 0, false),
            ("C_MessageEncryptInit", 0x10, 0x7, false),     // CKR_ARGUMENTS_BAD: added by a correction
            ("C_MessageEncryptInit", 0x10, 0x21, false),    // CKR_DATA_LEN_RANGE: not an Init's code
            ("C_LoginUser", 0x10, 0x105, false),            // CKR_USER_TOO_MANY_TYPES: its own list
            ("C_EncapsulateKey", 0x10, 0x150, false),       // CKR_BUFFER_TOO_SMALL: added by a correction
            ("C_VerifySignature", 0x10, 0xC0, false),       // CKR_SIGNATURE_INVALID: its own list
            ("C_VerifySignature", 0x10, 0x101, false),      // CKR_USER_NOT_LOGGED_IN: not in its list
            ("C_DecryptMessage", 0x10, 0x42, false),        // CKR_AEAD_DECRYPT_FAILED: its own list
            ("C_EncryptMessage", 0x10, 0x42, false),        // ... but not encryption's
            ("C_Finalize", nil, 0, false),
        ])
        XCTAssertEqual(rules["returns.not-allowed"], [[3], [7], [9]])
        XCTAssertEqual(FunctionSchema.returnValuesUnknown, ["C_AsyncComplete"])
    }

    func testReturnPriority() throws {
        let rules = try check([
            ("C_GetInfo", nil, 0x7, false),                     // CKR_ARGUMENTS_BAD before C_Initialize
            ("C_Initialize", nil, 0, false), ("C_OpenSession", nil, 0, false), ("C_CloseSession", 0x42, 0, false),
            ("C_GetSessionInfo", 0x42, 0xB0, false),            // CKR_SESSION_CLOSED on a closed session
            ("C_GetSessionInfo", 0x42, 0xB3, false),            // CKR_SESSION_HANDLE_INVALID: right
            ("C_GetSessionInfo", 0x42, 0x5, false),             // CKR_GENERAL_ERROR outranks it
            ("C_Finalize", nil, 0, false),
            ("C_GetInfo", nil, 0x190, false),                   // CKR_CRYPTOKI_NOT_INITIALIZED: right
        ])
        XCTAssertEqual(rules["returns.priority"], [[1], [4, 5]])
    }

    func testReportJSONAndExitSeverity() throws {
        let finding = CheckFinding(rule: .findNotFinal, sequences: [3], message: "m")
        let report = CheckReport(findings: [finding], functionsSeen: [])
        XCTAssertFalse(report.hasErrors)
        XCTAssertTrue(report.json().contains(#""id":"operation.find-not-finalized""#))
    }
}
