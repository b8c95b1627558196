/// A log-linear histogram of durations (ns) in constant memory, for percentiles.
///
/// Values below 128 get a bucket each. Above, every power of two `[2^k, 2^(k+1))` is cut into
/// 128 equal buckets of width `2^(k-7)` (HdrHistogram's layout with 7 bits of sub-bucket
/// precision, a little better than 2 significant decimal digits). A percentile is reported as
/// the middle of its bucket, clamped to the smallest and largest value seen.
///
/// **Accuracy.** For the value `v` at a rank (nearest-rank definition), the reported value `r`
/// satisfies `|r - v| <= v / 256` (relative error at most 0.39%), and is exact below 128 ns.
/// Counts, minimum, maximum, total and mean are exact. Memory: at most 7,424 counters
/// (58 KiB), allocated on the first value.
public struct LatencyHistogram: Hashable, Sendable {
    /// Sub-bucket precision: 2^7 buckets per power of two.
    static let precisionBits = 7
    static let subBuckets = 1 << precisionBits
    static let bucketCount = subBuckets * (64 - precisionBits + 1)

    private var counts: [UInt64] = []
    /// How many values were added.
    public private(set) var count: UInt64 = 0
    /// The sum of the values (wraps only past 584 years).
    public private(set) var total: UInt64 = 0
    /// The smallest value, or 0 when empty.
    public private(set) var minimum: UInt64 = 0
    /// The largest value, or 0 when empty.
    public private(set) var maximum: UInt64 = 0

    /// Creates an empty histogram.
    public init() {}

    /// Adds one value.
    public mutating func add(_ value: UInt64) {
        if counts.isEmpty { counts = [UInt64](repeating: 0, count: Self.bucketCount) }
        counts[Self.bucket(of: value)] += 1
        minimum = count == 0 ? value : min(minimum, value)
        maximum = max(maximum, value)
        count += 1
        total &+= value
    }

    /// The mean, rounded down; 0 when empty.
    public var mean: UInt64 { count == 0 ? 0 : total / count }

    /// The value at quantile `q` (0...1) by nearest rank, within the accuracy above; 0 when empty.
    public func value(atQuantile q: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = max(1, min(count, UInt64((q * Double(count)).rounded(.up))))
        if rank == count { return maximum }
        var seen: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank {
                let (low, width) = Self.range(of: index)
                return min(maximum, max(minimum, low + width / 2))
            }
        }
        return maximum
    }

    /// The bucket of `value`.
    static func bucket(of value: UInt64) -> Int {
        if value < UInt64(subBuckets) { return Int(value) }
        let shift = (63 - value.leadingZeroBitCount) - precisionBits
        let sub = Int(value >> UInt64(shift)) - subBuckets
        return subBuckets * (shift + 1) + sub
    }

    /// The lowest value of bucket `index` and its width.
    static func range(of index: Int) -> (low: UInt64, width: UInt64) {
        if index < subBuckets { return (UInt64(index), 1) }
        let shift = index / subBuckets - 1
        let sub = UInt64(index % subBuckets + subBuckets)
        return (sub << UInt64(shift), 1 << UInt64(shift))
    }
}
