import Foundation

/// Finds the interposer module, `libp11trace.so`, for `module-path` and `record`.
enum ModuleLocator {
    /// The module's file name.
    static let fileName = "libp11trace.so"

    /// The module was found nowhere.
    struct NotFound: Error, CustomStringConvertible {
        /// The places looked in, in order.
        var searched: [String]

        var description: String {
            "cannot find \(ModuleLocator.fileName); looked in: \(searched.joined(separator: ", ")) "
                + "(set P11TRACE_MODULE_PATH to its path)"
        }
    }

    /// The places to look, in order: `$P11TRACE_MODULE_PATH`, beside the executable (the
    /// SwiftPM build directory), then `../lib/p11trace/` relative to it (the installed layout).
    static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var places: [String] = []
        if let configured = environment["P11TRACE_MODULE_PATH"], !configured.isEmpty {
            places.append(configured)
        }
        if let directory = executableDirectory() {
            places.append(directory + "/" + fileName)
            places.append(URL(fileURLWithPath: directory + "/../lib/p11trace/" + fileName).standardizedFileURL.path)
        }
        return places
    }

    /// The absolute path of the first candidate that exists.
    static func locate() -> Result<String, NotFound> {
        let places = candidates()
        for place in places where FileManager.default.isReadableFile(atPath: place) {
            return .success(URL(fileURLWithPath: place).standardizedFileURL.path)
        }
        return .failure(NotFound(searched: places))
    }

    /// The directory of the running executable, symbolic links resolved.
    private static func executableDirectory() -> String? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        return URL(fileURLWithPath: executable).deletingLastPathComponent().path
    }
}
