/// The maps of loaded objects a log holds, to name the library a caller address lies in.
///
/// The writer takes a new map whenever the set of loaded objects changed (at start, when a
/// module is registered, on a few rare calls, at exit). An address is resolved against the
/// latest map that has an object containing it: a library unloaded later still names the
/// calls it made, and an address reused by a later library names that one.
public struct LibraryMap: Sendable {
    /// Every object of every map, in the order they were written.
    public let objects: [LoadedObject]
    /// The objects, latest map first.
    private let latestFirst: [LoadedObject]

    /// Creates a map from the objects of a log's library-map records.
    public init(objects: [LoadedObject]) {
        self.objects = objects
        latestFirst = objects.enumerated().sorted { ($0.element.snapshot, $0.offset) > ($1.element.snapshot, $1.offset) }.map(\.element)
    }

    /// The number of maps.
    public var snapshotCount: Int { Set(objects.map(\.snapshot)).count }

    /// The object holding `address` in the latest map that has one, if any.
    public func object(containing address: UInt64) -> LoadedObject? {
        guard address != 0 else { return nil }
        return latestFirst.first { $0.contains(address) }
    }
}
