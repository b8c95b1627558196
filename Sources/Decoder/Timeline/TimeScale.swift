/// Maps trace time to timeline columns: busy segments share the columns in proportion to
/// their length; each compressed idle gap takes a fixed block labelled `~~ 1.2s idle ~~`.
struct TimeScale {
    struct Segment {
        var start: UInt64, end: UInt64
        var columns: Range<Int>
    }

    struct Gap {
        var nanoseconds: UInt64
        var columns: Range<Int>
        var label: String
    }

    private(set) var segments: [Segment] = []
    private(set) var gapColumns: [Gap] = []
    private(set) var columns = 10

    init() {}

    init(start: UInt64, end: UInt64, gaps: [(start: UInt64, end: UInt64)], columns: Int) {
        self.columns = columns
        var gaps = gaps
        var labels = gaps.map { "~~ \(TimeFormat.duration(nanoseconds: $0.end - $0.start)) idle ~~" }
        // Keep at least half the columns for the calls.
        while !gaps.isEmpty, labels.reduce(0, { $0 + $1.count }) > columns / 2 {
            let shortest = gaps.indices.min { gaps[$0].end - gaps[$0].start < gaps[$1].end - gaps[$1].start }!
            gaps.remove(at: shortest)
            labels.remove(at: shortest)
        }
        var bounds: [(UInt64, UInt64)] = []
        var from = start
        for gap in gaps {
            bounds.append((from, gap.start))
            from = gap.end
        }
        bounds.append((from, max(end, from + 1)))
        let busy = bounds.reduce(UInt64(0)) { $0 + ($1.1 - $1.0) }
        let free = columns - labels.reduce(0) { $0 + $1.count }
        var column = 0
        var remaining = busy
        var freeLeft = free
        for (index, (segmentStart, segmentEnd)) in bounds.enumerated() {
            let length = segmentEnd - segmentStart
            let share = index == bounds.count - 1 ? freeLeft
                : max(1, min(freeLeft - (bounds.count - 1 - index), Int((Double(length) / Double(max(1, remaining)) * Double(freeLeft)).rounded())))
            segments.append(Segment(start: segmentStart, end: segmentEnd, columns: column..<column + share))
            column += share
            freeLeft -= share
            remaining -= length
            if index < gaps.count {
                gapColumns.append(Gap(nanoseconds: gaps[index].end - gaps[index].start,
                                      columns: column..<column + labels[index].count, label: labels[index]))
                column += labels[index].count
            }
        }
    }

    /// The time one column of the longest segment stands for.
    var nanosecondsPerColumn: UInt64 {
        segments.map { ($0.end - $0.start) / UInt64(max(1, $0.columns.count)) }.max() ?? 0
    }

    /// The column of time `t`.
    func column(of t: UInt64) -> Int {
        guard let first = segments.first else { return 0 }
        var segment = first
        for candidate in segments where t >= candidate.start { segment = candidate }
        let offset = min(t, segment.end) &- segment.start
        let length = max(1, segment.end - segment.start)
        let column = segment.columns.lowerBound + Int(Double(offset) / Double(length) * Double(segment.columns.count))
        return min(max(segment.columns.lowerBound, column), segment.columns.upperBound - 1)
    }

    /// The axis: a ruler with `+` at ticks and the gaps' labels, then the tick times (since
    /// the first call) under the ticks.
    func axis() -> [String] {
        var ruler = [Character](repeating: "-", count: columns)
        var times = [Character](repeating: " ", count: columns + 12)
        let origin = segments.first?.start ?? 0
        var nextFree = 0
        for segment in segments {
            let tickEvery = 20
            for column in stride(from: segment.columns.lowerBound, to: segment.columns.upperBound, by: tickEvery) {
                ruler[column] = "+"
                let t = segment.start + UInt64(Double(column - segment.columns.lowerBound) / Double(max(1, segment.columns.count))
                                               * Double(segment.end - segment.start))
                let text = Array(t == origin ? "0" : TimeFormat.duration(nanoseconds: t - origin))
                guard column >= nextFree, column + text.count <= times.count else { continue }
                times.replaceSubrange(column..<column + text.count, with: text)
                nextFree = column + text.count + 1
            }
        }
        for gap in gapColumns {
            ruler.replaceSubrange(gap.columns, with: Array(gap.label))
        }
        var timeLine = String(times)
        while timeLine.last == " " { timeLine.removeLast() }
        return [String(ruler), timeLine]
    }
}
