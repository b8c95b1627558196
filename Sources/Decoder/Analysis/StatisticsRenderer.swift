/// Writes ``Statistics`` as aligned text tables, one JSON document or CSV tables
/// (docs/stats.md describes the JSON and CSV shapes).
public struct StatisticsRenderer {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text, json, csv
    }

    let statistics: Statistics
    /// The most windows listed under "busiest moments".
    public var windowLimit = 5

    /// Creates a renderer of `statistics` (after ``Statistics/finish()``).
    public init(_ statistics: Statistics) {
        self.statistics = statistics
    }

    /// Writes the statistics in `format`.
    public func write(_ format: Format, to output: inout some TextOutputStream) {
        switch format {
        case .text: writeText(to: &output)
        case .json: output.write(json.text + "\n")
        case .csv: writeCSV(to: &output)
        }
    }

    // MARK: Rows shared by the formats

    struct Row {
        var key: String
        var tally: Statistics.Tally
    }

    var sessionRows: [Row] {
        statistics.sessions.sorted { $0.key < $1.key }.map { key, tally in
            let session = key.session.map(Hex.number) ?? "(no session)"
            let name = statistics.moduleNames[key.module] ?? "module#\(key.module)"
            return Row(key: statistics.modules.count > 1 ? "\(session) \(name)" : session, tally: tally)
        }
    }

    var threadRows: [Row] { statistics.threads.sorted { $0.key < $1.key }.map { Row(key: String($0.key), tally: $0.value) } }
    var moduleRows: [Row] {
        statistics.modules.sorted { $0.key < $1.key }.map { Row(key: statistics.moduleNames[$0.key] ?? "module#\($0.key)", tally: $0.value) }
    }
    var jobRows: [Row] { statistics.jobs.sorted { $0.key < $1.key }.map { Row(key: "#\($0.key)", tally: $0.value) } }
    var callerRows: [Row] { statistics.callers.sorted { $0.key < $1.key }.map { Row(key: $0.key, tally: $0.value) } }
    var operationRows: [(OperationSpan.Kind, Statistics.OperationEntry)] {
        OperationSpan.Kind.allCases.compactMap { kind in statistics.operations[kind].map { (kind, $0) } }
    }

    /// `12.3%` of the time in calls.
    func share(_ nanoseconds: UInt64) -> String {
        let total = statistics.overall.nanoseconds
        guard total > 0 else { return "-" }
        let tenths = (nanoseconds * 1_000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func errorList(_ errors: [ReturnValue: UInt64]) -> [(ReturnValue, UInt64)] {
        errors.sorted { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }
    }

    // MARK: Text

    func writeText(to output: inout some TextOutputStream) {
        let d = TimeFormat.duration(nanoseconds:)
        let overall = statistics.overall
        output.write("\(overall.calls) calls, \(overall.errors) errors, \(d(overall.nanoseconds)) in calls, "
            + "\(d(statistics.elapsedNanoseconds)) from the first call's start to the last call's end\n")
        output.write("\nFunctions (percentiles within 0.4%)\n")
        var functions = TextTable(header: ["function", "calls", "errors", "total", "share", "mean", "p50", "p90", "p99", "max", "error codes"])
        functions.leftAligned = [0, 10]
        for entry in statistics.functionsByTime {
            let latency = entry.latency
            let codes = Self.errorList(entry.errors).map { "\($0.0.name) \($0.1)" }.joined(separator: ", ")
            functions.rows.append([entry.name, String(entry.tally.calls), String(entry.tally.errors), d(entry.tally.nanoseconds),
                                   share(entry.tally.nanoseconds), d(latency.mean), d(latency.value(atQuantile: 0.5)),
                                   d(latency.value(atQuantile: 0.9)), d(latency.value(atQuantile: 0.99)), d(latency.maximum), codes])
        }
        functions.write(to: &output)
        if !operationRows.isEmpty {
            output.write("\nOperations (Init to the call that ended them)\n")
            var table = TextTable(header: ["operation", "count", "completed", "failed", "abandoned", "unfinished", "mean", "p50", "p99", "max"])
            for (kind, entry) in operationRows {
                table.rows.append([kind.rawValue, String(entry.count), String(entry.completed), String(entry.failed),
                                   String(entry.abandoned), String(entry.unfinished), d(entry.elapsed.mean),
                                   d(entry.elapsed.value(atQuantile: 0.5)), d(entry.elapsed.value(atQuantile: 0.99)),
                                   d(entry.elapsed.maximum)])
            }
            table.write(to: &output)
        }
        for (title, rows) in [("Sessions", sessionRows), ("Threads", threadRows), ("Modules", moduleRows),
                              ("OpenSSL async jobs", jobRows), ("Callers", callerRows)] {
            output.write("\n\(title)\n")
            if rows.isEmpty {
                output.write("  (none recorded)\n")
                continue
            }
            var table = TextTable(header: [String(title.lowercased().dropLast()), "calls", "errors", "time", "share"])
            table.rows = rows.map { [$0.key, String($0.tally.calls), String($0.tally.errors), d($0.tally.nanoseconds), share($0.tally.nanoseconds)] }
            table.write(to: &output)
        }
        let windows = statistics.windows
        output.write("\nBusiest moments (\(d(windows.width)) windows, by calls)\n")
        var table = TextTable(header: ["from", "calls", "time"])
        table.rows = windows.busiest(limit: windowLimit).map { [TimeFormat.offset(nanoseconds: Int64($0.offset)), String($0.calls), d($0.nanoseconds)] }
        table.write(to: &output)
    }

    // MARK: JSON

    var json: JSONValue {
        func tally(_ tally: Statistics.Tally) -> [(String, JSONValue)] {
            [("calls", .number(tally.calls)), ("errors", .number(tally.errors)), ("time_ns", .number(tally.nanoseconds))]
        }
        func latency(_ histogram: LatencyHistogram) -> [(String, JSONValue)] {
            [("mean_ns", .number(histogram.mean)), ("min_ns", .number(histogram.minimum)),
             ("p50_ns", .number(histogram.value(atQuantile: 0.5))), ("p90_ns", .number(histogram.value(atQuantile: 0.9))),
             ("p99_ns", .number(histogram.value(atQuantile: 0.99))), ("max_ns", .number(histogram.maximum))]
        }
        func rows(_ rows: [Row], key: String) -> JSONValue {
            .array(rows.map { .object([(key, .string($0.key))] + tally($0.tally)) })
        }
        func windows(_ windows: [BusyWindows.Window]) -> JSONValue {
            .array(windows.map { .object([("offset_ns", .number($0.offset)), ("calls", .number($0.calls)), ("time_ns", .number($0.nanoseconds))]) })
        }
        let functions: [JSONValue] = statistics.functionsByTime.map { entry in
            let errors: [JSONValue] = Self.errorList(entry.errors).map {
                .object([("rv", .number($0.0.rawValue)), ("rv_name", .string($0.0.name)), ("count", .number($0.1))])
            }
            return .object([("function", .string(entry.name))] + tally(entry.tally) + latency(entry.latency)
                + [("errors_by_rv", .array(errors))])
        }
        let operations: [JSONValue] = operationRows.map { kind, entry in
            .object([("operation", .string(kind.rawValue)), ("count", .number(entry.count)),
                     ("completed", .number(entry.completed)), ("failed", .number(entry.failed)),
                     ("abandoned", .number(entry.abandoned)), ("unfinished", .number(entry.unfinished))]
                + latency(entry.elapsed))
        }
        return .object(tally(statistics.overall) + [
            ("elapsed_ns", .number(statistics.elapsedNanoseconds)),
            ("functions", .array(functions)),
            ("operations", .array(operations)),
            ("sessions", rows(sessionRows, key: "session")),
            ("threads", rows(threadRows, key: "thread")),
            ("modules", rows(moduleRows, key: "module")),
            ("jobs", rows(jobRows, key: "job")),
            ("callers", rows(callerRows, key: "caller")),
            ("busiest", .object([("window_ns", .number(statistics.windows.width)),
                                 ("by_calls", windows(statistics.windows.busiest(limit: windowLimit))),
                                 ("by_time", windows(statistics.windows.longest(limit: windowLimit)))])),
        ])
    }

    // MARK: CSV

    /// One table per section, each with its own header row whose first column is `section`,
    /// separated by an empty line. Times in ns.
    func writeCSV(to output: inout some TextOutputStream) {
        func line(_ cells: [String]) { output.write(cells.map(Self.csvField).joined(separator: ",") + "\n") }
        line(["section", "calls", "errors", "time_ns", "elapsed_ns"])
        let overall = statistics.overall
        line(["total", String(overall.calls), String(overall.errors), String(overall.nanoseconds), String(statistics.elapsedNanoseconds)])
        output.write("\n")
        line(["section", "function", "calls", "errors", "time_ns", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns", "error_codes"])
        for entry in statistics.functionsByTime {
            let l = entry.latency
            let codes = Self.errorList(entry.errors).map { "\($0.0.name)=\($0.1)" }.joined(separator: " ")
            line(["functions", entry.name, String(entry.tally.calls), String(entry.tally.errors), String(entry.tally.nanoseconds),
                  String(l.mean), String(l.value(atQuantile: 0.5)), String(l.value(atQuantile: 0.9)),
                  String(l.value(atQuantile: 0.99)), String(l.maximum), codes])
        }
        for (section, rows) in [("sessions", sessionRows), ("threads", threadRows), ("modules", moduleRows),
                                ("jobs", jobRows), ("callers", callerRows)] {
            output.write("\n")
            line(["section", "key", "calls", "errors", "time_ns"])
            for row in rows { line([section, row.key, String(row.tally.calls), String(row.tally.errors), String(row.tally.nanoseconds)]) }
        }
        output.write("\n")
        line(["section", "offset_ns", "window_ns", "calls", "time_ns"])
        for window in statistics.windows.busiest(limit: windowLimit) {
            line(["busiest", String(window.offset), String(statistics.windows.width), String(window.calls), String(window.nanoseconds)])
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
