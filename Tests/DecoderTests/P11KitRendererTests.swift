import Testing
@testable import Decoder

@Suite("p11-kit log-calls rendering")
struct P11KitRendererTests {
    private static func function(_ name: String) -> FunctionSchema {
        FunctionSchema.table.first { $0.name == name }!
    }

    private static func render(_ calls: [(String, [DecodedValue], UInt64)]) throws -> String {
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        var time = writer.monotonicOrigin
        let records = calls.map { name, values, returnValue in
            time += 1_000
            let schema = function(name)
            return TestLogWriter.Call(function: schema.id, start: time, returnValue: returnValue,
                                      arguments: ValueEncoder.arguments(values, of: schema))
        }
        writer.addCalls(threadID: 7, index: 0, baseTime: writer.monotonicOrigin, records)
        let reader = try TemporaryLog.with(writer.bytes()) { try LogReader(path: $0) }
        var renderer = P11KitRenderer(header: reader.header)
        var output = CapturedText()
        try reader.render(with: &renderer, to: &output)
        return output.text
    }

    private static func attribute(_ type: UInt64, _ content: [UInt8]?, length: UInt64? = nil, hasData: Bool = true) -> TemplateAttribute {
        TemplateAttribute(type: type, value: BufferValue(hasData: hasData, length: length ?? UInt64(content?.count ?? 0), content: content))
    }

    @Test("a session, a login, a search and a failed attribute read, golden")
    func golden() throws {
        let eight: (UInt64) -> [UInt8] = { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let text = try Self.render([
            ("C_GetFunctionList", [.functionList(version: Version(major: 3, minor: 0))], 0),
            ("C_GetSlotList", [.bool(0), .array(ArrayValue(capacity: 48, count: 2, elements: [.number(5, .slot), .number(1, .slot)]))], 0),
            ("C_OpenSession", [.number(5, .slot), .flags(6, .session), .pointer(isNull: true), .pointer(isNull: true), .number(1, .handle)], 0),
            ("C_Login", [.number(1, .handle), .number(1, .userType), .buffer(BufferValue(length: 4))], 0),
            ("C_FindObjectsInit", [.number(1, .handle), .template(TemplateValue(count: 3, attributes: [
                Self.attribute(0x0, eight(3)), Self.attribute(0x102, [0xab, 0x0a]), Self.attribute(0x11, nil, length: 256),
            ]))], 0),
            ("C_GetAttributeValue", [.number(1, .handle), .number(2, .handle), .template(TemplateValue(count: 2, attributes: [
                Self.attribute(0x3, Array("k1".utf8)), Self.attribute(0xCF53_4301, nil, length: UInt64.max),
            ]))], 0x12),
            ("C_GetAttributeValue", [.number(1, .handle), .number(2, .handle), .template(TemplateValue(count: 1, attributes: [
                Self.attribute(0x120, nil, length: 67, hasData: false),
            ]))], 0),
            ("C_Sign", [.number(1, .handle), .buffer(BufferValue(length: 5, content: Array("data\n".utf8))),
                        .buffer(BufferValue(hasData: false, hasLengthPointer: true, capacity: 0, length: 256))], 0x150),
        ])
        #expect(text == """
            C_GetSlotList
              IN: tokenPresent = CK_FALSE
              IN: pulCount = 0x???????? = 48
             OUT: pSlotList = (2) [ SL5, SL1 ]
            C_GetSlotList = CKR_OK
            C_OpenSession
              IN: slotID = SL5
              IN: flags = 6 = CKF_SERIAL_SESSION | CKF_RW_SESSION
              IN: pApplication = NULL
              IN: Notify = NULL
             OUT: phSession = 0x???????? = S1
            C_OpenSession = CKR_OK
            C_Login
              IN: hSession = S1
              IN: userType = CKU_USER
              IN: pPin = (4) NOT-PRINTED
            C_Login = CKR_OK
            C_FindObjectsInit
              IN: hSession = S1
              IN: pTemplate = (3) [ { CKA_CLASS = CKO_PRIVATE_KEY }, { CKA_ID = (2) "\\xab\\n" }, { CKA_VALUE = (256) NOT-PRINTED } ]
            C_FindObjectsInit = CKR_OK
            C_GetAttributeValue
              IN: hSession = S1
              IN: hObject = H2
              IN: pTemplate = (2) [ CKA_LABEL, CKA_0xCF534301 ]
             OUT: pTemplate = (2) [ { CKA_LABEL = (2) "k1" }, { CKA_0xCF534301 = (-1) INVALID } ]
            C_GetAttributeValue = CKR_ATTRIBUTE_TYPE_INVALID
            C_GetAttributeValue
              IN: hSession = S1
              IN: hObject = H2
              IN: pTemplate = (1) [ CKA_MODULUS ]
             OUT: pTemplate = (1) [ { CKA_MODULUS = (67) NULL } ]
            C_GetAttributeValue = CKR_OK
            C_Sign
              IN: hSession = S1
              IN: pData = (5) "data\\n"
             OUT: pSignature = (256) NOTHING
            C_Sign = CKR_BUFFER_TOO_SMALL

            """)
    }

    @Test("C_GetTokenInfo: every field under its own label, once")
    func tokenInfo() {
        func text(_ string: String, _ width: Int) -> DecodedValue {
            .characters(Array(string.utf8) + Array(repeating: 0x20, count: width - string.utf8.count))
        }
        let numbers: [(String, UInt64)] = [
            ("ulMaxSessionCount", 0), ("ulSessionCount", UInt64.max), ("ulMaxRwSessionCount", 10), ("ulRwSessionCount", 1),
            ("ulMaxPinLen", 255), ("ulMinPinLen", 4), ("ulTotalPublicMemory", 1000), ("ulFreePublicMemory", 900),
            ("ulTotalPrivateMemory", UInt64.max), ("ulFreePrivateMemory", 0),
        ]
        let fields = [("label", text("t", 32)), ("manufacturerID", text("SoftHSM project", 32)), ("model", text("SoftHSM v2", 16)),
                      ("serialNumber", text("0cc7", 16)), ("flags", DecodedValue.flags(0x40D, .token))]
            + numbers.map { ($0.0, DecodedValue.number($0.1, .plain)) }
            + [("hardwareVersion", .version(Version(major: 2, minor: 6))), ("firmwareVersion", .version(Version(major: 2, minor: 6))),
               ("utcTime", text("2025112410500000", 16))]
        let info = StructureValue(typeName: "CK_TOKEN_INFO", fields: fields.map { StructureValue.Field(name: $0.0, value: $0.1) })
        let renderer = P11KitRenderer(ulongSize: 8)
        #expect(renderer.structure(info) == """
            {
            \tlabel: "t"
            \tmanufacturerID: "SoftHSM project"
            \tmodel: "SoftHSM v2"
            \tserialNumber: "0cc7"
            \tflags: 1037 = CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED
            \tulMaxSessionCount: CK_EFFECTIVELY_INFINITE
            \tulSessionCount: CK_UNAVAILABLE_INFORMATION
            \tulMaxRwSessionCount: 10
            \tulRwSessionCount: 1
            \tulMaxPinLen: 255
            \tulMinPinLen: 4
            \tulTotalPublicMemory: 1000
            \tulFreePublicMemory: 900
            \tulTotalPrivateMemory: CK_UNAVAILABLE_INFORMATION
            \tulFreePrivateMemory: 0
            \thardwareVersion: 2.6
            \tfirmwareVersion: 2.6
            \tutcTime: 
                  }
            """)
    }

    @Test("byte strings are cut where p11-kit cuts them")
    func someBytes() {
        let long = P11KitRenderer.someBytes([UInt8](repeating: 0xff, count: 40))
        #expect(long == "\"" + String(repeating: "\\xFF", count: 30).dropLast(1) + "...\"")
        #expect(P11KitRenderer.someBytes(Array("a\tb".utf8)) == "\"a\\tb\"")
        #expect(P11KitRenderer.attributeBytes([0xab], length: 1) == "\"\\xab\"")
    }
}
