/// An object (the program, a shared library) loaded in the traced process, from a format 2
/// library-map metadata record.
public struct LoadedObject: Hashable, Sendable {
    /// The map this object belongs to: 1, 2, 3... in the order the writer took them.
    public var snapshot: UInt64
    /// The lowest address of its loadable segments.
    public var start: UInt64
    /// Just past the highest address of its loadable segments.
    public var end: UInt64
    /// Its path as the dynamic linker knows it (the program's from `/proc/self/exe`).
    public var path: String

    /// Creates an object description.
    public init(snapshot: UInt64, start: UInt64, end: UInt64, path: String) {
        self.snapshot = snapshot
        self.start = start
        self.end = end
        self.path = path
    }

    /// Whether `address` lies in the object.
    public func contains(_ address: UInt64) -> Bool {
        address >= start && address < end
    }
}

extension LoadedObject {
    /// Parses a library-map record's payload (after the size and type fields).
    init(payload cursor: inout ByteCursor) throws(DecodeFailure) {
        snapshot = try cursor.uvarint()
        start = try cursor.uvarint()
        end = try cursor.uvarint()
        path = String(decoding: try cursor.lengthPrefixedBytes(), as: UTF8.self)
    }
}
