import ArgumentParser

/// How `decode` prints calls.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// A summary, then one header line per call and one line per argument.
    case text
    /// One JSON object per call and line.
    case jsonl
}
