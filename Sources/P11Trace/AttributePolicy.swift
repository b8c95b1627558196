/// Which attribute values may reach the log (docs/log-format.md, "Attribute policy").
///
/// Secret values are recorded as lengths only unless the capture level is `secrets`.
enum AttributePolicy {
    static let cka_CLASS: UInt64 = 0x0000
    static let cka_VALUE: UInt64 = 0x0011
    static let cka_SENSITIVE: UInt64 = 0x0103
    static let cka_EXTRACTABLE: UInt64 = 0x0162
    /// Attributes whose value is an array of CK_ATTRIBUTE.
    static let nestedTemplates: ClosedRange<UInt64> = 0x4000_0211...0x4000_0213

    /// Private key components and secret seeds: always secret.
    @inline(__always)  // a switch over constants, called per attribute
    static func isAlwaysSecret(_ type: UInt64) -> Bool {
        switch type {
        case 0x0123, 0x0124, 0x0125, 0x0126, 0x0127, 0x0128:  // private exponent, primes, exponents, coefficient
            return true
        case 0x0602:  // CKA_SEED (3.2 private seeds)
            return true
        case 0x0220, 0x0221:  // CKA_OTP_... secret counters are not secret; CKA_OTP time/PIN-like values below
            return false
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
