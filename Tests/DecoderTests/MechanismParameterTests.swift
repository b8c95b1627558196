import Testing
@testable import Decoder

/// Mechanism parameters recorded field by field (parameter form 2, spec/mechanisms.json).
@Suite("Mechanism parameter structures")
struct MechanismParameterTests {
    private static let gcm = StructureValue(typeName: "CK_GCM_PARAMS", fields: [
        .init(name: "pIv", value: .buffer(BufferValue(length: 12, content: Array(0..<12)))),
        .init(name: "ulIvBits", value: .number(96, .plain)),
        .init(name: "pAAD", value: .buffer(BufferValue(length: 20))),
        .init(name: "ulTagBits", value: .number(128, .plain)),
    ])

    /// One C_EncryptInit record whose mechanism parameter is `form` + `payload` as given.
    private func encryptInit(type: UInt64, length: UInt64, form: UInt8, payload: [UInt8]) throws -> DecodeResult {
        var arguments = ByteWriter()
        arguments.uvarint(1)
        arguments.u8(2)
        arguments.uvarint(type)
        arguments.uvarint(length)
        arguments.u8(form)
        arguments.prefixed(payload)
        arguments.uvarint(5)
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        writer.addCalls(threadID: 7, index: 0, baseTime: writer.monotonicOrigin + 10, [
            TestLogWriter.Call(function: function("C_EncryptInit").id, start: writer.monotonicOrigin + 1_000,
                               arguments: arguments.bytes),
        ])
        return try decodeLog(writer.bytes())
    }

    @Test("a structured parameter round-trips and renders with named values")
    func structured() throws {
        let mechanism = MechanismValue(type: 0x1087, parameterLength: 48, form: .structured, structure: Self.gcm)
        let call = try #require(try roundTrip(function("C_EncryptInit"),
                                              [.number(1, .handle), .mechanism(mechanism), .number(5, .handle)]))
        #expect(call.arguments[1].value == .mechanism(mechanism))
        #expect(textLines(call)[1] == "  pMechanism = CKM_AES_GCM { pIv: 12 bytes = 000102030405060708090a0b, "
            + "ulIvBits = 96, pAAD: 20 bytes (not captured), ulTagBits = 128 }")
    }

    @Test("every structure id in the table decodes its own fields")
    func everyStructure() throws {
        for schema in ParameterSchema.structures.values {
            let fields = schema.fields.map { field -> StructureValue.Field in
                switch field.kind {
                case .ulong(let domain): .init(name: field.name, value: .number(1, domain))
                case .bool: .init(name: field.name, value: .bool(1))
                case .handle: .init(name: field.name, value: .number(0x42, .handle))
                case .bytes: .init(name: field.name, value: .buffer(BufferValue(length: 3, content: [1, 2, 3])))
                }
            }
            var writer = ByteWriter()
            ValueEncoder.parameter(StructureValue(typeName: schema.name, fields: fields), into: &writer)
            let decoded = ValueDecoder.parameterStructure(Array(writer.bytes.dropFirst(2)), fileBase: 0)
            #expect(decoded == StructureValue(typeName: schema.name, fields: fields), "\(schema.name)")
        }
    }

    @Test("unknown structure ids and malformed fields decode to an unreadable parameter", arguments: [
        ("unknown structure id", [0x7F, 1, 2, 3] as [UInt8]),
        ("huge structure id", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ("bad varint id", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        ("empty", []),
        ("truncated field", [1, 0x50, 0x40]),                      // PSS: hashAlg, mgf, no sLen
        ("buffer content past the range", [4, 0x19, 12, 12, 1, 2]), // GCM: pIv claims 12 bytes, 2 follow
        ("trailing bytes", [1, 0x50, 1, 32, 99]),
    ])
    func malformed(name: String, payload: [UInt8]) throws {
        let result = try encryptInit(type: 0x1087, length: 48, form: 2, payload: payload)
        #expect(result.error == nil, "\(name)")
        let call = try #require(result.calls.first)
        guard case .mechanism(let mechanism) = call.arguments[1].value else {
            Issue.record("\(name): \(call.arguments[1].value)")
            return
        }
        #expect(mechanism.form == .unreadable, "\(name)")
        #expect(mechanism.parameter == payload)
        #expect(call.arguments[2].value == .number(5, .handle), "the rest of the record still decodes")
        #expect(textLines(call)[1].contains("unreadable parameter"))
        var renderer = JSONLinesRenderer(header: try LogHeader(bytes: TestLogWriter().bytes(), fileSize: 4096))
        var output = CapturedText()
        renderer.write(call, to: &output)
        #expect(output.text.contains("\"unreadable\":true"))
    }

    @Test("a message parameter that cannot be read is unreadable, the record still decodes")
    func malformedMessage() throws {
        var arguments = ByteWriter()
        arguments.uvarint(1)
        arguments.u8(1)
        arguments.uvarint(48)
        arguments.u8(2)
        arguments.prefixed([0x70, 0])
        ValueEncoder.encode(BufferValue(length: 6), into: &arguments)
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        writer.addCalls(threadID: 7, index: 0, baseTime: writer.monotonicOrigin + 10, [
            TestLogWriter.Call(function: function("C_EncryptMessageBegin").id, start: writer.monotonicOrigin + 1_000,
                               arguments: arguments.bytes),
        ])
        let result = try decodeLog(writer.bytes())
        #expect(result.error == nil)
        let call = try #require(result.calls.first)
        #expect(call.arguments[1].value == .unreadable)
        #expect(call.arguments[2].value == .buffer(BufferValue(length: 6)))
    }

    @Test("a parameter length past the record is damage, reported, not a crash")
    func lengthPastRecord() throws {
        var arguments = ByteWriter()
        arguments.uvarint(1)
        arguments.u8(2)
        arguments.uvarint(0x1087)
        arguments.uvarint(48)
        arguments.u8(2)
        arguments.uvarint(500)
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        writer.addCalls(threadID: 7, index: 0, baseTime: writer.monotonicOrigin + 10, [
            TestLogWriter.Call(function: function("C_EncryptInit").id, start: writer.monotonicOrigin + 1_000,
                               arguments: arguments.bytes),
        ])
        let result = try decodeLog(writer.bytes())
        #expect(result.calls.isEmpty)
        #expect(result.error != nil)
    }

    @Test("vendor-defined values are named by their range")
    func vendorValues() {
        #expect(NameDomain.mechanism.display(0x8000_0010) == "CKM_VENDOR_DEFINED+0x10")
        #expect(NameDomain.keyType.display(0x8000_0001) == "CKK_VENDOR_DEFINED+0x1")
        #expect(NameDomain.objectClass.display(0x8000_0002) == "CKO_VENDOR_DEFINED+0x2")
        #expect(NameDomain.attribute.display(0x8000_0003) == "CKA_VENDOR_DEFINED+0x3")
        #expect(NameDomain.mgf.display(0x8000_0003) == "0x80000003")  // no CKG_VENDOR_DEFINED in the header
        #expect(NameDomain.kdf.display(6) == "CKD_SHA256_KDF")
        #expect(NameDomain.source.display(1) == "CKZ_DATA_SPECIFIED")
        #expect(NameDomain.generator.display(2) == "CKG_GENERATE_COUNTER")
        #expect(NameDomain.hkdfSaltType.display(2) == "CKF_HKDF_SALT_DATA")
    }
}
