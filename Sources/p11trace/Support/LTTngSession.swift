import ArgumentParser
import Foundation

/// An LTTng tracing session of p11trace's own, driven through the `lttng` command of
/// lttng-tools: created with a unique name, enabled for the `p11trace:*` events only, and
/// destroyed by name, so that other sessions are never touched (never `lttng destroy -a`);
/// the user's current session (`~/.lttngrc`) is left as it was.
struct LTTngSession {
    /// Why the session could not be set up.
    enum Failure: Error, CustomStringConvertible {
        /// An `lttng` command failed; its arguments and what it printed.
        case command([String], output: String)
        /// The `lttng` or `lttng-sessiond` program could not be run.
        case cannotRun(String, reason: String)

        var description: String {
            switch self {
            case .command(let arguments, let output):
                "\(arguments.joined(separator: " ")) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
            case .cannotRun(let program, let reason):
                "cannot run \(program) (install lttng-tools): \(reason)"
            }
        }
    }

    /// Where the events go: a local trace directory, or a relay daemon's URL.
    enum Destination {
        case directory(String)
        /// `net://HOST[:CONTROL_PORT[:DATA_PORT]]`; `live` makes it a live session that viewers
        /// can attach to while it runs.
        case relay(url: String, live: Bool)
    }

    /// The session's name: `p11trace-<pid>-<time>`, unique on the machine.
    let name: String
    let destination: Destination

    init(destination: Destination) {
        self.name = "p11trace-\(getpid())-\(Int(Date().timeIntervalSince1970))"
        self.destination = destination
    }

    /// Runs `body` (the traced command) in the session: starts a session daemon if none
    /// answers, creates and starts the session, and stops and destroys it afterwards, whatever
    /// happened; then says where the trace is. Failures are reported on standard error.
    ///
    /// - Returns: What `body` returned (the command's exit status).
    /// - Throws: `ExitCode(2)` when the session could not be set up; the exit status `env`
    ///   uses when the command could not be started.
    func record(_ body: () throws(ChildProcess.LaunchError) -> Int32) throws -> Int32 {
        do throws(Failure) {
            if try Self.ensureDaemon() {
                StandardStream.error.report("no LTTng session daemon was running: started one (lttng-sessiond --daemonize)")
            }
            try start()
        } catch {
            StandardStream.error.report(error.description)
            throw ExitCode(2)
        }
        let status: Int32
        do throws(ChildProcess.LaunchError) {
            status = try body()
        } catch {
            stopAndDestroy()
            StandardStream.error.report(error.description)
            throw ExitCode(error.exitStatus)
        }
        stopAndDestroy()
        switch destination {
        case .directory(let path): LTTngSummary(directory: path, session: name).report()
        case .relay(let url, _): StandardStream.error.report("events streamed to \(url) (session \(name))")
        }
        return status
    }

    /// Starts a session daemon for the user when none answers.
    ///
    /// - Returns: Whether one was started.
    static func ensureDaemon() throws(Failure) -> Bool {
        if (try? run(["list"])) != nil { return false }
        _ = try run(["--daemonize"], program: "lttng-sessiond")
        return true
    }

    /// Creates the session and starts tracing the `p11trace:*` events of every process.
    private func start() throws(Failure) {
        // `lttng create` makes the new session the user's current one (in ~/.lttngrc); every
        // command here names the session, so the user's choice is put back at once.
        let current = Self.currentSessionFile
        let saved = FileManager.default.contents(atPath: current)
        defer {
            if let saved {
                _ = FileManager.default.createFile(atPath: current, contents: saved)
            } else {
                try? FileManager.default.removeItem(atPath: current)
            }
        }
        switch destination {
        case .directory(let path):
            _ = try Self.run(["create", name, "--output=\(path)"])
        case .relay(let url, let live):
            _ = try Self.run(["create", name, "--set-url=\(url)"] + (live ? ["--live"] : []))
        }
        do throws(Failure) {
            // A channel of our own with more room than the default (4 x 512 KiB per CPU), so
            // that bursts of calls are not discarded while the consumer catches up.
            _ = try Self.run(["enable-channel", "--userspace", "--session=\(name)", "--subbuf-size=1M",
                              "--num-subbuf=8", "p11trace"])
            _ = try Self.run(["enable-event", "--userspace", "--session=\(name)", "--channel=p11trace", "p11trace:*"])
            _ = try Self.run(["start", name])
        } catch {
            destroy()
            throw error
        }
    }

    /// Stops tracing (waiting until the buffers are flushed to the trace) and destroys the
    /// session; the trace stays. Failures are reported, not thrown: the command has run.
    private func stopAndDestroy() {
        do throws(Failure) {
            _ = try Self.run(["stop", name])
        } catch {
            StandardStream.error.report(error.description)
        }
        destroy()
    }

    private func destroy() {
        do throws(Failure) {
            _ = try Self.run(["destroy", name])
        } catch {
            StandardStream.error.report(error.description)
        }
    }

    /// Where the `lttng` command keeps the user's current session: `$LTTNG_HOME/.lttngrc`, or
    /// `$HOME/.lttngrc`.
    private static var currentSessionFile: String {
        let environment = ProcessInfo.processInfo.environment
        return (environment["LTTNG_HOME"] ?? environment["HOME"] ?? NSHomeDirectory()) + "/.lttngrc"
    }

    /// Runs `lttng ARGUMENTS` (or another lttng-tools program), its output captured.
    ///
    /// - Returns: What it printed.
    @discardableResult
    private static func run(_ arguments: [String], program: String = "lttng") throws(Failure) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            throw .cannotRun(program, reason: error.localizedDescription)
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 { throw .cannotRun(program, reason: "not found") }
        guard process.terminationStatus == 0 else { throw .command([program] + arguments, output: output) }
        return output
    }
}
