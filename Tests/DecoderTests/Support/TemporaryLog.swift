import Foundation

/// Writes bytes to a temporary file for the reader to open, and removes it afterwards.
enum TemporaryLog {
    private static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("p11trace-decoder-tests")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `bytes` to a new file, runs `body` with its path, then removes the file.
    static func with<Value>(_ bytes: [UInt8], name: String = UUID().uuidString,
                             _ body: (String) throws -> Value) throws -> Value {
        let url = directory.appendingPathComponent(name + ".p11t")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }
}
