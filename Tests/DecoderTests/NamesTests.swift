import Testing
@testable import Decoder

@Suite("Names of constants and modules")
struct NamesTests {
    @Test("return values are named, vendor values marked, unknown ones hex")
    func returnValues() {
        #expect(ReturnValue.ok.name == "CKR_OK")
        #expect(ReturnValue(rawValue: 0xa0).name == "CKR_PIN_INCORRECT")
        #expect(ReturnValue(rawValue: 0x8000_0001).name == "CKR_VENDOR_DEFINED+0x1")
        #expect(ReturnValue(rawValue: 0x7777).name == "0x7777")
    }

    @Test("name domains")
    func domains() {
        #expect(NameDomain.mechanism.display(0x250) == "CKM_SHA256")
        #expect(NameDomain.mechanism.display(0x8000_1234) == "CKM_VENDOR_DEFINED+0x1234")
        #expect(NameDomain.attribute.display(0x3) == "CKA_LABEL")
        #expect(NameDomain.objectClass.display(3) == "CKO_PRIVATE_KEY")
        #expect(NameDomain.handle.display(26) == "0x1a")
        #expect(NameDomain.slot.display(26) == "26")
        #expect(NameDomain.sessionState.display(0x99) == "0x99")
    }

    @Test("flag sets")
    func flags() {
        #expect(FlagSet.session.display(6) == "CKF_RW_SESSION|CKF_SERIAL_SESSION")
        #expect(FlagSet.session.display(0x106) == "CKF_RW_SESSION|CKF_SERIAL_SESSION|0x100")
        #expect(FlagSet.token.display(0) == "0")
    }

    @Test("attribute value kinds come from names")
    func attributeKinds() {
        #expect(AttributeValueKind(attributeType: 0x0) == .ulong(.objectClass))
        #expect(AttributeValueKind(attributeType: 0x1) == .bool)
        #expect(AttributeValueKind(attributeType: 0x3) == .text)
        #expect(AttributeValueKind(attributeType: 0x4000_0211) == .template)
        #expect(AttributeValueKind(attributeType: 0x11) == .bytes)
    }

    @Test("module short names", arguments: [
        ("/usr/lib/softhsm/libsofthsm2.so", "softhsm2"), ("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "opensc-pkcs11"),
        ("libfoo.so.1.2", "foo"), ("/opt/p11-kit-proxy.so", "p11-kit-proxy"), ("lib", "lib"), ("mod.so.x", "mod.so.x"),
        ("/usr/lib/libsoftokn3.so", "softokn3"),
    ])
    func shortNames(path: String, expected: String) {
        #expect(ModuleInfo.shortName(path: path) == expected)
    }
}
