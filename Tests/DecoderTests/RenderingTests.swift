import Foundation
import Testing
@testable import Decoder

@Suite("Text and JSON Lines rendering")
struct RenderingTests {
    /// A log with one call of every function in every sample variant, with a module, on two threads.
    static func everyFunctionLog(functions: [FunctionSchema] = FunctionSchema.table) -> [UInt8] {
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so"), (1, "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so")])
        var time = writer.monotonicOrigin
        for variant in SampleValues.variants {
            var calls: [TestLogWriter.Call] = []
            for function in functions {
                time += 1_000
                let values = function.arguments.map { SampleValues.value(for: $0, variant: variant) }
                calls.append(TestLogWriter.Call(
                    function: function.id, module: UInt8(variant % 2), flags: variant == 2 ? 4 : 0, start: time,
                    returnValue: [0, 0x150, 0x8000_0001][variant], context: variant == 1 ? (1, 2, 0x7f00_1234) : nil,
                    arguments: ValueEncoder.arguments(values, of: function)))
            }
            writer.addCalls(threadID: UInt32(10 + variant), index: 0, baseTime: writer.monotonicOrigin, calls)
        }
        return writer.bytes()
    }

    @Test("the header line: seq, offset, duration, tid, module, function, return value")
    func headerLine() throws {
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        let t0 = writer.monotonicOrigin
        var second = SimpleCalls.close(t0 + 1_234_567 + 100, marker: 7_300)
        second.returnValue = 0xb3
        writer.addCalls(threadID: 4711, index: 0, baseTime: t0, [SimpleCalls.close(t0 + 100, marker: 850), second])
        let (text, count) = try render(writer.bytes(), TextRenderer.init)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(count == 2)
        #expect(lines.contains("#1 +0.000000000s 850ns tid 4711 softhsm2 C_CloseSession = CKR_OK"))
        #expect(lines.contains("#2 +0.001234567s 7.3us tid 4711 softhsm2 C_CloseSession = CKR_SESSION_HANDLE_INVALID"))
        #expect(lines.contains("  hSession = 0x1"))
    }

    @Test("the summary names file, process, command, capture, start and modules")
    func summary() throws {
        var writer = TestLogWriter()
        writer.capture = 1
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")], layout: 0)
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")], layout: 68)
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        let (text, _) = try render(writer.bytes(), TextRenderer.init)
        #expect(text.contains("process:    pkcs11-tool (pid 4242, parent 1)"))
        #expect(text.contains("command:    pkcs11-tool -L"))
        #expect(text.contains("capture:    data"))
        #expect(text.contains("started:    2023-11-14T22:13:20.000000000Z"))
        #expect(text.contains("[0] softhsm2 /usr/lib/softhsm/libsofthsm2.so (preload, dlsym; tables v3.0 (2.40 layout), v3.0 (3.0 layout))"))
    }

    @Test("every function in every variant renders as text")
    func textOfEverything() throws {
        let (text, count) = try render(Self.everyFunctionLog(), TextRenderer.init)
        #expect(count == FunctionSchema.table.count * SampleValues.variants.count)
        #expect(text.contains("[nested]"))
        // A format 1 record with context fields (no writer made them, the format allowed them).
        #expect(text.contains(" job #1 wait #1 from 0x7f001234\n"))
        #expect(text.contains("= CKR_VENDOR_DEFINED+0x1"))
        #expect(text.contains("opensc-pkcs11 C_"))
        #expect(!text.contains("DecodedValue"), "a value fell through to its debug description")
    }

    @Test("every JSON line parses, with the documented keys")
    func jsonLines() throws {
        let (text, count) = try render(Self.everyFunctionLog(), JSONLinesRenderer.init)
        let lines = text.split(separator: "\n")
        #expect(lines.count == count)
        for (index, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "line \(index + 1)")
            for key in ["seq", "time_ns", "wall_time", "duration_ns", "tid", "module", "function", "function_id", "rv", "rv_name", "flags", "args"] {
                #expect(object[key] != nil, "line \(index + 1) lacks \(key)")
            }
            #expect(object["seq"] as? Int == index + 1)
            let function = try #require(FunctionSchema.byID(UInt16(object["function_id"] as? Int ?? 0)))
            let args = try #require(object["args"] as? [String: Any])
            #expect(Set(args.keys) == Set(function.arguments.map(\.name)))
        }
    }

    @Test("JSON values carry names as well as numbers")
    func jsonValues() throws {
        let info = SampleValues.structure("CK_SESSION_INFO")
        let call = try #require(try roundTrip(function("C_GetSessionInfo"), [.number(1, .handle), .structure(info)]))
        var renderer = JSONLinesRenderer(header: try LogHeader(bytes: TestLogWriter().bytes(), fileSize: 4096))
        var output = CapturedText()
        renderer.write(call, to: &output)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.text.utf8)) as? [String: Any])
        let args = try #require(object["args"] as? [String: Any])
        let pInfo = try #require(args["pInfo"] as? [String: Any])
        let state = try #require(pInfo["state"] as? [String: Any])
        #expect(state["value"] as? Int == 1)
        #expect(state["name"] as? String == "CKS_RO_USER_FUNCTIONS")
        #expect(object["wall_time"] as? String == "2023-11-14T22:13:20.000001000Z")
        #expect(object["rv_name"] as? String == "CKR_OK")
        #expect(args["hSession"] as? Int == 1)
    }

    @Test("JSON strings are escaped")
    func jsonEscaping() throws {
        let text = JSONValue.object([("s", .string("a\"b\\c\nd\u{1}é"))]).text
        #expect(text == #"{"s":"a\"b\\c\nd\u0001é"}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] == ["s": "a\"b\\c\nd\u{1}é"])
    }

    @Test("durations, offsets and wall-clock times", arguments: [
        (UInt64(0), "0ns"), (850, "850ns"), (1_000, "1.0us"), (7_300, "7.3us"), (999_949, "999.9us"),
        (999_960, "1.0ms"), (12_400_000, "12.4ms"), (1_234_567_890, "1.235s"), (62_000_000_000, "62.000s"),
    ])
    func durations(nanoseconds: UInt64, expected: String) {
        #expect(TimeFormat.duration(nanoseconds: nanoseconds) == expected)
    }

    @Test("RFC 3339 with nanoseconds")
    func rfc3339() {
        #expect(TimeFormat.rfc3339(nanoseconds: 0) == "1970-01-01T00:00:00.000000000Z")
        #expect(TimeFormat.rfc3339(nanoseconds: 1_700_000_000_123_456_789) == "2023-11-14T22:13:20.123456789Z")
        #expect(TimeFormat.rfc3339(nanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(TimeFormat.rfc3339(nanoseconds: 951_782_400_000_000_000) == "2000-02-29T00:00:00.000000000Z")
        #expect(TimeFormat.offset(nanoseconds: 1_234_567) == "+0.001234567s")
    }

    @Test("out-buffer size queries and attribute edge cases")
    func edgeCases() throws {
        let query = try #require(try roundTrip(function("C_Sign"), [
            .number(1, .handle), .buffer(BufferValue(length: 0)),
            .buffer(BufferValue(hasData: false, hasLengthPointer: true, length: 256)),
        ]))
        #expect(textLines(query) == ["  hSession = 0x1", "  pData = 0 bytes",
                                     "  [out] pSignature = NULL, *pulSignatureLen = 256"])
        let unavailable = TemplateValue(count: 1, attributes: [
            TemplateAttribute(type: SampleValues.ckaValue, value: BufferValue(hasData: false, length: UInt64.max)),
        ])
        let call = try #require(try roundTrip(function("C_GetAttributeValue"),
                                              [.number(1, .handle), .number(2, .handle), .template(unavailable)], returnValue: 0x11))
        #expect(textLines(call).last == "    CKA_VALUE = NULL, ulValueLen = CK_UNAVAILABLE_INFORMATION")
    }
}
