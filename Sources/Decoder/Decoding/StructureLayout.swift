/// The field layouts of the out-structures a call record can hold
/// (docs/log-format.md, "Structure (`out_struct`)").
enum StructureLayout {
    /// How one field is encoded and shown.
    enum FieldType {
        /// A `CK_ULONG` as `uvarint`, named in a domain.
        case ulong(NameDomain)
        /// A `CK_FLAGS` as `uvarint`.
        case flags(FlagSet?)
        /// A `CK_VERSION` as two `u8`.
        case version
        /// A fixed character array, raw bytes.
        case characters(Int)
    }

    /// The fields of structure `name` in declaration order, or `nil` for an unknown structure.
    static func fields(of name: String) -> [(name: String, type: FieldType)]? {
        layouts[name]
    }

    private static let layouts: [String: [(name: String, type: FieldType)]] = [
        "CK_INFO": [
            ("cryptokiVersion", .version), ("manufacturerID", .characters(32)), ("flags", .flags(nil)),
            ("libraryDescription", .characters(32)), ("libraryVersion", .version),
        ],
        "CK_SLOT_INFO": [
            ("slotDescription", .characters(64)), ("manufacturerID", .characters(32)), ("flags", .flags(.slot)),
            ("hardwareVersion", .version), ("firmwareVersion", .version),
        ],
        "CK_TOKEN_INFO": [
            ("label", .characters(32)), ("manufacturerID", .characters(32)), ("model", .characters(16)),
            ("serialNumber", .characters(16)), ("flags", .flags(.token)),
            ("ulMaxSessionCount", .ulong(.sessionLimit)), ("ulSessionCount", .ulong(.plain)),
            ("ulMaxRwSessionCount", .ulong(.sessionLimit)), ("ulRwSessionCount", .ulong(.plain)),
            ("ulMaxPinLen", .ulong(.plain)), ("ulMinPinLen", .ulong(.plain)),
            ("ulTotalPublicMemory", .ulong(.plain)), ("ulFreePublicMemory", .ulong(.plain)),
            ("ulTotalPrivateMemory", .ulong(.plain)), ("ulFreePrivateMemory", .ulong(.plain)),
            ("hardwareVersion", .version), ("firmwareVersion", .version), ("utcTime", .characters(16)),
        ],
        "CK_SESSION_INFO": [
            ("slotID", .ulong(.slot)), ("state", .ulong(.sessionState)), ("flags", .flags(.session)),
            ("ulDeviceError", .ulong(.plain)),
        ],
        "CK_MECHANISM_INFO": [
            ("ulMinKeySize", .ulong(.plain)), ("ulMaxKeySize", .ulong(.plain)), ("flags", .flags(.mechanism)),
        ],
    ]
}
