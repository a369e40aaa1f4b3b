import Foundation
@testable import Server
import Testing

@Suite(.tags(.unit)) struct AccessLogTests {
    @Test func aLineSaysWhenWhoWhatHowItEndedAndHowLongItTook() {
        let lines = LockedLines()
        let log = AccessLog { lines.append($0) }
        let arrived = Date(timeIntervalSince1970: 1_751_284_800.045_6)
        log.record(arrived: arrived, identity: "alice", operation: "GetEngagement", status: 200, exception: nil,
                   elapsed: .microseconds(3_149), requestId: "r-1")
        log.record(arrived: Date(timeIntervalSince1970: 1_709_251_199.999_9), identity: nil, operation: nil, status: 403,
                   exception: "InvalidSignatureException", elapsed: .microseconds(50), requestId: "r-2")
        log.record(arrived: arrived, identity: "bob", operation: "ListEngagements", status: 200, exception: nil,
                   elapsed: .seconds(12) + .microseconds(345_678), requestId: "r-3")
        #expect(lines.all == [
            "2025-06-30T12:00:00.045Z alice GetEngagement 200 3.1ms r-1",
            "2024-02-29T23:59:59.999Z - - 403 InvalidSignatureException 0.1ms r-2",
            "2025-06-30T12:00:00.045Z bob ListEngagements 200 12345.7ms r-3",
        ])
    }
}

private final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
