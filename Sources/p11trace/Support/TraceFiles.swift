import Foundation

/// The log files a `record` run can produce: `FILE` (with `%p` expanded to a pid), and
/// `FILE.<pid>` written by child processes or when `FILE` was taken.
struct TraceFiles {
    /// The absolute directory the files go to.
    let directory: String
    /// The file name as given, possibly with `%p`.
    let namePattern: String
    /// The directory as the user wrote it (with a trailing slash), for messages.
    private let displayDirectory: String

    /// - Parameter output: The `-o` value, relative to the current directory or absolute.
    init(output: String, currentDirectory: String = FileManager.default.currentDirectoryPath) {
        let url = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
        directory = url.deletingLastPathComponent().standardizedFileURL.path
        namePattern = url.lastPathComponent
        let slash = output.lastIndex(of: "/")
        displayDirectory = slash.map { String(output[...$0]) } ?? ""
    }

    /// `P11TRACE_OUTPUT` for the traced process.
    var absolutePattern: String { directory + "/" + namePattern }

    /// Whether the name holds `%p`.
    var expandsPID: Bool { namePattern.contains("%p") }

    /// The file the traced process itself writes.
    func primaryName(pid: Int32) -> String {
        namePattern.replacingOccurrences(of: "%p", with: String(pid))
    }

    /// The path of `name` for messages, in the form the user gave the directory.
    func display(_ name: String) -> String { displayDirectory + name }

    /// The absolute path of `name`.
    func path(_ name: String) -> String { directory + "/" + name }

    /// The names in the directory that match the pattern, with their modification times.
    func existing() -> [String: Date] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var found: [String: Date] = [:]
        for name in names where matches(name) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path(name))
            found[name] = attributes?[.modificationDate] as? Date ?? .distantPast
        }
        return found
    }

    /// The names that appeared or changed since `before`, sorted.
    func written(since before: [String: Date]) -> [String] {
        existing().filter { before[$0.key] != $0.value }.keys.sorted()
    }

    /// Whether `name` is the pattern with `%p` as digits, optionally followed by `.<pid>`.
    func matches(_ name: String) -> Bool {
        var rest = Substring(name)
        let literals = namePattern.components(separatedBy: "%p")
        for (index, literal) in literals.enumerated() {
            if index > 0 {
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty else { return false }
                rest = rest.dropFirst(digits.count)
            }
            guard rest.hasPrefix(literal) else { return false }
            rest = rest.dropFirst(literal.count)
        }
        if rest.isEmpty { return true }
        return rest.first == "." && rest.count > 1 && rest.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }
}
