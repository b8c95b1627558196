import ArgumentParser

/// What `export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    /// Chrome trace-event JSON, for Perfetto UI and chrome://tracing.
    case chrome
    /// One self-contained HTML page: timeline, statistics and latency histograms.
    case html
}
