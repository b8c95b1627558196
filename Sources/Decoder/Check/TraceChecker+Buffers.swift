/// The two-call output convention (pkcs11-base 5.2): the application asks for the length with a
/// NULL buffer, or learns it from CKR_BUFFER_TOO_SMALL, then passes a buffer that large.
extension TraceChecker {
    struct BufferKey: Hashable {
        var module: UInt8
        var thread: UInt32
        var function: UInt16
    }

    func bufferFindings() -> [CheckFinding] {
        var findings: [CheckFinding] = []
        var reported: [BufferKey: (call: DecodedCall, length: UInt64)] = [:]
        for call in calls {
            guard let buffer = call.outputBuffer else { continue }
            let name = call.function.name
            if call.returnValue == .bufferTooSmall, let capacity = buffer.capacity, let length = buffer.length, length <= capacity {
                findings.append(CheckFinding(rule: .tooSmallWithoutLength, sequences: [call.sequence],
                    message: "\(name) returned CKR_BUFFER_TOO_SMALL for a \(capacity)-byte buffer but set the length to \(length)"))
            }
            if call.returnValue.isOK, buffer.hasData, let capacity = buffer.capacity, let length = buffer.length, length > capacity {
                findings.append(CheckFinding(rule: .okBeyondCapacity, sequences: [call.sequence],
                    message: "\(name) returned CKR_OK with \(length) bytes in a \(capacity)-byte buffer"))
            }
            let key = BufferKey(module: call.moduleIndex, thread: call.threadID, function: call.function.id)
            if let previous = reported.removeValue(forKey: key) {
                if !buffer.hasData && previous.call.isLengthQuery {
                    findings.append(CheckFinding(rule: .lengthQueryRepeated, sequences: [previous.call.sequence, call.sequence],
                        message: "\(name) #\(call.sequence) asks for the length again; #\(previous.call.sequence) already reported \(previous.length)"))
                } else if buffer.hasData, let capacity = buffer.capacity, capacity < previous.length {
                    findings.append(CheckFinding(rule: .bufferSmallerThanReported, sequences: [previous.call.sequence, call.sequence],
                        message: "\(name) #\(call.sequence) passes \(capacity) bytes; #\(previous.call.sequence) reported \(previous.length) needed"))
                }
            }
            if let length = buffer.length, (call.returnValue.isOK && !buffer.hasData) || call.returnValue == .bufferTooSmall {
                reported[key] = (call, length)
            }
        }
        return findings
    }
}
