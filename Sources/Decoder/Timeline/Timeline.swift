/// A terminal picture of a trace: one lane per thread (or session, module, job, caller), each
/// call a bar scaled to its duration (at least one column), each ``OperationSpan`` one bar
/// with a label, errors marked `!`, long idle gaps compressed to a labelled block, and a time
/// axis.
///
/// Two passes over the calls, memory bounded by the lanes, the width and the open operations:
/// ```swift
/// var timeline = Timeline(options: options)
/// for call in firstPass { timeline.scan(call) }
/// timeline.layOut()
/// for call in secondPass { timeline.draw(call) }
/// timeline.write(to: &output)
/// ```
public struct Timeline {
    /// What a lane groups.
    public enum LaneGrouping: String, Sendable, CaseIterable {
        case thread, session, module, job, caller
    }

    /// How the picture looks.
    public struct Options: Sendable {
        /// What each lane holds.
        public var grouping: LaneGrouping = .thread
        /// The total width in columns.
        public var width = 100
        /// Whether to colour with ANSI escapes.
        public var color = false
        /// Creates the default options.
        public init() {}
    }

    let options: Options
    // Pass 1.
    private var lanes: [String] = []
    private var laneIndex: [String: Int] = [:]
    private var firstStart: UInt64?
    private var busyEnd: UInt64 = 0
    private var callCount = 0
    /// The longest idle gaps seen (start, end), at most ``maximumGaps``.
    private var gaps: [(start: UInt64, end: UInt64)] = []
    static let maximumGaps = 8
    // Layout.
    var scale = TimeScale()
    // Pass 2.
    private var rows: [[Cell]] = []
    private var grouper = OperationSpanGrouper()
    private var spanLane: [Int: Int] = [:]
    private var labels: [(lane: Int, first: Int, last: Int, text: String, short: String)] = []

    /// Creates an empty timeline.
    public init(options: Options) {
        self.options = options
    }

    /// The lane of `call` under the options' grouping.
    func laneName(of call: DecodedCall) -> String {
        switch options.grouping {
        case .thread: return "thread \(call.threadID)"
        case .session: return CallFilter.sessionHandles(of: call).first.map { "session \(Hex.number($0))" } ?? "(no session)"
        case .module: return call.moduleName
        case .job: return call.context.map(\.job).flatMap { $0 == 0 ? nil : "job #\($0)" } ?? "(no job)"
        case .caller: return call.context?.callerName ?? "(no caller)"
        }
    }

    // MARK: Pass 1

    /// First pass: learns the lanes, the time range and the idle gaps.
    public mutating func scan(_ call: DecodedCall) {
        let lane = laneName(of: call)
        if laneIndex[lane] == nil {
            laneIndex[lane] = lanes.count
            lanes.append(lane)
        }
        callCount += 1
        let end = call.startNanoseconds &+ max(1, call.durationNanoseconds)
        guard firstStart != nil else {
            firstStart = call.startNanoseconds
            busyEnd = end
            return
        }
        if call.startNanoseconds > busyEnd {
            gaps.append((busyEnd, call.startNanoseconds))
            if gaps.count > Self.maximumGaps {
                gaps.remove(at: gaps.indices.min { gaps[$0].end - gaps[$0].start < gaps[$1].end - gaps[$1].start }!)
            }
        }
        busyEnd = max(busyEnd, end)
    }

    /// Ends the first pass: chooses which gaps to compress and maps time to columns.
    /// A gap is compressed when it is longer than a tenth of the trace and 1 ms.
    public mutating func layOut() {
        let start = firstStart ?? 0
        let labelWidth = min(24, lanes.map(\.count).max() ?? 0)
        let threshold = max(1_000_000, (busyEnd &- start) / 10)
        let compressed = gaps.filter { $0.end - $0.start > threshold }.sorted { $0.start < $1.start }
        scale = TimeScale(start: start, end: busyEnd, gaps: compressed, columns: max(10, options.width - labelWidth - 2))
        rows = Array(repeating: Array(repeating: Cell(), count: scale.columns), count: lanes.count)
        for gap in scale.gapColumns {
            for lane in rows.indices { for column in gap.columns { rows[lane][column] = Cell(character: "~", style: .idle, priority: 1) } }
        }
    }

    // MARK: Pass 2

    /// Second pass: draws a call (the same calls as the first pass, in order).
    public mutating func draw(_ call: DecodedCall) {
        guard let lane = laneIndex[laneName(of: call)] else { return }
        let step = grouper.add(call)
        let first = scale.column(of: call.startNanoseconds)
        let last = max(first, scale.column(of: call.startNanoseconds &+ max(1, call.durationNanoseconds) - 1))
        if !call.returnValue.isOK {
            put(Cell(character: "!", style: .error, priority: 5), lane: lane, first...first)
        } else if !step.isInSpan {
            put(Cell(character: "#", style: .call, priority: 2), lane: lane, first...last)
        }
        if step.isInSpan, call.function.name.hasSuffix("Init") { spanLane[call.sequence] = lane }
        for span in step.ended { draw(span) }
    }

    /// Ends the second pass: draws the operations still open.
    public mutating func finish() {
        for span in grouper.finish() { draw(span) }
    }

    private mutating func draw(_ span: OperationSpan) {
        guard let lane = spanLane.removeValue(forKey: span.sequences[0]) else { return }
        let first = scale.column(of: span.startNanoseconds)
        let last = max(first, scale.column(of: span.endNanoseconds &- 1))
        put(Cell(character: "=", style: .span, priority: 3), lane: lane, first...last)
        if last > first {
            put(Cell(character: "[", style: .span, priority: 3), lane: lane, first...first)
            put(Cell(character: "]", style: .span, priority: 3), lane: lane, last...last)
        }
        if labels.count < 4 * scale.columns {
            labels.append((lane, first, last, span.label, String(span.kind.initFunction.dropLast(4))))
        }
    }

    private mutating func put(_ cell: Cell, lane: Int, _ columns: ClosedRange<Int>) {
        for column in columns where column < scale.columns && rows[lane][column].priority <= cell.priority {
            rows[lane][column] = cell
        }
    }

    /// Labels go inside their bar when they fit, else just after it on free columns.
    private mutating func placeLabels() {
        for label in labels {
            for text in [label.text, label.short] {
                let inside = label.last - label.first - 1
                if text.count <= inside {
                    write(text, lane: label.lane, at: label.first + 1, style: .span)
                    break
                }
                let start = label.last + 1, end = start + text.count
                if end < scale.columns, rows[label.lane][start...end].allSatisfy({ $0.priority == 0 }) {
                    write(text, lane: label.lane, at: start, style: .label)
                    break
                }
            }
        }
        labels = []
    }

    private mutating func write(_ text: String, lane: Int, at column: Int, style: Cell.Style) {
        for (offset, character) in text.enumerated() where column + offset < scale.columns {
            rows[lane][column + offset] = Cell(character: character, style: style, priority: 4)
        }
    }

    // MARK: Output

    /// Writes the picture.
    public mutating func write(to output: inout some TextOutputStream) {
        placeLabels()
        let labelWidth = min(24, lanes.map(\.count).max() ?? 0)
        func pad(_ text: String) -> String {
            let cut = String(text.prefix(labelWidth))
            return cut + String(repeating: " ", count: labelWidth - cut.count)
        }
        let d = TimeFormat.duration(nanoseconds:)
        output.write("\(callCount) calls in \(d(busyEnd &- (firstStart ?? busyEnd))), \(lanes.count) lane\(lanes.count == 1 ? "" : "s") by \(options.grouping.rawValue); "
            + "one column ~ \(d(scale.nanosecondsPerColumn))\n")
        output.write("legend: # call  [=] operation  ! error  ~ idle\n")
        for (lane, name) in lanes.enumerated() {
            output.write(pad(name) + " |" + render(rows[lane]) + "\n")
        }
        for line in scale.axis() {
            output.write(String(repeating: " ", count: labelWidth) + "  " + paint(line, style: .idle) + "\n")
        }
    }

    private func render(_ row: [Cell]) -> String {
        var text = ""
        var run = "", style = Cell.Style.none
        for cell in row {
            if cell.style != style {
                text += paint(run, style: style)
                run = ""
                style = cell.style
            }
            run.append(cell.character)
        }
        var line = text + paint(run, style: style)
        while line.last == " " { line.removeLast() }
        return line
    }

    private func paint(_ text: String, style: Cell.Style) -> String {
        guard options.color, !text.isEmpty, let code = style.ansi else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// One column of a lane.
struct Cell {
    enum Style {
        case none, call, span, label, error, idle
        var ansi: String? {
            switch self {
            case .none, .call: nil
            case .span: "36"
            case .label: "36;2"
            case .error: "1;31"
            case .idle: "2"
            }
        }
    }

    var character: Character = " "
    var style = Style.none
    /// Higher priorities overwrite lower ones: empty, idle, call, operation, label, error.
    var priority = 0
}
