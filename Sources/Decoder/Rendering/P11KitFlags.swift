/// The flag bits p11-kit's log names, per place, in the order it tests them (`LOG_FLAG` in
/// `p11-kit/log.c`); bits not listed are not named.
enum P11KitFlags {
    typealias List = [(UInt64, String)]

    /// ` = CKF_A | CKF_B` for the listed bits set in `value`, or nothing.
    static func names(_ value: UInt64, _ list: List) -> String {
        let set = list.filter { value & $0.0 == $0.0 }.map(\.1)
        return set.isEmpty ? "" : " = " + set.joined(separator: " | ")
    }

    /// The list of a `flags` argument, by its option in `spec/functions.json`.
    static func forArgument(_ option: String?) -> List {
        switch option {
        case "session": session
        case "wait": [(0x1, "CKF_DONT_BLOCK")]
        case "mechanism": sessionCancel
        case "message": [(0x1, "CKF_END_OF_MESSAGE")]
        default: []
        }
    }

    static let initialize: List = [(0x2, "CKF_OS_LOCKING_OK")]
    static let session: List = [(0x4, "CKF_SERIAL_SESSION"), (0x2, "CKF_RW_SESSION")]
    static let slot: List = [(0x1, "CKF_TOKEN_PRESENT"), (0x2, "CKF_REMOVABLE_DEVICE"), (0x4, "CKF_HW_SLOT")]
    static let token: List = [
        (0x1, "CKF_RNG"), (0x2, "CKF_WRITE_PROTECTED"), (0x4, "CKF_LOGIN_REQUIRED"),
        (0x8, "CKF_USER_PIN_INITIALIZED"), (0x20, "CKF_RESTORE_KEY_NOT_NEEDED"), (0x40, "CKF_CLOCK_ON_TOKEN"),
        (0x100, "CKF_PROTECTED_AUTHENTICATION_PATH"), (0x200, "CKF_DUAL_CRYPTO_OPERATIONS"),
        (0x400, "CKF_TOKEN_INITIALIZED"), (0x800, "CKF_SECONDARY_AUTHENTICATION"),
        (0x10000, "CKF_USER_PIN_COUNT_LOW"), (0x20000, "CKF_USER_PIN_FINAL_TRY"), (0x40000, "CKF_USER_PIN_LOCKED"),
        (0x80000, "CKF_USER_PIN_TO_BE_CHANGED"), (0x100000, "CKF_SO_PIN_COUNT_LOW"),
        (0x200000, "CKF_SO_PIN_FINAL_TRY"), (0x400000, "CKF_SO_PIN_LOCKED"), (0x800000, "CKF_SO_PIN_TO_BE_CHANGED"),
    ]
    static let mechanism: List = [
        (0x1, "CKF_HW"), (0x100, "CKF_ENCRYPT"), (0x200, "CKF_DECRYPT"), (0x400, "CKF_DIGEST"), (0x800, "CKF_SIGN"),
        (0x1000, "CKF_SIGN_RECOVER"), (0x2000, "CKF_VERIFY"), (0x4000, "CKF_VERIFY_RECOVER"),
        (0x8000, "CKF_GENERATE"), (0x10000, "CKF_GENERATE_KEY_PAIR"), (0x20000, "CKF_WRAP"), (0x40000, "CKF_UNWRAP"),
        (0x80000, "CKF_DERIVE"), (0x8000_0000, "CKF_EXTENSION"),
    ]
    static let sessionCancel: List = [
        (0x2, "CKF_MESSAGE_ENCRYPT"), (0x4, "CKF_MESSAGE_DECRYPT"), (0x8, "CKF_MESSAGE_SIGN"),
        (0x10, "CKF_MESSAGE_VERIFY"), (0x40, "CKF_FIND_OBJECTS"), (0x100, "CKF_ENCRYPT"), (0x200, "CKF_DECRYPT"),
        (0x400, "CKF_DIGEST"), (0x800, "CKF_SIGN"), (0x1000, "CKF_SIGN_RECOVER"), (0x2000, "CKF_VERIFY"),
        (0x4000, "CKF_VERIFY_RECOVER"), (0x8000, "CKF_GENERATE"), (0x10000, "CKF_GENERATE_KEY_PAIR"),
        (0x20000, "CKF_WRAP"), (0x40000, "CKF_UNWRAP"), (0x80000, "CKF_DERIVE"),
    ]
}
