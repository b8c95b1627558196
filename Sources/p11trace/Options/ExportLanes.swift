import ArgumentParser
import Decoder

/// `export --by`: what each lane holds.
enum ExportLaneOption: String, ExpressibleByArgument, CaseIterable {
    case thread, job, caller

    var lanes: ExportLanes { ExportLanes(rawValue: rawValue)! }
}
