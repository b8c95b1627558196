/// The findings of one check, rendered as text or JSON.
public struct CheckReport {
    public var findings: [CheckFinding]
    /// Functions of the trace whose return codes could not be checked (no list in the table).
    public var uncheckedFunctions: [String]

    /// - Parameters:
    ///   - findings: What the checker found.
    ///   - functionsSeen: The names of the functions the trace called (not the calls: a check
    ///     streams over the trace and keeps no call).
    public init(findings: [CheckFinding], functionsSeen: Set<String>) {
        self.findings = findings
        self.uncheckedFunctions = functionsSeen.filter { FunctionSchema.returnValuesUnknown.contains($0) }.sorted()
    }

    /// True when any finding has error severity.
    public var hasErrors: Bool { findings.contains { $0.rule.severity == .error } }

    var groups: [(CheckRule, [CheckFinding])] {
        CheckRule.catalogue.compactMap { rule in
            let matching = findings.filter { $0.rule.id == rule.id }
            return matching.isEmpty ? nil : (rule, matching)
        }
    }

    /// Text: one block per rule with one line per finding.
    public func text() -> String {
        var out = ""
        for (rule, findings) in groups {
            out += "\(rule.severity.rawValue) \(rule.id) (\(rule.fault.rawValue) fault; \(rule.section)): \(findings.count)\n"
            out += "  \(rule.summary)\n"
            for finding in findings {
                let seqs = finding.sequences.map { "#\($0)" }.joined(separator: ",")
                let cost = finding.costNanoseconds.map { " [cost \($0 / 1000) us]" } ?? ""
                out += "  \(seqs): \(finding.message)\(cost)\n"
            }
        }
        let counts = CheckRule.Severity.allCases.map { s in "\(findings.filter { $0.rule.severity == s }.count) \(s.rawValue)(s)" }
        out += "summary: \(counts.joined(separator: ", "))\n"
        if !uncheckedFunctions.isEmpty {
            out += "return codes not checked (no list): \(uncheckedFunctions.joined(separator: ", "))\n"
        }
        return out
    }

    /// JSON: `{"rules": [{"id", "severity", "fault", "section", "summary", "findings": [{"seq", "message", "cost_ns"?}]}], ...}`.
    public func json() -> String {
        let rules: [JSONValue] = groups.map { rule, findings in
            .object([
                ("id", .string(rule.id)), ("severity", .string(rule.severity.rawValue)),
                ("fault", .string(rule.fault.rawValue)), ("section", .string(rule.section)),
                ("summary", .string(rule.summary)),
                ("findings", .array(findings.map { finding in
                    var members: [(String, JSONValue)] = [
                        ("seq", .array(finding.sequences.map { .number(UInt64($0)) })), ("message", .string(finding.message)),
                    ]
                    if let cost = finding.costNanoseconds { members.append(("cost_ns", .number(cost))) }
                    return .object(members)
                })),
            ])
        }
        let value = JSONValue.object([
            ("rules", .array(rules)),
            ("errors", .number(UInt64(findings.filter { $0.rule.severity == .error }.count))),
            ("unchecked_return_codes", .array(uncheckedFunctions.map { .string($0) })),
        ])
        var bytes: [UInt8] = []
        value.write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self) + "\n"
    }
}
