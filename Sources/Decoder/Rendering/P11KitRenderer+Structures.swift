extension P11KitRenderer {
    /// An out-structure as p11-kit lays it out: `{`, one tab-indented field per line, `      }`.
    func structure(_ structure: StructureValue) -> String {
        let lines: [String]
        switch structure.typeName {
        case "CK_INFO":
            lines = ["cryptokiVersion: " + field(structure, "cryptokiVersion"),
                     "manufacturerID: " + field(structure, "manufacturerID"),
                     "flags: " + hexNumber(structure, "flags"),
                     "libraryDescription: " + field(structure, "libraryDescription"),
                     "libraryVersion: " + field(structure, "libraryVersion")]
        case "CK_SLOT_INFO":
            lines = ["slotDescription: " + field(structure, "slotDescription"),
                     "manufacturerID: " + field(structure, "manufacturerID"),
                     "flags: " + field(structure, "flags") + flagNames(structure, P11KitFlags.slot),
                     "hardwareVersion: " + field(structure, "hardwareVersion"),
                     "firmwareVersion: " + field(structure, "firmwareVersion")]
        case "CK_TOKEN_INFO":
            lines = tokenInfo(structure)
        case "CK_SESSION_INFO":
            let state = number(structure, "state").map { constant($0, .sessionState, prefix: "CKS") } ?? Self.unknownNumber
            lines = ["slotID: SL" + field(structure, "slotID"),
                     "state: " + state,
                     "flags: " + hexNumber(structure, "flags") + flagNames(structure, P11KitFlags.session),
                     "ulDeviceError: " + field(structure, "ulDeviceError")]
        case "CK_MECHANISM_INFO":
            lines = ["ulMinKeySize: " + field(structure, "ulMinKeySize"),
                     "ulMaxKeySize: " + field(structure, "ulMaxKeySize"),
                     "flags: " + hexNumber(structure, "flags") + flagNames(structure, P11KitFlags.mechanism)]
        default:
            lines = structure.fields.map { "\($0.name): \(fieldText($0.value))" }
        }
        return "{\n" + lines.map { "\t" + $0 + "\n" }.joined() + "      }"
    }

    /// `CK_TOKEN_INFO`, every field under its own label with its own value (p11-kit 0.24.1
    /// shows `ulMaxSessionCount` under five labels and `ulFreePrivateMemory` twice; see
    /// docs/p11-kit-format.md).
    private func tokenInfo(_ info: StructureValue) -> [String] {
        var lines = ["label", "manufacturerID", "model", "serialNumber"].map { "\($0): " + field(info, $0) }
        let flags = number(info, "flags") ?? 0
        lines.append("flags: \(flags)" + P11KitFlags.names(flags, P11KitFlags.token))
        lines.append("ulMaxSessionCount: " + limit(info, "ulMaxSessionCount"))
        lines.append("ulSessionCount: " + count(info, "ulSessionCount"))
        lines.append("ulMaxRwSessionCount: " + limit(info, "ulMaxRwSessionCount"))
        lines.append("ulRwSessionCount: " + count(info, "ulRwSessionCount"))
        lines.append("ulMaxPinLen: " + field(info, "ulMaxPinLen"))
        lines.append("ulMinPinLen: " + field(info, "ulMinPinLen"))
        for name in ["ulTotalPublicMemory", "ulFreePublicMemory", "ulTotalPrivateMemory", "ulFreePrivateMemory"] {
            lines.append("\(name): " + count(info, name))
        }
        lines.append("hardwareVersion: " + field(info, "hardwareVersion"))
        lines.append("firmwareVersion: " + field(info, "firmwareVersion"))
        var time = ""
        if flags & 0x40 != 0, case .characters(let bytes)? = value(info, "utcTime") {
            time = String(decoding: bytes, as: UTF8.self)
        }
        lines.append("utcTime: " + time)
        return lines
    }

    /// A maximum count: `CK_EFFECTIVELY_INFINITE` (0), `CK_UNAVAILABLE_INFORMATION` (~0) or the number.
    private func limit(_ info: StructureValue, _ name: String) -> String {
        guard let value = number(info, name) else { return Self.unknownNumber }
        return value == 0 ? "CK_EFFECTIVELY_INFINITE" : count(info, name)
    }

    /// A count or size: `CK_UNAVAILABLE_INFORMATION` (~0) or the number.
    private func count(_ info: StructureValue, _ name: String) -> String {
        guard let value = number(info, name) else { return Self.unknownNumber }
        return isUnavailable(value) ? "CK_UNAVAILABLE_INFORMATION" : String(value)
    }

    private func value(_ structure: StructureValue, _ name: String) -> DecodedValue? {
        structure.fields.first { $0.name == name }?.value
    }

    private func number(_ structure: StructureValue, _ name: String) -> UInt64? {
        switch value(structure, name) {
        case .number(let value, _)?, .flags(let value, _)?: value
        default: nil
        }
    }

    private func field(_ structure: StructureValue, _ name: String) -> String {
        value(structure, name).map(fieldText) ?? Self.unknownNumber
    }

    private func hexNumber(_ structure: StructureValue, _ name: String) -> String {
        number(structure, name).map { String($0, radix: 16, uppercase: true) } ?? Self.unknownNumber
    }

    private func flagNames(_ structure: StructureValue, _ list: P11KitFlags.List) -> String {
        P11KitFlags.names(number(structure, "flags") ?? 0, list)
    }

    /// A field as p11-kit prints it: decimal numbers, `major.minor`, blank-trimmed quoted text.
    private func fieldText(_ value: DecodedValue) -> String {
        switch value {
        case .number(let number, _), .flags(let number, _): return String(number)
        case .version(let version): return version.description
        case .characters(var bytes):
            while bytes.last == 0x20 { bytes.removeLast() }
            return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
        case .bool(let bool): return bool != 0 ? "CK_TRUE" : "CK_FALSE"
        default: return Self.unknownNumber
        }
    }
}
