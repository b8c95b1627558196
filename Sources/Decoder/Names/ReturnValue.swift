/// A PKCS#11 return value (`CK_RV`), kept as data.
///
/// The corresponding C type is `CK_RV`; ``name`` gives the C spelling (`"CKR_PIN_INCORRECT"`).
public struct ReturnValue: RawRepresentable, Hashable, Sendable {
    /// The numeric `CK_RV`.
    public var rawValue: UInt64

    /// Wraps a numeric `CK_RV`.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// `CKR_OK`.
    public static let ok = ReturnValue(rawValue: 0)

    /// Whether the call succeeded (`CKR_OK`).
    public var isOK: Bool { rawValue == 0 }

    /// The C spelling, `CKR_VENDOR_DEFINED+0x…` for vendor values, or hex for unknown ones.
    public var name: String { NameDomain.returnValue.display(rawValue) }
}

extension ReturnValue: CustomStringConvertible {
    /// The C spelling of the value.
    public var description: String { name }
}
