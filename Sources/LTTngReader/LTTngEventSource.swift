import Decoder

/// The call records of one process in an LTTng trace, read as they are needed.
final class LTTngEventSource: CallRecordSource {
    private let reader: CTFReader
    private let pid: UInt32
    let firstSequence: UInt64

    init(directories: [String], pid: UInt32, firstSequence: UInt64) throws(LogFormatError) {
        reader = try CTFReader(directories: directories, records: true)
        self.pid = pid
        self.firstSequence = firstSequence
    }

    func next() throws(LogFormatError) -> CallRecord? {
        while let event = try reader.next() {
            guard case .call(let sequence, let pid, let threadID, let start, _, let record) = event, pid == self.pid else {
                continue
            }
            return CallRecord(sequence: sequence, threadID: threadID, start: start, bytes: record)
        }
        return nil
    }

    var damageAtEnd: LogFormatError? {
        reader.discarded > 0 ? .eventsDiscarded(count: reader.discarded) : nil
    }
}
