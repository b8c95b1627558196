import ArgumentParser
import Decoder

/// `export --by`: what each lane of a Chrome trace holds.
enum ExportLanes: String, ExpressibleByArgument, CaseIterable {
    case thread, job, caller

    var lanes: ChromeTraceWriter.Lanes { ChromeTraceWriter.Lanes(rawValue: rawValue)! }
}
