import CExport
#if canImport(Glibc)
import Glibc
#endif

extension BinaryLog {
    /// One object of the process (the program, a library) and the addresses it spans.
    struct LoadedObject {
        var path: String
        var start: UInt64
        var end: UInt64
    }

    /// Writes the objects the process has loaded (metadata type 2, docs/log-format.md) when the
    /// set changed since the last map; does nothing before the file exists (opening it writes
    /// one). Called at bootstrap, when a module is registered, from the dlsym hook, on rare
    /// calls and at exit, never per call: it walks the dynamic linker's list.
    static func writeLibraryMap() {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if fd >= 0 { writeLibraryMapLocked() }
    }

    static func writeLibraryMapLocked() {
        guard let objects = changedLoadedObjectsLocked() else { return }
        for object in objects {
            let path = object.path
            writeMetadataLocked(type: 2) { encoder in
                encoder.uvarint(librarySnapshot)
                encoder.uvarint(object.start)
                encoder.uvarint(object.end)
                let bytes = Array(path.utf8.prefix(4000))
                encoder.uvarint(UInt64(bytes.count))
                bytes.withUnsafeBytes { encoder.raw($0.baseAddress!, count: bytes.count) }
            }
        }
    }

    /// The objects loaded now, the program named by its path, when the set changed since the
    /// last map (which this one then replaces as ``librarySnapshot``); nil when unchanged.
    static func changedLoadedObjectsLocked() -> [LoadedObject]? {
        var adds: UInt64 = 0, subs: UInt64 = 0
        p11t_loaded_objects_counts(&adds, &subs)
        if let last = libraryMapCounts, last == (adds, subs) { return nil }
        var objects: [LoadedObject] = []
        withUnsafeMutablePointer(to: &objects) { list in
            p11t_loaded_objects({ path, start, end, context in
                let objects = context!.assumingMemoryBound(to: [LoadedObject].self)
                objects.pointee.append(LoadedObject(path: path.map { String(cString: $0) } ?? "", start: start, end: end))
            }, list)
        }
        libraryMapCounts = (adds, subs)
        librarySnapshot += 1
        let program = executablePath
        return objects.map { LoadedObject(path: $0.path.isEmpty ? program : $0.path, start: $0.start, end: $0.end) }
    }

    /// The program's own path (the dynamic linker names it "").
    private static var executablePath: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, 4095)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    }
}
