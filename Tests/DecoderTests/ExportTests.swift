import Foundation
import Testing
@testable import Decoder

@Suite("Exporters")
struct ExportTests {
    /// Exports AnalysisSamples' trace with `exporter`.
    private func export(_ make: (LogHeader) -> some TraceExporter) throws -> String {
        try TemporaryLog.with(AnalysisSamples.log().bytes()) { path in
            let reader = try LogReader(path: path)
            var exporter = make(reader.header)
            var output = CapturedText()
            try reader.export(with: &exporter, to: &output)
            return output.text
        }
    }

    private func chromeEvents() throws -> [[String: Any]] {
        let text = try export { ChromeTraceWriter(header: $0) }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["displayTimeUnit"] as? String == "ns")
        #expect((document["metadata"] as? [String: Any])?["calls"] as? Int == 13)
        return try #require(document["traceEvents"] as? [[String: Any]])
    }

    @Test("chrome: one complete event per call, with seq, rv name and arguments; errors marked")
    func completeEvents() throws {
        let calls = try chromeEvents().filter { $0["ph"] as? String == "X" }
        #expect(calls.count == 13)
        let failed = calls.filter { ($0["cat"] as? String)?.hasSuffix(",error") == true }
        #expect(failed.compactMap { $0["name"] as? String } == ["C_Sign", "C_Sign", "C_Login", "C_EncryptInit"])
        for event in calls {
            let args = try #require(event["args"] as? [String: Any])
            #expect(args["seq"] is Int && (args["rv"] as? String)?.hasPrefix("CKR_") == true)
            #expect((event["cname"] as? String == "terrible") == (args["rv"] as? String != "CKR_OK"))
        }
    }

    @Test("chrome: flows link Init, Update and Final per session; a length query or CKR_BUFFER_TOO_SMALL keeps the operation open")
    func flows() throws {
        let events = try chromeEvents()
        var seqAt: [String: Int] = [:]
        for event in events where event["ph"] as? String == "X" {
            seqAt["\(event["tid"]!)@\(event["ts"]!)"] = (event["args"] as? [String: Any])?["seq"] as? Int
        }
        var flows: [Int: [String]] = [:]
        for event in events {
            guard let phase = event["ph"] as? String, "stf".contains(phase), let id = event["id"] as? Int else { continue }
            let seq = seqAt["\(event["tid"]!)@\(event["ts"]!)"].map(String.init) ?? "?"
            flows[id, default: []].append("\(phase)\(seq)")
        }
        #expect(Set(flows.values) == [["s2", "t4", "f5"], ["s3", "t6", "f7"], ["s8", "t9", "f10"]])
    }

    @Test("chrome: times in µs with the nanoseconds as decimals", arguments: [
        (UInt64(0), "0"), (1_500, "1.5"), (1_001, "1.001"), (999, "0.999"), (12_345_678, "12345.678"), (7_000, "7"),
    ])
    func microseconds(nanoseconds: UInt64, text: String) {
        #expect(ChromeTraceWriter.microseconds(nanoseconds) == text)
    }

    @Test("html: one data row per call, inline scripts and style only, no </script> inside the data")
    func html() throws {
        let text = try export { HTMLReportWriter(header: $0) }
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.hasSuffix("</html>\n"))
        let start = try #require(text.range(of: "\"calls\":[\n"))
        let end = try #require(text.range(of: "\n]}</script>"))
        let rows = text[start.upperBound..<end.lowerBound].split(separator: "\n")
        #expect(rows.count == 13)
        #expect(rows.first?.hasPrefix("[1,0,") == true)
        #expect(!text.contains("src=") && !text.contains("<link"))
        #expect(text.components(separatedBy: "</script>").count == 3)
    }
}
