/// Spellings of times and durations shared by the renderers.
public enum TimeFormat {
    /// A duration with a unit that keeps it short: `850ns`, `7.3us`, `12.4ms`, `1.235s`.
    public static func duration(nanoseconds: UInt64) -> String {
        var text = TextBuffer()
        appendDuration(nanoseconds: nanoseconds, to: &text)
        return text.string
    }

    /// Appends ``duration(nanoseconds:)``.
    static func appendDuration(nanoseconds: UInt64, to text: inout TextBuffer) {
        if nanoseconds < 1_000 {
            text.appendDecimal(nanoseconds)
            text.append("ns")
            return
        }
        // Tenths of a microsecond, else of a millisecond, while they fit in four digits.
        if appendTenths(nanoseconds, per: 1_000, unit: "us", to: &text)
            || appendTenths(nanoseconds, per: 1_000_000, unit: "ms", to: &text) {
            return
        }
        let milliseconds = nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 >= 500_000 ? 1 : 0)
        text.appendDecimal(milliseconds / 1_000)
        text.append(ascii: ".")
        text.appendDecimal(milliseconds % 1_000, width: 3)
        text.append(ascii: "s")
    }

    /// Appends `nanoseconds` in tenths of `divisor` with `unit` (`7.3us`) if that takes at
    /// most four digits; returns whether it did.
    private static func appendTenths(_ nanoseconds: UInt64, per divisor: UInt64, unit: StaticString,
                                     to text: inout TextBuffer) -> Bool {
        let tenths = (nanoseconds / divisor) * 10 + ((nanoseconds % divisor) * 10 + divisor / 2) / divisor
        guard tenths < 10_000 else { return false }
        text.appendDecimal(tenths / 10)
        text.append(ascii: ".")
        text.appendDecimal(tenths % 10)
        text.append(unit)
        return true
    }

    /// Seconds with nanosecond digits and a sign: `+0.001234567s`.
    public static func offset(nanoseconds: Int64) -> String {
        var text = TextBuffer()
        appendOffset(nanoseconds: nanoseconds, to: &text)
        return text.string
    }

    /// Appends ``offset(nanoseconds:)``.
    static func appendOffset(nanoseconds: Int64, to text: inout TextBuffer) {
        text.append(ascii: nanoseconds < 0 ? "-" : "+")
        let magnitude = nanoseconds.magnitude
        text.appendDecimal(magnitude / 1_000_000_000)
        text.append(ascii: ".")
        text.appendDecimal(magnitude % 1_000_000_000, width: 9)
        text.append(ascii: "s")
    }

    /// An RFC 3339 UTC time with nanoseconds: `2025-11-24T10:50:00.123456789Z`.
    ///
    /// - Parameter nanoseconds: Nanoseconds since the Unix epoch.
    public static func rfc3339(nanoseconds: Int64) -> String {
        var text = TextBuffer()
        appendRFC3339(nanoseconds: nanoseconds, to: &text)
        return text.string
    }

    /// Appends ``rfc3339(nanoseconds:)``.
    static func appendRFC3339(nanoseconds: Int64, to text: inout TextBuffer) {
        let (seconds, fraction) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let wholeSeconds = fraction < 0 ? seconds - 1 : seconds
        let nanos = fraction < 0 ? fraction + 1_000_000_000 : fraction
        let (days, secondOfDay) = floorDivide(wholeSeconds, 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        text.appendDecimal(UInt64(max(0, year)), width: 4)
        text.append(ascii: "-")
        text.appendDecimal(UInt64(month), width: 2)
        text.append(ascii: "-")
        text.appendDecimal(UInt64(day), width: 2)
        text.append(ascii: "T")
        text.appendDecimal(UInt64(secondOfDay / 3_600), width: 2)
        text.append(ascii: ":")
        text.appendDecimal(UInt64(secondOfDay / 60 % 60), width: 2)
        text.append(ascii: ":")
        text.appendDecimal(UInt64(secondOfDay % 60), width: 2)
        text.append(ascii: ".")
        text.appendDecimal(UInt64(nanos), width: 9)
        text.append(ascii: "Z")
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// The proleptic Gregorian date of a day count (H. Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
