import ArgumentParser

/// The live text backend's options of `record`.
struct TextOptions: ParsableArguments {
    @Flag(help: "Print the calls as they happen (P11TRACE_BACKEND=text, or both with -o).")
    var text = false

    @Option(help: ArgumentHelp("Where --text writes: stderr (the default) or a file, appended to; %p as for -o.",
                               valueName: "file"))
    var textOutput: String?

    @Flag(inversion: .prefixedNo, help: "With --text, print each call's inputs before the module runs too.")
    var textInputs = true

    func validate() throws {
        if let textOutput, textOutput.isEmpty || textOutput.hasSuffix("/") {
            throw ValidationError("The text output file name is empty.")
        }
        if textOutput != nil, !text { throw ValidationError("--text-output needs --text.") }
    }

    /// The text file, unless the text goes to standard error.
    var files: TraceFiles? {
        textOutput.flatMap { $0 == "stderr" ? nil : TraceFiles(output: $0) }
    }

    /// Sets the interposer's text variables; `binary` says whether the binary log is written too.
    func apply(to environment: inout [String: String], binary: Bool) {
        environment["P11TRACE_BACKEND"] = text ? (binary ? "both" : "text") : "binary"
        environment["P11TRACE_TEXT_OUTPUT"] = text ? files?.absolutePattern ?? "stderr" : nil
        environment["P11TRACE_TEXT_INPUTS"] = text && !textInputs ? "0" : nil
    }
}
