/// The summary as a record of ``ChunkDecoder``: the fixed fields, plus only the arguments
/// the summary's facts come from.
extension CallSummary: ChunkRecord {
    /// How much of a function's arguments a summary decodes.
    enum Plan {
        /// None: the function names no session and opens, continues or ends no operation.
        case none
        /// The first argument only: it is the session, and nothing else is needed.
        case firstSession
        /// Every argument, through the full model: the function takes part in an operation,
        /// takes a mechanism, has a two-call output buffer or returns a session handle.
        case all
    }

    /// The plan of each function, by its position in ``FunctionSchema/table``.
    static let plans: [Plan] = FunctionSchema.table.map { function in
        let kinds = function.arguments.map(\.kind)
        let returnsSession = function.arguments.contains { $0.kind == .outHandle && $0.option == "session" }
        if OperationSpanGrouper.roles[function.name] != nil || returnsSession || kinds.contains(.mechanism)
            || kinds.contains(.outBytes) {
            return .all
        }
        guard let first = kinds.firstIndex(of: .session) else { return .none }
        return first == 0 ? .firstSession : .all
    }

    static func decode(_ fields: RecordFields, arguments cursor: inout ByteCursor, decoder: ChunkDecoder)
        throws(LogFormatError) -> CallSummary
    {
        switch plans[fields.functionIndex] {
        case .none:
            return CallSummary(fields, session: nil)
        case .firstSession:
            do throws(DecodeFailure) {
                return CallSummary(fields, session: try cursor.uvarint())
            } catch where fields.flags.contains(.truncated) {
                return CallSummary(fields, session: nil)
            } catch {
                let function = FunctionSchema.table[fields.functionIndex]
                throw .malformedArgument(function: function.name, parameter: function.arguments[0].name,
                                         offset: error.offset, reason: error.reason)
            }
        case .all:
            var summary = CallSummary(try DecodedCall.decode(fields, arguments: &cursor, decoder: decoder))
            summary.job = fields.jobAddress  // not numbered yet: the raw address, as above
            return summary
        }
    }

    mutating func number(_ sequence: Int, contexts: inout ContextNumbering, libraries: LibraryMap) {
        self.sequence = sequence
        guard hasContext else { return }
        job = contexts.job(job, waitContext: waitContextAddress)
    }
}
