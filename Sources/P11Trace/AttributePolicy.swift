import CExport

/// Which attribute values may reach the log (docs/log-format.md, "Attribute policy").
///
/// Secret values are recorded as lengths only unless the capture level is `secrets`.
enum AttributePolicy {
    // Computed, so each use is a constant (no lazily initialised global on the record path).
    static var cka_CLASS: UInt64 { UInt64(CKA_CLASS) }
    static var cka_VALUE: UInt64 { UInt64(CKA_VALUE) }
    static var cka_SENSITIVE: UInt64 { UInt64(CKA_SENSITIVE) }
    static var cka_EXTRACTABLE: UInt64 { UInt64(CKA_EXTRACTABLE) }
    /// Attributes whose value is an array of CK_ATTRIBUTE.
    static let nestedTemplates: ClosedRange<UInt64> = 0x4000_0211...0x4000_0213

    /// Private key components and secret seeds: always secret. The values come from the
    /// project's PKCS#11 header, as everywhere else.
    @inline(__always)  // a few comparisons against constants, called per attribute
    static func isAlwaysSecret(_ type: UInt64) -> Bool {
        switch type {
        case UInt64(CKA_PRIVATE_EXPONENT), UInt64(CKA_PRIME_1), UInt64(CKA_PRIME_2),
             UInt64(CKA_EXPONENT_1), UInt64(CKA_EXPONENT_2), UInt64(CKA_COEFFICIENT),
             UInt64(CKA_SEED):  // 3.2: the seed of an ML-KEM/ML-DSA private key
            return true
        default:
            return false
        }
    }

    /// Object classes whose CKA_VALUE is public: data, certificates, public keys, domain parameters.
    static func valueIsPublic(forClass objectClass: UInt64?) -> Bool {
        guard let objectClass else { return false }
        return objectClass == 0 || objectClass == 1 || objectClass == 2 || objectClass == 6
    }
}
