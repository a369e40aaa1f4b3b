@testable import Scripting
import Testing

@Suite(.tags(.unit)) struct RecentIdsTests {
    /// The ids kept for completion: the newest 500, each once where it was last seen.
    @Test func recentIdsKeepTheNewest500EachWhereItWasLastSeen() {
        var ids = RecentIds()
        for number in 1...1200 { ids.note("O\(number)") }
        ids.note("O1000")
        let kept = ids.newestLast
        #expect(kept.count == 500)
        #expect(kept.first == "O701")
        #expect(kept.last == "O1000")
        #expect(kept.filter { $0 == "O1000" }.count == 1)
        #expect(kept.dropLast().last == "O1200")
    }
}
