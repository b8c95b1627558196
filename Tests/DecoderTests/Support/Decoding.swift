import Testing
@testable import Decoder

/// What reading a log gave: the calls, then the error that stopped it (if any).
struct DecodeResult {
    var calls: [DecodedCall] = []
    var error: LogFormatError?
}

/// A `TextOutputStream` that keeps what is written, for capturing renderer output.
struct CapturedText: TextOutputStream {
    var text = ""
    mutating func write(_ string: String) { text += string }
    var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}

/// Renders a whole log with the renderer `make` builds from its header.
///
/// - Returns: The text and the number of calls rendered.
func render(_ bytes: [UInt8], _ make: (LogHeader) -> some CallRenderer) throws -> (text: String, count: Int) {
    let reader = try TemporaryLog.with(bytes) { try LogReader(path: $0) }
    var renderer = make(reader.header)
    var output = CapturedText()
    let count = try reader.render(with: &renderer, to: &output)
    return (output.text, count)
}

/// Opens and reads a whole log; errors (at open or while reading) end up in `error`.
/// Stops after `limit` calls so a looping reader fails the test instead of hanging it.
func decodeLog(_ bytes: [UInt8], limit: Int = 1_000_000) throws -> DecodeResult {
    try TemporaryLog.with(bytes) { path in
        var result = DecodeResult()
        do throws(LogFormatError) {
            let reader = try LogReader(path: path)
            var calls = reader.calls()
            while let call = try calls.next() {
                result.calls.append(call)
                if result.calls.count > limit { break }
            }
            // A finished iterator stays finished.
            let again = try calls.next()
            #expect(again == nil)
        } catch {
            result.error = error
        }
        expectSummariesAgree(path: path, with: result)
        return result
    }
}

/// The summaries of the log at `path` are those of its calls: the same calls, numbers and
/// facts, up to the damage that stopped the calls (summaries read fewer argument bytes, so
/// they may go further into a damaged log, never less far).
func expectSummariesAgree(path: String, with result: DecodeResult, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let reader = try? LogReader(path: path) else { return }
    var summaries = reader.summaries()
    var count = 0
    do throws(LogFormatError) {
        while let summary = try summaries.next(), count < result.calls.count {
            #expect(summary == CallSummary(result.calls[count]), "call #\(count + 1)", sourceLocation: sourceLocation)
            count += 1
        }
    } catch {
        #expect(result.error != nil, "summaries stopped at \(error) after \(count) calls", sourceLocation: sourceLocation)
    }
    #expect(count == result.calls.count, sourceLocation: sourceLocation)
}

/// The single call of a log holding one record of `function` with `values`.
func roundTrip(_ function: FunctionSchema, _ values: [DecodedValue], returnValue: UInt64 = 0) throws -> DecodedCall? {
    var writer = TestLogWriter()
    writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
    writer.addCalls(threadID: 7, index: 0, baseTime: writer.monotonicOrigin + 10, [
        TestLogWriter.Call(function: function.id, start: writer.monotonicOrigin + 1_000, returnValue: returnValue,
                           arguments: ValueEncoder.arguments(values, of: function)),
    ])
    let result = try decodeLog(writer.bytes())
    #expect(result.error == nil)
    #expect(result.calls.count == 1)
    return result.calls.first
}

/// The schema of the function named `name`.
func function(_ name: String) -> FunctionSchema {
    FunctionSchema.table.first { $0.name == name }!
}

/// The text lines of the arguments of `call`.
func textLines(_ call: DecodedCall, ulongSize: Int = 8) -> [String] {
    var header = try! LogHeader(bytes: TestLogWriter().bytes(), fileSize: 4096)
    header.ulongSize = ulongSize
    var renderer = TextRenderer(header: header)
    var output = CapturedText()
    renderer.write(call, to: &output)
    return Array(output.lines.dropFirst().filter { !$0.isEmpty })
}
