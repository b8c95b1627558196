extension LogReader {
    /// Gathers the statistics of the calls that pass `filter`, finished.
    ///
    /// With no filter the calls are read as summaries (``summaries()``), which decode only
    /// the arguments statistics use; a filter needs every call in full.
    ///
    /// - Parameters:
    ///   - filter: The calls to count.
    ///   - progress: Called after each call with its sequence number and file offset.
    /// - Returns: The statistics.
    /// - Throws: The ``LogFormatError`` that stopped reading.
    public func statistics(matching filter: CallFilter,
                           progress: (_ sequence: Int, _ fileOffset: Int) -> Void = { _, _ in }) throws(LogFormatError)
        -> Statistics
    {
        var statistics = Statistics()
        if filter.keepsEverything {
            var summaries = summaries()
            while let call = try summaries.next() {
                statistics.add(call, moduleName: moduleName(call.moduleIndex), callerName: callerName(address: call.callerAddress))
                progress(call.sequence, call.fileOffset)
            }
        } else {
            var calls = calls(matching: filter)
            while let call = try calls.next() {
                statistics.add(call)
                progress(call.sequence, call.fileOffset)
            }
        }
        statistics.finish()
        return statistics
    }
}
