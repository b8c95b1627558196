/// Where a chunk lies in the file and what its header says.
struct ChunkLocation: Hashable, Sendable {
    /// The size of a chunk header.
    static let headerSize = 32
    /// The chunk magic `P11C`, read as a little-endian `u32`.
    static let magic: UInt32 = 0x4331_3150

    /// What a chunk holds.
    enum Kind: UInt16 {
        case calls = 1
        case metadata = 2
    }

    /// The file offset of the chunk.
    var offset: Int
    /// The bytes of the chunk present in the file (less than the chunk size only for a cut file).
    var available: Int
    /// What the chunk holds.
    var kind: Kind
    /// The kernel tid of the writing thread (0 for metadata).
    var threadID: UInt32
    /// The chunk's index among its thread's chunks.
    var ordinal: UInt32
    /// The record clock when the chunk was taken; the first record's start is relative to it.
    var baseTime: UInt64
    /// CLOCK_MONOTONIC ns read with ``baseTime`` (0 from writers that left it unset): a
    /// calibration anchor when records carry TSC ticks.
    var anchor: UInt64 = 0
}
