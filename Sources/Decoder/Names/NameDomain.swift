/// Which set of C constant names a number belongs to, and so how it is shown.
public enum NameDomain: String, Hashable, Sendable, CaseIterable {
    /// A count or size: shown in decimal.
    case plain
    /// A session or object handle: shown in hex.
    case handle
    /// A slot id: shown in decimal.
    case slot
    /// ulMaxSessionCount, ulMaxRwSessionCount: 0 is CK_EFFECTIVELY_INFINITE, all ones
    /// CK_UNAVAILABLE_INFORMATION; anything else a count.
    case sessionLimit
    case returnValue
    case mechanism
    case attribute
    case objectClass
    case keyType
    case certificateType
    case userType
    case sessionState
    case hardwareFeature
    case mgf
    case kdf
    case profile
    /// `CKZ_`: the OAEP encoding parameter source.
    case source
    /// `CKG_`: IV and nonce generators of the 3.0 message parameters.
    case generator
    /// `CKF_HKDF_SALT_`: the salt type of `CK_HKDF_PARAMS`.
    case hkdfSaltType

    /// The C name of `value` in this domain, if the tables know it.
    public func name(for value: UInt64) -> String? {
        if self == .sessionLimit {
            if value == 0 { return "CK_EFFECTIVELY_INFINITE" }
            if value == UInt64.max || value == UInt64(UInt32.max) { return "CK_UNAVAILABLE_INFORMATION" }
            return nil
        }
        return table?[value]
    }

    /// How `value` is shown: its C name; `CKM_VENDOR_DEFINED+0x…` for a vendor value without a
    /// name; hex for an unknown value; decimal for plain numbers and slots, hex for handles.
    public func display(_ value: UInt64) -> String {
        switch self {
        case .plain, .slot:
            return String(value)
        case .sessionLimit:
            return name(for: value) ?? String(value)
        case .handle:
            return Hex.number(value)
        default:
            if let name = name(for: value) {
                return name
            }
            if let prefix = vendorPrefix, value >= NameDomain.vendorDefined {
                return "\(prefix)_VENDOR_DEFINED+\(Hex.number(value - NameDomain.vendorDefined))"
            }
            return Hex.number(value)
        }
    }

    /// Appends ``display(_:)``, the common spellings without making a `String`.
    func append(_ value: UInt64, to text: inout TextBuffer) {
        switch self {
        case .plain, .slot:
            text.appendDecimal(value)
        case .handle:
            text.appendHex(value)
        default:
            if let name = name(for: value) { text.append(name) } else { text.append(display(value)) }
        }
    }

    /// The first vendor-defined value in every domain that has vendor values (`1UL << 31`).
    static let vendorDefined: UInt64 = 0x8000_0000

    private var table: [UInt64: String]? {
        switch self {
        case .plain, .handle, .slot, .sessionLimit: nil
        case .returnValue: ConstantNames.returnValues
        case .mechanism: ConstantNames.mechanisms
        case .attribute: ConstantNames.attributes
        case .objectClass: ConstantNames.objectClasses
        case .keyType: ConstantNames.keyTypes
        case .certificateType: ConstantNames.certificateTypes
        case .userType: ConstantNames.userTypes
        case .sessionState: ConstantNames.sessionStates
        case .hardwareFeature: ConstantNames.hardwareFeatures
        case .mgf: ConstantNames.mgfs
        case .kdf: ConstantNames.kdfs
        case .profile: ConstantNames.profiles
        case .source: ConstantNames.sources
        case .generator: ConstantNames.generators
        case .hkdfSaltType: ConstantNames.hkdfSaltTypes
        }
    }

    /// The domain's C prefix when the header defines `<prefix>_VENDOR_DEFINED` for it.
    private var vendorPrefix: String? {
        let prefix: String? = switch self {
        case .returnValue: "CKR"
        case .mechanism: "CKM"
        case .attribute: "CKA"
        case .objectClass: "CKO"
        case .keyType: "CKK"
        case .certificateType: "CKC"
        case .hardwareFeature: "CKH"
        case .profile: "CKP"
        case .userType: "CKU"
        case .sessionState: "CKS"
        case .mgf: "CKG"
        case .kdf: "CKD"
        case .source: "CKZ"
        case .generator: "CKG"
        default: nil
        }
        return prefix.flatMap { ConstantNames.vendorPrefixes.contains($0) ? $0 : nil }
    }
}

extension NameDomain {
    /// The domain of the values an option of `spec/functions.json` names
    /// (`"session"`, `"object"`, `"slot"`, `"mechanism_type"`), for handles and arrays.
    init(option: String?) {
        switch option {
        case "session", "object": self = .handle
        case "slot": self = .slot
        case "mechanism_type": self = .mechanism
        default: self = .plain
        }
    }
}
