import Testing
@testable import Decoder

@Suite("Round trips of every kind")
struct RoundTripTests {
    @Test("every function and kind decodes what was encoded", arguments: FunctionSchema.table.map(\.name))
    func everyFunction(_ name: String) throws {
        let function = function(name)
        for variant in SampleValues.variants {
            let values = function.arguments.map { SampleValues.value(for: $0, variant: variant) }
            let call = try #require(try roundTrip(function, values))
            #expect(call.function == function)
            #expect(call.arguments.map(\.value) == values, "variant \(variant)")
            #expect(call.arguments.map(\.schema) == function.arguments)
        }
    }

    @Test("the table holds ids 1, 2, 3... in order and uses known kinds only")
    func tableOrder() {
        #expect(FunctionSchema.table.map(\.id) == Array(1...UInt16(FunctionSchema.table.count)))
        #expect(FunctionSchema.byID(44)?.name == "C_Sign")
        #expect(FunctionSchema.byID(999) == nil)
        let used = Set(FunctionSchema.table.flatMap { $0.arguments.map(\.kind) })
        #expect(used.isSubset(of: Set(ArgumentKind.allCases)))
        #expect(used.count >= ArgumentKind.allCases.count - 1)
    }

    @Test("C_GetSessionInfo with CK_SESSION_INFO")
    func sessionInfo() throws {
        let info = StructureValue(typeName: "CK_SESSION_INFO", fields: [
            .init(name: "slotID", value: .number(1, .slot)),
            .init(name: "state", value: .number(3, .sessionState)),
            .init(name: "flags", value: .flags(6, .session)),
            .init(name: "ulDeviceError", value: .number(0, .plain)),
        ])
        let call = try #require(try roundTrip(function("C_GetSessionInfo"), [.number(1, .handle), .structure(info)]))
        #expect(call.moduleName == "softhsm2")
        #expect(call.modulePath == "/usr/lib/softhsm/libsofthsm2.so")
        #expect(textLines(call) == [
            "  hSession = 0x1",
            "  [out] *pInfo = { slotID = 1, state = CKS_RW_USER_FUNCTIONS, flags = CKF_RW_SESSION|CKF_SERIAL_SESSION, ulDeviceError = 0 }",
        ])
    }

    @Test("C_Sign with an uncaptured input and a 256-byte signature")
    func sign() throws {
        let signature = (0..<256).map { UInt8($0 & 0xff) }
        let call = try #require(try roundTrip(function("C_Sign"), [
            .number(1, .handle),
            .buffer(BufferValue(length: 64)),
            .buffer(BufferValue(hasLengthPointer: true, capacity: 512, length: 256, content: signature)),
        ]))
        let lines = textLines(call)
        #expect(lines[0] == "  hSession = 0x1")
        #expect(lines[1] == "  pData = 64 bytes (not captured)")
        #expect(lines[2] == "  [out] pSignature: 256 bytes (buffer 512 bytes) =")
        #expect(lines[3] == "      0000  000102030405060708090a0b0c0d0e0f")
        #expect(lines.count == 3 + 16)
    }

    @Test("C_GetAttributeValue with a nested CKA_WRAP_TEMPLATE")
    func attributeTemplate() throws {
        let call = try #require(try roundTrip(function("C_GetAttributeValue"),
                                              [.number(1, .handle), .number(2, .handle), .template(SampleValues.template)]))
        guard case .template(let template) = call.arguments[2].value else { Issue.record("not a template"); return }
        #expect(template.attributes[3].nested?.attributes.count == 2)
        #expect(textLines(call) == [
            "  hSession = 0x1",
            "  hObject = 0x2",
            "  [out] pTemplate: 5 attributes",
            "    CKA_CLASS = CKO_PRIVATE_KEY",
            "    CKA_LABEL = \"my key\"",
            "    CKA_TOKEN = CK_TRUE",
            "    CKA_WRAP_TEMPLATE: 2 attributes",
            "      CKA_KEY_TYPE = CKK_AES",
            "      CKA_TOKEN = CK_FALSE",
            "    CKA_VALUE = 256 bytes (not captured)",
        ])
    }

    @Test("C_EncryptInit with raw mechanism parameters")
    func encryptInit() throws {
        let mechanism = MechanismValue(type: 0x1085, parameterLength: 16, form: .raw, parameter: Array(0..<16))
        let call = try #require(try roundTrip(function("C_EncryptInit"),
                                              [.number(1, .handle), .mechanism(mechanism), .number(5, .handle)]))
        #expect(textLines(call) == [
            "  hSession = 0x1",
            "  pMechanism = CKM_AES_CBC_PAD, iv 16 bytes = 000102030405060708090a0b0c0d0e0f",
            "  hKey = 0x5",
        ])
    }

    @Test("C_Initialize with init args")
    func initialize() throws {
        let args = InitArgsValue(flags: 2)
        let call = try #require(try roundTrip(function("C_Initialize"), [.initArgs(args)]))
        #expect(textLines(call) == [
            "  pInitArgs = { flags = CKF_OS_LOCKING_OK, CreateMutex = NULL, DestroyMutex = NULL, LockMutex = NULL, UnlockMutex = NULL, pReserved = NULL }",
        ])
    }

    @Test("C_GetInterface with name, version and interface")
    func getInterface() throws {
        let call = try #require(try roundTrip(function("C_GetInterface"), [
            .buffer(BufferValue(length: 7, content: Array("PKCS 11".utf8))),
            .version(Version(major: 3, minor: 0)),
            .interface(InterfaceValue(name: "PKCS 11", version: Version(major: 3, minor: 0), flags: 1)),
            .flags(1, .interface),
        ]))
        #expect(textLines(call) == [
            "  pInterfaceName = \"PKCS 11\"",
            "  pVersion = 3.0",
            "  [out] *ppInterface = { \"PKCS 11\" 3.0, flags = CKF_INTERFACE_FORK_SAFE }",
            "  flags = CKF_INTERFACE_FORK_SAFE",
        ])
    }

    @Test("a secret kept at capture level secrets is marked")
    func secret() throws {
        let call = try #require(try roundTrip(function("C_Login"), [
            .number(1, .handle), .number(1, .userType), .buffer(BufferValue(length: 4, content: Array("1234".utf8), isSecret: true)),
        ]))
        #expect(textLines(call) == ["  hSession = 0x1", "  userType = CKU_USER", "  pPin: 4 bytes [SECRET] = 31323334"])
    }

    @Test("a record with the truncated flag keeps what parses")
    func truncatedArguments() throws {
        var writer = TestLogWriter()
        var arguments = ByteWriter()
        arguments.uvarint(1)
        writer.addCalls(threadID: 1, index: 0, baseTime: writer.monotonicOrigin, [
            TestLogWriter.Call(function: function("C_Sign").id, flags: 2, start: writer.monotonicOrigin + 5, arguments: arguments.bytes),
        ])
        let result = try decodeLog(writer.bytes())
        #expect(result.error == nil)
        #expect(result.calls.first?.arguments.map(\.value) == [.number(1, .handle), .notRecorded, .notRecorded])
        #expect(result.calls.first?.flags.contains(.truncated) == true)
    }
}
