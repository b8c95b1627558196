import Testing
@testable import Decoder

/// Managed mode in the log: per-caller tables and the two managed flags (docs/managed.md).
@Suite("managed mode")
struct ManagedTests {
    private func managedLog() throws -> DecodeResult {
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so"), (1, "/usr/lib/softhsm/libsofthsm2.so"),
                           (2, "/usr/lib/softhsm/libsofthsm2.so")],
                          callers: [1: "/opt/app/libcallerA.so", 2: "/usr/lib/x86_64-linux-gnu/libp11.so.3"])
        var slot = ByteWriter()
        slot.uvarint(0)
        var session = ByteWriter()
        session.uvarint(7)
        let start = writer.monotonicOrigin
        writer.addCalls(threadID: 3, index: 0, baseTime: start, [
            TestLogWriter.Call(function: function("C_CloseAllSessions").id, module: 1, flags: 1 << 4, start: start + 10,
                               arguments: slot.bytes),
            TestLogWriter.Call(function: function("C_CloseSession").id, module: 1, flags: 1 << 2 | 1 << 3, start: start + 20,
                               arguments: session.bytes),
            TestLogWriter.Call(function: function("C_CloseSession").id, module: 2, start: start + 30, arguments: session.bytes),
            TestLogWriter.Call(function: function("C_CloseSession").id, module: 0, start: start + 40, arguments: session.bytes),
        ])
        return try decodeLog(writer.bytes())
    }

    @Test("a managed table is named module@caller; a shared one keeps the module's name")
    func tableNames() throws {
        let result = try managedLog()
        #expect(result.error == nil)
        #expect(result.calls.map(\.moduleName) == ["softhsm2@callerA", "softhsm2@callerA", "softhsm2@p11", "softhsm2"])
    }

    @Test("the absorbed and on-behalf flags decode and render")
    func flags() throws {
        let calls = try managedLog().calls
        #expect(calls[0].flags == [.absorbed])
        #expect(calls[1].flags == [.nested, .onBehalf])
        var renderer = TextRenderer(header: try sampleHeader())
        var text = CapturedText()
        renderer.write(calls[0], to: &text)
        renderer.write(calls[1], to: &text)
        #expect(text.text.contains("C_CloseAllSessions = CKR_OK [managed: absorbed, not passed to the module]"))
        #expect(text.text.contains("C_CloseSession = CKR_OK [nested] [managed: on the caller's behalf]"))
    }

    private func sampleHeader() throws -> LogHeader {
        try TemporaryLog.with(TestLogWriter().bytes()) { path in try LogReader(path: path).header }
    }
}
