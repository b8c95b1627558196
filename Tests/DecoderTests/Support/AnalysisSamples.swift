@testable import Decoder

/// A fixed trace for the span, timeline and statistics tests: two threads, two sessions, a
/// sign with a length query, a find, a sign with CKR_BUFFER_TOO_SMALL that then fails, a
/// failed Init, an operation left open and a one-second idle gap.
enum AnalysisSamples {
    static let ms: UInt64 = 1_000_000

    static func call(_ name: String, session: UInt64?, at start: UInt64, for duration: UInt64,
                     rv: UInt64 = 0, lengthQuery: Bool = false, base: UInt64) -> TestLogWriter.Call {
        let schema = function(name)
        let values = schema.arguments.map { argument -> DecodedValue in
            if argument.kind == .session, let session { return .number(session, .handle) }
            if argument.kind == .outBytes, lengthQuery { return SampleValues.value(for: argument, variant: 1) }
            return SampleValues.value(for: argument, variant: 0)
        }
        return TestLogWriter.Call(function: schema.id, start: base + start, duration: duration, returnValue: rv,
                                  arguments: ValueEncoder.arguments(values, of: schema))
    }

    static func log() -> TestLogWriter {
        var writer = TestLogWriter()
        writer.addModules([(0, "/usr/lib/softhsm/libsofthsm2.so")])
        let base = writer.monotonicOrigin + 1_000
        writer.addCalls(threadID: 100, index: 0, baseTime: base, [
            call("C_Initialize", session: nil, at: 0, for: 1 * ms, base: base),
            call("C_SignInit", session: 1, at: 2 * ms, for: ms / 2, base: base),
            call("C_Sign", session: 1, at: 3 * ms, for: ms / 5, lengthQuery: true, base: base),
            call("C_Sign", session: 1, at: 4 * ms, for: 2 * ms, base: base),
            call("C_FindObjectsInit", session: 1, at: 7 * ms, for: 1 * ms, base: base),
            call("C_FindObjects", session: 1, at: 9 * ms, for: 1 * ms, base: base),
            call("C_FindObjectsFinal", session: 1, at: 11 * ms, for: ms / 2, base: base),
            call("C_Login", session: 1, at: 1_000 * ms, for: 1 * ms, rv: 0xa0, base: base),
        ])
        writer.addCalls(threadID: 200, index: 0, baseTime: base, [
            call("C_SignInit", session: 2, at: 2 * ms + ms / 2, for: ms / 2, base: base),
            call("C_Sign", session: 2, at: 5 * ms, for: ms / 3, rv: 0x150, base: base),
            call("C_Sign", session: 2, at: 6 * ms, for: 3 * ms, rv: 0x30, base: base),
            call("C_EncryptInit", session: 2, at: 1_001 * ms, for: 1 * ms, rv: 0x70, base: base),
            call("C_DigestInit", session: 2, at: 1_003 * ms, for: 1 * ms, base: base),
        ])
        return writer
    }

    static let expectedSpans = [
        "sign [2, 4, 5] completed",
        "sign [3, 6, 7] failed(CKR_DEVICE_ERROR)",
        "findObjects [8, 9, 10] completed",
        "digest [13] unfinished",
    ]

    /// `timeline --width 80 --color never`, by thread and by session.
    static let timeline: [String: String] = [
        "thread": #"""
13 calls in 1.004s, 2 lanes by thread; one column ~ 310.8us
legend: # call  [=] operation  ! error  ~ idle
thread 100 |####  [C_Sign======]  [C_FindObjects]~~~~~~~~~~~~~~~~~~!
thread 200 |        [C_Sign=!==!========]        ~~~~~~~~~~~~~~~~~~   !     [==]
            +-------------------+----------------~~ 988.5ms idle ~~+------------
            0                   6.2ms                              1.000s

"""#,
        "session": #"""
13 calls in 1.004s, 3 lanes by session; one column ~ 333.3us
legend: # call  [=] operation  ! error  ~ idle
(no session) |####                                ~~~~~~~~~~~~~~~~~~
session 0x1  |      [C_Sign=====]  [C_FindObjects]~~~~~~~~~~~~~~~~~~!
session 0x2  |       [C_Sign=!==!=========]       ~~~~~~~~~~~~~~~~~~   !     [=]
              +-------------------+---------------~~ 988.5ms idle ~~+-----------
              0                   6.4ms                             1.000s

"""#,
    ]

    /// `stats` as text and JSON.
    static let stats: [String: String] = [
        "text": #"""
13 calls, 4 errors, 13.0ms in calls, 1.004s from the first call's start to the last call's end

Functions (percentiles within 0.4%)
  function            calls  errors    total  share     mean      p50      p90      p99      max  error codes
  C_Sign                  4       2    5.5ms  42.5%    1.4ms  332.8us    3.0ms    3.0ms    3.0ms  CKR_DEVICE_ERROR 1, CKR_BUFFER_TOO_SMALL 1
  C_DigestInit            1       0    1.0ms   7.7%    1.0ms    1.0ms    1.0ms    1.0ms    1.0ms
  C_EncryptInit           1       1    1.0ms   7.7%    1.0ms    1.0ms    1.0ms    1.0ms    1.0ms  CKR_MECHANISM_INVALID 1
  C_FindObjects           1       0    1.0ms   7.7%    1.0ms    1.0ms    1.0ms    1.0ms    1.0ms
  C_FindObjectsInit       1       0    1.0ms   7.7%    1.0ms    1.0ms    1.0ms    1.0ms    1.0ms
  C_Initialize            1       0    1.0ms   7.7%    1.0ms    1.0ms    1.0ms    1.0ms    1.0ms
  C_Login                 1       1    1.0ms   7.7%    1.0ms    1.0ms    1.0ms    1.0ms    1.0ms  CKR_PIN_INCORRECT 1
  C_SignInit              2       0    1.0ms   7.7%  500.0us  500.0us  500.0us  500.0us  500.0us
  C_FindObjectsFinal      1       0  500.0us   3.8%  500.0us  500.0us  500.0us  500.0us  500.0us

Operations (Init to the call that ended them)
  operation    count  completed  failed  abandoned  unfinished   mean    p50    p99    max
  digest           1          0       0          0           1  1.0ms  1.0ms  1.0ms  1.0ms
  sign             2          1       1          0           0  5.3ms  4.0ms  6.5ms  6.5ms
  findObjects      1          1       0          0           0  4.5ms  4.5ms  4.5ms  4.5ms

Sessions
  session       calls  errors   time  share
  (no session)      1       0  1.0ms   7.7%
  0x1               7       1  6.2ms  47.6%
  0x2               5       3  5.8ms  44.8%

Threads
  thread  calls  errors   time  share
  100         8       1  7.2ms  55.2%
  200         5       3  5.8ms  44.8%

Modules
  module    calls  errors    time   share
  softhsm2     13       4  13.0ms  100.0%

OpenSSL async jobs
  (none recorded)

Callers
  (none recorded)

Busiest moments (10.0ms windows, by calls)
  from           calls     time
  +0.000000000s      9    9.5ms
  +1.000000000s      3    3.0ms
  +0.010000000s      1  500.0us

"""#,
        "json": #"""
{"calls":13,"errors":4,"time_ns":13033333,"elapsed_ns":1004000000,"functions":[{"function":"C_Sign","calls":4,"errors":2,"time_ns":5533333,"mean_ns":1383333,"min_ns":200000,"p50_ns":332800,"p90_ns":3000000,"p99_ns":3000000,"max_ns":3000000,"errors_by_rv":[{"rv":48,"rv_name":"CKR_DEVICE_ERROR","count":1},{"rv":336,"rv_name":"CKR_BUFFER_TOO_SMALL","count":1}]},{"function":"C_DigestInit","calls":1,"errors":0,"time_ns":1000000,"mean_ns":1000000,"min_ns":1000000,"p50_ns":1000000,"p90_ns":1000000,"p99_ns":1000000,"max_ns":1000000,"errors_by_rv":[]},{"function":"C_EncryptInit","calls":1,"errors":1,"time_ns":1000000,"mean_ns":1000000,"min_ns":1000000,"p50_ns":1000000,"p90_ns":1000000,"p99_ns":1000000,"max_ns":1000000,"errors_by_rv":[{"rv":112,"rv_name":"CKR_MECHANISM_INVALID","count":1}]},{"function":"C_FindObjects","calls":1,"errors":0,"time_ns":1000000,"mean_ns":1000000,"min_ns":1000000,"p50_ns":1000000,"p90_ns":1000000,"p99_ns":1000000,"max_ns":1000000,"errors_by_rv":[]},{"function":"C_FindObjectsInit","calls":1,"errors":0,"time_ns":1000000,"mean_ns":1000000,"min_ns":1000000,"p50_ns":1000000,"p90_ns":1000000,"p99_ns":1000000,"max_ns":1000000,"errors_by_rv":[]},{"function":"C_Initialize","calls":1,"errors":0,"time_ns":1000000,"mean_ns":1000000,"min_ns":1000000,"p50_ns":1000000,"p90_ns":1000000,"p99_ns":1000000,"max_ns":1000000,"errors_by_rv":[]},{"function":"C_Login","calls":1,"errors":1,"time_ns":1000000,"mean_ns":1000000,"min_ns":1000000,"p50_ns":1000000,"p90_ns":1000000,"p99_ns":1000000,"max_ns":1000000,"errors_by_rv":[{"rv":160,"rv_name":"CKR_PIN_INCORRECT","count":1}]},{"function":"C_SignInit","calls":2,"errors":0,"time_ns":1000000,"mean_ns":500000,"min_ns":500000,"p50_ns":500000,"p90_ns":500000,"p99_ns":500000,"max_ns":500000,"errors_by_rv":[]},{"function":"C_FindObjectsFinal","calls":1,"errors":0,"time_ns":500000,"mean_ns":500000,"min_ns":500000,"p50_ns":500000,"p90_ns":500000,"p99_ns":500000,"max_ns":500000,"errors_by_rv":[]}],"operations":[{"operation":"digest","count":1,"completed":0,"failed":0,"abandoned":0,"unfinished":1,"mean_ns":1000000,"min_ns":1000000,"p50_ns":1000000,"p90_ns":1000000,"p99_ns":1000000,"max_ns":1000000},{"operation":"sign","count":2,"completed":1,"failed":1,"abandoned":0,"unfinished":0,"mean_ns":5250000,"min_ns":4000000,"p50_ns":4005888,"p90_ns":6500000,"p99_ns":6500000,"max_ns":6500000},{"operation":"findObjects","count":1,"completed":1,"failed":0,"abandoned":0,"unfinished":0,"mean_ns":4500000,"min_ns":4500000,"p50_ns":4500000,"p90_ns":4500000,"p99_ns":4500000,"max_ns":4500000}],"sessions":[{"session":"(no session)","calls":1,"errors":0,"time_ns":1000000},{"session":"0x1","calls":7,"errors":1,"time_ns":6200000},{"session":"0x2","calls":5,"errors":3,"time_ns":5833333}],"threads":[{"thread":"100","calls":8,"errors":1,"time_ns":7200000},{"thread":"200","calls":5,"errors":3,"time_ns":5833333}],"modules":[{"module":"softhsm2","calls":13,"errors":4,"time_ns":13033333}],"jobs":[],"callers":[],"busiest":{"window_ns":10000000,"by_calls":[{"offset_ns":0,"calls":9,"time_ns":9533333},{"offset_ns":1000000000,"calls":3,"time_ns":3000000},{"offset_ns":10000000,"calls":1,"time_ns":500000}],"by_time":[{"offset_ns":0,"calls":9,"time_ns":9533333},{"offset_ns":1000000000,"calls":3,"time_ns":3000000},{"offset_ns":10000000,"calls":1,"time_ns":500000}]}}

"""#,
    ]
}
