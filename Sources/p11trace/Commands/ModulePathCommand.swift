import ArgumentParser

/// `p11trace module-path`: prints where the interposer module is.
struct ModulePathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "module-path",
        abstract: "Prints the absolute path of the interposer module, libp11trace.so.",
        discussion: """
            Looks in $P11TRACE_MODULE_PATH, beside the p11trace executable, then in \
            ../lib/p11trace/ relative to it. Use it to configure a module path by hand, \
            for example in a p11-kit .module file.
            """
    )

    func run() throws {
        switch ModuleLocator.locate() {
        case .success(let path):
            print(path)
        case .failure(let error):
            StandardStream.error.report(error.description)
            throw ExitCode(2)
        }
    }
}
