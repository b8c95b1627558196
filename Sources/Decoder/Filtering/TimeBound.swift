/// One end of a time window (`--from`, `--to`): seconds since the trace's first call, or a
/// wall-clock time.
public enum TimeBound: Hashable, Sendable {
    /// Nanoseconds since the start of the first call of the (unfiltered) trace.
    case sinceFirstCall(nanoseconds: Int64)
    /// Nanoseconds since the Unix epoch.
    case wallClock(nanoseconds: Int64)

    /// Parses `2.5`, `2.5s`, `+0.001234567s` (as the text format prints offsets) or an
    /// RFC 3339 time such as `2025-11-24T10:50:00.5Z` or `2025-11-24T11:50:00+01:00`.
    ///
    /// - Returns: The bound, or `nil` when `text` is neither.
    public init?(parsing text: String) {
        if let seconds = Self.seconds(Array(text.utf8)) {
            self = .sinceFirstCall(nanoseconds: seconds)
        } else if let time = Self.rfc3339(Array(text.utf8)) {
            self = .wallClock(nanoseconds: time)
        } else {
            return nil
        }
    }

    /// The bound's position on the call's time axis: positive distance from the first call
    /// or from the epoch, whichever the bound counts from.
    func compare(_ call: DecodedCall, firstStart: UInt64) -> (call: Int64, bound: Int64) {
        switch self {
        case .sinceFirstCall(let nanoseconds):
            return (Int64(bitPattern: call.startNanoseconds &- firstStart), nanoseconds)
        case .wallClock(let nanoseconds):
            return (call.wallClockNanoseconds, nanoseconds)
        }
    }

    /// `[+]digits[.digits][s]` as nanoseconds.
    private static func seconds(_ bytes: [UInt8]) -> Int64? {
        var s = bytes[...]
        if s.first == UInt8(ascii: "+") { s.removeFirst() }
        if s.last == UInt8(ascii: "s") { s.removeLast() }
        let parts = s.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 9, let seconds = digits(whole) else { return nil }
        var nanoseconds = seconds * 1_000_000_000
        if parts.count == 2 {
            guard let fraction = fraction(parts[1]) else { return nil }
            nanoseconds += fraction
        }
        return nanoseconds
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` as nanoseconds since the epoch.
    private static func rfc3339(_ bytes: [UInt8]) -> Int64? {
        let b = bytes
        guard b.count >= 20 else { return nil }
        func field(_ start: Int, _ count: Int) -> Int64? { digits(b[start..<start + count]) }
        func at(_ index: Int, _ ascii: Unicode.Scalar) -> Bool { b[index] == UInt8(ascii: ascii) }
        guard let year = field(0, 4), at(4, "-"), let month = field(5, 2), at(7, "-"), let day = field(8, 2),
              at(10, "T") || at(10, "t") || at(10, " "),
              let hour = field(11, 2), at(13, ":"), let minute = field(14, 2), at(16, ":"), let second = field(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var nanoseconds: Int64 = 0
        if at(index, ".") {
            var end = index + 1
            while end < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[end]) { end += 1 }
            guard let fraction = fraction(b[(index + 1)..<end]) else { return nil }
            nanoseconds = fraction
            index = end
        }
        guard index < b.count else { return nil }
        var zoneOffset: Int64 = 0
        if (at(index, "Z") || at(index, "z")) && index + 1 == b.count {
            zoneOffset = 0
        } else if (at(index, "+") || at(index, "-")) && index + 6 == b.count && at(index + 3, ":"),
                  let zoneHours = field(index + 1, 2), let zoneMinutes = field(index + 4, 2) {
            zoneOffset = (zoneHours * 60 + zoneMinutes) * 60 * (at(index, "-") ? -1 : 1)
        } else {
            return nil
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - zoneOffset
        return seconds * 1_000_000_000 + nanoseconds
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Decimal fraction digits as nanoseconds (digits past the ninth are ignored).
    private static func fraction(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var value: Int64 = 0
        for (position, byte) in bytes.enumerated() {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            if position < 9 { value = value * 10 + Int64(byte - UInt8(ascii: "0")) }
        }
        for _ in min(bytes.count, 9)..<9 { value *= 10 }
        return value
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
