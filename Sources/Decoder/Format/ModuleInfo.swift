/// A PKCS#11 module the traced process loaded, from a module metadata record.
public struct ModuleInfo: Hashable, Sendable {
    /// How the interposer came to wrap a module.
    public enum LoadMethod: Hashable, Sendable {
        /// Named in the interposer's configuration.
        case configuration
        /// Found by the preload hook through `dlsym`.
        case preloadDlsym
        /// Found by the preload hook through an exported entry point.
        case preloadEntryPoint
        /// A value this decoder does not know.
        case unknown(UInt8)

        init(raw: UInt8) {
            switch raw {
            case 0: self = .configuration
            case 1: self = .preloadDlsym
            case 2: self = .preloadEntryPoint
            default: self = .unknown(raw)
            }
        }
    }

    /// A function table of the module that the interposer wrapped.
    public struct FunctionTable: Hashable, Sendable {
        /// The table's layout: 68, 92 or 104 entries (the 2.40, 3.0 or 3.2 layout).
        public var entries: UInt8
        /// The `CK_VERSION` the table reports.
        public var version: Version

        /// Creates a table description.
        public init(entries: UInt8, version: Version) {
            self.entries = entries
            self.version = version
        }

        /// The PKCS#11 version whose layout the table has (`2.40`), or the entry count.
        public var layoutName: String {
            switch entries {
            case 68: "2.40"
            case 92: "3.0"
            case 104: "3.2"
            default: "\(entries)-entry"
            }
        }
    }

    /// The index call records use for the module.
    public var index: UInt8
    /// The module's path as it was loaded.
    public var path: String
    /// How the module was found.
    public var loadMethod: LoadMethod
    /// The module's function tables that were wrapped, in the order they were described
    /// (empty while only the module's entry points were seen).
    public var tables: [FunctionTable]
    /// Managed mode: the library this index's table was handed to (each caller's table has an
    /// index of its own); nil when the table is shared by every caller.
    public var caller: String? = nil

    /// The module's short name: its file name without a `lib` prefix and `.so` suffix
    /// (`/usr/lib/softhsm/libsofthsm2.so` gives `softhsm2`); a managed table adds its caller's
    /// short name (`softhsm2@p11`).
    public var shortName: String {
        Self.shortName(path: path) + (caller.map { "@" + Self.shortName(path: $0) } ?? "")
    }

    /// The short name of a module path; see ``shortName``.
    public static func shortName(path: String) -> String {
        let fileName = path.split(separator: "/").last ?? Substring(path)
        var parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
        if let so = parts.lastIndex(of: "so"), so > 0, parts[(so + 1)...].allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            parts.removeSubrange(so...)
        }
        var name = Substring(parts.joined(separator: "."))
        if name.hasPrefix("lib"), name.count > 3 {
            name = name.dropFirst(3)
        }
        return name.isEmpty ? path : String(name)
    }
}

extension ModuleInfo {
    /// Creates a module description with no table yet (an LTTng `p11trace:module` event's
    /// fields; its tables are added as their events come).
    ///
    /// - Parameter loadMethod: How the module was found, as the log numbers it.
    public init(index: UInt8, path: String, loadMethod: UInt8, caller: String?) {
        self.index = index
        self.path = path
        self.loadMethod = LoadMethod(raw: loadMethod)
        self.tables = []
        self.caller = caller
    }

    /// Parses a module metadata record's payload (after the size and type fields).
    init(payload cursor: inout ByteCursor) throws(DecodeFailure) {
        index = try cursor.u8()
        let entries = try cursor.u8()
        let major = try cursor.u8()
        let minor = try cursor.u8()
        tables = entries == 0 ? [] : [FunctionTable(entries: entries, version: Version(major: major, minor: minor))]
        path = String(decoding: try cursor.lengthPrefixedBytes(), as: UTF8.self)
        loadMethod = LoadMethod(raw: try cursor.u8())
        // Managed mode appends the caller's path; older records end here.
        if !cursor.isAtEnd {
            caller = String(decoding: try cursor.lengthPrefixedBytes(), as: UTF8.self)
        }
    }
}
