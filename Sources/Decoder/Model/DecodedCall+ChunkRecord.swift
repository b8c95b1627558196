/// The full call model as a record of ``ChunkDecoder``: every argument decoded.
extension DecodedCall: ChunkRecord {
    static func decode(_ fields: RecordFields, arguments cursor: inout ByteCursor, decoder: ChunkDecoder)
        throws(LogFormatError) -> DecodedCall
    {
        let function = FunctionSchema.table[fields.functionIndex]
        let flags = fields.flags
        var arguments: [DecodedArgument] = []
        arguments.reserveCapacity(function.arguments.count)
        for schema in function.arguments {
            if arguments.last?.value == .notRecorded {
                arguments.append(DecodedArgument(schema: schema, value: .notRecorded))
                continue
            }
            do throws(DecodeFailure) {
                arguments.append(DecodedArgument(schema: schema, value: try ValueDecoder.decode(schema, from: &cursor)))
            } catch where flags.contains(.truncated) {
                arguments.append(DecodedArgument(schema: schema, value: .notRecorded))
            } catch {
                throw .malformedArgument(function: function.name, parameter: schema.name,
                                         offset: error.offset, reason: error.reason)
            }
        }
        if !cursor.isAtEnd, !flags.contains(.truncated) {
            throw .trailingBytes(count: cursor.remaining, offset: cursor.fileOffset)
        }
        let module = decoder.modules[fields.moduleIndex]
        return DecodedCall(
            sequence: 0, startNanoseconds: fields.startNanoseconds,
            wallClockNanoseconds: decoder.header.wallClock(monotonic: fields.startNanoseconds),
            durationNanoseconds: fields.durationNanoseconds,
            threadID: fields.threadID, moduleIndex: fields.moduleIndex, modulePath: module?.path, function: function,
            returnValue: fields.returnValue, flags: flags, context: fields.context,
            arguments: arguments, fileOffset: fields.fileOffset, moduleName: module?.name)
    }

    mutating func number(_ sequence: Int, contexts: inout ContextNumbering, libraries: LibraryMap) {
        self.sequence = sequence
        if let context { self.context = contexts.resolve(context, libraries: libraries) }
    }
}
