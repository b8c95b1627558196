/// What the value of an attribute type holds, so renderers can show it by meaning
/// (`CK_TRUE`, `CKO_PRIVATE_KEY`, `"label"`) rather than as bytes.
///
/// Attribute types are matched by their C name, looked up in the generated tables.
public enum AttributeValueKind: Hashable, Sendable {
    /// A `CK_BBOOL`.
    case bool
    /// A `CK_ULONG`, named in a domain.
    case ulong(NameDomain)
    /// UTF-8 text (`CKA_LABEL`).
    case text
    /// A `CK_DATE` (`YYYYMMDD`).
    case date
    /// An array of `CK_MECHANISM_TYPE` (`CKA_ALLOWED_MECHANISMS`).
    case mechanisms
    /// A nested template (`CKA_WRAP_TEMPLATE`, `CKA_UNWRAP_TEMPLATE`, `CKA_DERIVE_TEMPLATE`).
    case template
    /// Anything else: shown as bytes.
    case bytes

    /// The kind of value an attribute type holds.
    ///
    /// - Parameter type: A `CK_ATTRIBUTE_TYPE`.
    public init(attributeType type: UInt64) {
        self = NameDomain.attribute.name(for: type).flatMap { AttributeValueKind.byName[$0] } ?? .bytes
    }

    private static let byName: [String: AttributeValueKind] = {
        var kinds: [String: AttributeValueKind] = [:]
        for name in booleans { kinds[name] = .bool }
        for name in texts { kinds[name] = .text }
        for name in numbers { kinds[name] = .ulong(.plain) }
        kinds["CKA_CLASS"] = .ulong(.objectClass)
        kinds["CKA_KEY_TYPE"] = .ulong(.keyType)
        kinds["CKA_CERTIFICATE_TYPE"] = .ulong(.certificateType)
        kinds["CKA_HW_FEATURE_TYPE"] = .ulong(.hardwareFeature)
        kinds["CKA_KEY_GEN_MECHANISM"] = .ulong(.mechanism)
        kinds["CKA_MECHANISM_TYPE"] = .ulong(.mechanism)
        kinds["CKA_NAME_HASH_ALGORITHM"] = .ulong(.mechanism)
        kinds["CKA_PROFILE_ID"] = .ulong(.profile)
        kinds["CKA_START_DATE"] = .date
        kinds["CKA_END_DATE"] = .date
        kinds["CKA_ALLOWED_MECHANISMS"] = .mechanisms
        kinds["CKA_WRAP_TEMPLATE"] = .template
        kinds["CKA_UNWRAP_TEMPLATE"] = .template
        kinds["CKA_DERIVE_TEMPLATE"] = .template
        return kinds
    }()

    private static let booleans = [
        "CKA_TOKEN", "CKA_PRIVATE", "CKA_MODIFIABLE", "CKA_COPYABLE", "CKA_DESTROYABLE", "CKA_TRUSTED",
        "CKA_SENSITIVE", "CKA_ENCRYPT", "CKA_DECRYPT", "CKA_WRAP", "CKA_UNWRAP", "CKA_SIGN",
        "CKA_SIGN_RECOVER", "CKA_VERIFY", "CKA_VERIFY_RECOVER", "CKA_DERIVE", "CKA_EXTRACTABLE",
        "CKA_LOCAL", "CKA_NEVER_EXTRACTABLE", "CKA_ALWAYS_SENSITIVE", "CKA_WRAP_WITH_TRUSTED",
        "CKA_ALWAYS_AUTHENTICATE", "CKA_RESET_ON_INIT", "CKA_HAS_RESET", "CKA_COLOR",
        "CKA_OTP_USER_FRIENDLY_MODE", "CKA_ENCAPSULATE", "CKA_DECAPSULATE",
    ]

    private static let texts = [
        "CKA_LABEL", "CKA_APPLICATION", "CKA_URL", "CKA_CHAR_SETS", "CKA_ENCODING_METHODS",
        "CKA_MIME_TYPES", "CKA_OTP_SERVICE_IDENTIFIER", "CKA_OTP_USER_IDENTIFIER", "CKA_OTP_TIME",
        "CKA_UNIQUE_ID",
    ]

    private static let numbers = [
        "CKA_MODULUS_BITS", "CKA_VALUE_BITS", "CKA_VALUE_LEN", "CKA_PRIME_BITS", "CKA_SUBPRIME_BITS",
        "CKA_SUB_PRIME_BITS", "CKA_CERTIFICATE_CATEGORY", "CKA_JAVA_MIDP_SECURITY_DOMAIN",
        "CKA_PIXEL_X", "CKA_PIXEL_Y", "CKA_RESOLUTION", "CKA_CHAR_ROWS", "CKA_CHAR_COLUMNS",
        "CKA_BITS_PER_PIXEL", "CKA_OTP_FORMAT", "CKA_OTP_LENGTH", "CKA_OTP_TIME_INTERVAL",
        "CKA_OTP_CHALLENGE_REQUIREMENT", "CKA_OTP_TIME_REQUIREMENT", "CKA_OTP_COUNTER_REQUIREMENT",
        "CKA_OTP_PIN_REQUIREMENT", "CKA_PARAMETER_SET",
    ]
}
