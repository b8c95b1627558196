/// A function name or a glob over function names: `C_Sign`, `C_Sign*`, `C_*Init`, `C_?ign`.
///
/// `*` matches any run of characters (none included), `?` exactly one; every other character
/// matches itself, case-sensitively. The same patterns select functions at record time
/// (`P11TRACE_FUNCTIONS`, `record --functions`) and at read time (`decode --functions`).
public struct FunctionPattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    private let characters: [UInt8]

    /// Creates a pattern.
    public init(_ text: String) {
        self.text = text
        self.characters = Array(text.utf8)
    }

    /// The pattern as written.
    public var description: String { text }

    /// Parses a comma-separated list (`"C_Sign*, C_Login"`); blanks around names and empty
    /// entries are ignored.
    public static func list(_ text: String) -> [FunctionPattern] {
        text.split(separator: ",").compactMap { entry in
            var name = Substring(entry)
            while name.first == " " || name.first == "\t" { name.removeFirst() }
            while name.last == " " || name.last == "\t" { name.removeLast() }
            return name.isEmpty ? nil : FunctionPattern(String(name))
        }
    }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { Self.glob(characters[...], $0[...]) }
    }

    /// Whether any function this decoder knows matches (a misspelt name matches none).
    public var matchesKnownFunction: Bool {
        FunctionSchema.table.contains { matches($0.name) }
    }

    /// Iterative wildcard matching with backtracking to the last `*`: linear in practice,
    /// never exponential.
    private static func glob(_ pattern: ArraySlice<UInt8>, _ name: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let star = UInt8(ascii: "*"), any = UInt8(ascii: "?")
        var p = pattern.startIndex, n = name.startIndex
        var starAt: Int? = nil, resumeAt = n
        while n < name.endIndex {
            if p < pattern.endIndex, pattern[p] == star {
                starAt = p
                p += 1
                resumeAt = n
            } else if p < pattern.endIndex, pattern[p] == any || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if let star = starAt {
                p = star + 1
                resumeAt += 1
                n = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == star { p += 1 }
        return p == pattern.endIndex
    }
}
