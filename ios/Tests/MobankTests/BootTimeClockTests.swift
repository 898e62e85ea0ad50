import Foundation
import XCTest
@testable import Mobank

final class BootTimeClockTests: XCTestCase {
    /// Readings never go backwards, and a sleep of 50 ms moves the clock by at least 40 ms (the
    /// slack is for millisecond truncation, not scheduling: a sleep never returns early).
    func testNeverGoesBackwardsAndAdvancesAcrossASleep() throws {
        let clock = BootTimeClock()
        var previous = try clock.nowMs()
        for _ in 0..<1000 {
            let next = try clock.nowMs()
            XCTAssertGreaterThanOrEqual(next, previous)
            previous = next
        }
        let before = try clock.nowMs()
        Thread.sleep(forTimeInterval: 0.05)
        let after = try clock.nowMs()
        XCTAssertGreaterThanOrEqual(after, before + 40)
    }
}
