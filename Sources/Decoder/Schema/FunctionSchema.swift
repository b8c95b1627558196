/// One traced PKCS#11 function as the log format knows it: its stable id, its C name and
/// how each of its parameter groups is encoded.
///
/// The table of every function, ``table``, is generated from `spec/functions.json`.
public struct FunctionSchema: Hashable, Sendable {
    /// The function's id in the log format (append-only, never renumbered).
    public var id: UInt16
    /// The C name, for example `"C_Sign"`.
    public var name: String
    /// The PKCS#11 version that introduced the function, for example `"3.0"`.
    public var since: String
    /// The parameter groups in C parameter order, each encoded by its kind.
    public var arguments: [ArgumentSchema]

    /// Creates a schema entry.
    public init(id: UInt16, name: String, since: String, arguments: [ArgumentSchema]) {
        self.id = id
        self.name = name
        self.since = since
        self.arguments = arguments
    }

    /// Looks up a function by its log-format id.
    ///
    /// - Parameter id: The function id read from a call record.
    /// - Returns: The function's schema, or `nil` if the id is unknown to this decoder.
    public static func byID(_ id: UInt16) -> FunctionSchema? {
        index(ofID: id).map { table[$0] }
    }

    /// The position in ``table`` of the function with log-format id `id`, if this decoder
    /// knows it (the table is ordered by id, so this is usually `id - 1`).
    static func index(ofID id: UInt16) -> Int? {
        let index = Int(id) - 1
        if table.indices.contains(index), table[index].id == id {
            return index
        }
        return table.firstIndex { $0.id == id }
    }
}
