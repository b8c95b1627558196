/// Tallies by key (session, thread, job, caller) for ``Statistics``, in the order keys first
/// appear, with the last few keys remembered so that the calls of a busy trace, which keep
/// naming the same handful of keys, seldom hash one.
struct TallyTable<Key: Hashable & Sendable>: Sendable {
    /// How many recently used keys are remembered.
    private static var recentCapacity: Int { 4 }

    private var keys: [Key] = []
    private var tallies: [Statistics.Tally] = []
    private var positions: [Key: Int] = [:]
    private var recentKeys: [Key] = []
    private var recentPositions: [Int] = []
    private var nextRecent = 0

    /// Adds a call to the tally of `key`.
    ///
    /// - Returns: Whether `key` is new.
    @discardableResult
    mutating func add(_ key: Key, returnValue: ReturnValue, nanoseconds: UInt64) -> Bool {
        let (position, isNew) = position(of: key)
        tallies[position].add(returnValue: returnValue, nanoseconds: nanoseconds)
        return isNew
    }

    /// The position of `key`'s tally, made if new.
    private mutating func position(of key: Key) -> (position: Int, isNew: Bool) {
        for index in recentKeys.indices where recentKeys[index] == key {
            return (recentPositions[index], false)
        }
        let position: Int
        var isNew = false
        if let known = positions[key] {
            position = known
        } else {
            position = keys.count
            keys.append(key)
            tallies.append(Statistics.Tally())
            positions[key] = position
            isNew = true
        }
        if recentKeys.count < Self.recentCapacity {
            recentKeys.append(key)
            recentPositions.append(position)
        } else {
            recentKeys[nextRecent] = key
            recentPositions[nextRecent] = position
            nextRecent = (nextRecent + 1) % Self.recentCapacity
        }
        return (position, isNew)
    }

    /// The tallies by key.
    var dictionary: [Key: Statistics.Tally] {
        Dictionary(uniqueKeysWithValues: zip(keys, tallies))
    }
}
