import Foundation

/// A file as a buffered `TextOutputStream` for the exporters (`export -o FILE`).
final class FileOutputStream: TextOutputStream {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let threshold = 1 << 16

    /// Creates or truncates `path`.
    ///
    /// - Throws: The error of creating or opening the file.
    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count > Self.threshold { flush() }
    }

    /// Writes out what is buffered.
    func flush() {
        guard !buffer.isEmpty else { return }
        try? handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    func close() {
        flush()
        try? handle.close()
    }
}
