/// A mechanism parameter structure the log records field by field (spec/mechanisms.json;
/// docs/log-format.md, parameter form 2).
public struct ParameterSchema: Hashable, Sendable {
    /// How one recorded field is encoded and shown.
    public enum FieldKind: Hashable, Sendable {
        /// A `CK_ULONG` (`uvarint`), named in a domain (`hashAlg`: mechanisms, `mgf`: CKG_MGF1_...).
        case ulong(NameDomain)
        /// A `CK_BBOOL` (`u8`).
        case bool
        /// A `CK_OBJECT_HANDLE` (`uvarint`).
        case handle
        /// A buffer the structure points to or holds (the buffer encoding).
        case bytes
    }

    /// One recorded field.
    public struct Field: Hashable, Sendable {
        /// The C field name (`pIv`).
        public var name: String
        /// How it is encoded.
        public var kind: FieldKind

        /// Creates a field.
        public init(name: String, kind: FieldKind) {
            self.name = name
            self.kind = kind
        }
    }

    /// The structure id in the log (append-only).
    public var id: UInt64
    /// The C type name (`CK_GCM_PARAMS`).
    public var name: String
    /// Whether this is a 3.0 message parameter (`C_EncryptMessage`...).
    public var isMessage: Bool
    /// The mechanisms (C names) that take it.
    public var mechanisms: [String]
    /// The recorded fields in declaration order.
    public var fields: [Field]

    /// The structure with log id `id`, if this decoder knows it.
    public static func byID(_ id: UInt64) -> ParameterSchema? {
        structures[id]
    }
}
