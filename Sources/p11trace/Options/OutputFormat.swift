import ArgumentParser

/// How `decode` prints calls.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// A summary, then one header line per call and one line per argument.
    case text
    /// One JSON object per call and line.
    case jsonl
    /// The layout of p11-kit's `log-calls: yes` (docs/p11-kit-format.md).
    case p11Kit = "p11-kit"
}
