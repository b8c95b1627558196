extension TextRenderer {
    /// Writes the summary of the log: file, process, capture level, start time and modules.
    public mutating func writePreamble(for reader: LogReader, to output: inout some TextOutputStream) {
        let header = reader.header
        let writer = header.writerVersion.isEmpty ? "?" : header.writerVersion
        var lines = [
            reader.readsEvents ? "p11trace LTTng trace \(reader.path) (writer \(writer))"
                : "p11trace log \(reader.path) (format \(header.formatVersion), writer \(writer))",
            "  process:    \(header.processName) (pid \(header.pid), parent \(header.parentPID))",
            "  executable: \(header.executablePath)",
            "  command:    \(header.commandLine.isEmpty ? "(not recorded)" : header.commandLine)",
            "  capture:    \(header.captureLevel.name)",
            "  started:    \(TimeFormat.rfc3339(nanoseconds: Int64(bitPattern: header.wallClockOrigin)))",
        ]
        if header.wasSetUID {
            lines.append("  note:       set-uid process: environment configuration was ignored")
        }
        if reader.modules.isEmpty {
            lines.append("  modules:    none recorded")
        }
        for (position, module) in reader.modules.enumerated() {
            let tables = module.tables.map { "v\($0.version) (\($0.layoutName) layout)" }
            let details = [loadMethod(module.loadMethod)] + (tables.isEmpty ? [] : ["tables " + tables.joined(separator: ", ")])
            lines.append("  \(position == 0 ? "modules:   " : "           ") [\(module.index)] \(module.shortName) "
                + "\(module.path) (\(details.joined(separator: "; ")))")
        }
        for line in lines {
            output.write(line + "\n")
        }
        output.write("\n")
    }

    private func loadMethod(_ method: ModuleInfo.LoadMethod) -> String {
        switch method {
        case .configuration: "configured"
        case .preloadDlsym: "preload, dlsym"
        case .preloadEntryPoint: "preload, entry point"
        case .unknown(let raw): "load method \(raw)"
        }
    }
}
