import Foundation
import XCTest
@testable import Mobank

/// A test class that talks to a sandbox bank of its own, started once for the class: its phones
/// are opened on that bank's endpoint and bound to the demo customer the way a customer does it,
/// with the activation code and the OTP from the SMS outbox. A test's data directories are
/// removed after it.
class SandboxTestCase: XCTestCase {
    /// A PIN the policy accepts (no run, pattern, date or common number).
    static let pin = Data("749163".utf8)
    static let wrongPin = Data("749164".utf8)
    static let deviceName = "Swift test phone"

    // One slot serves every subclass: XCTest runs one test class at a time, and each class
    // starts its bank in `setUp()` and stops it in `tearDown()`.
    nonisolated(unsafe) private static var running: SandboxProcess!

    private var directories: [URL] = []

    override class func setUp() {
        super.setUp()
        do {
            running = try SandboxProcess()
        } catch {
            fatalError("cannot start the sandbox at \(SandboxProcess.binary.path): \(error); see \(SandboxProcess.logPath)")
        }
    }

    override class func tearDown() {
        running?.stop()
        running = nil
        super.tearDown()
    }

    override func tearDownWithError() throws {
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
        try super.tearDownWithError()
    }

    /// The class's bank.
    var sandbox: SandboxProcess { Self.running }

    /// The test's own data directory: a phone opened twice on it is the same app restarted.
    lazy var dataDirectory: URL = newDirectory()

    /// A fresh data directory, for a second phone in the same test.
    func newDirectory() -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mobank-test-\(UUID().uuidString)")
        directories.append(directory)
        return directory
    }

    /// A phone whose state lives in `directory` (the test's `dataDirectory` unless given), talking
    /// to `bank` (the class's sandbox unless given).
    func open(_ directory: URL? = nil, keyStore: PlatformKeyStore = TestKeyStore(), bank: BankEndpoint? = nil,
              clock: MonotonicClock? = nil) throws -> MobankClient {
        try MobankClient.open(dataDirectory: directory ?? dataDirectory, bank: bank ?? sandbox.bank,
                              deviceName: Self.deviceName, keyStore: keyStore, clock: clock)
    }

    /// Binds `client` to the demo customer at `bank` (the class's sandbox unless given), typing the
    /// OTP from that bank's SMS outbox.
    func bind(_ client: MobankClient, at bank: SandboxProcess? = nil) async throws {
        let bank = bank ?? sandbox
        let issued = try await bank.issueActivationCode(customerId: "demo")
        _ = try await client.activation().start(activationCode: issued.activation_code)
        _ = try await client.activation().complete(otp: try await bank.latestOtp(phone: issued.phone), pin: Self.pin)
    }

    /// The `MobankError` that `body` throws, or nil (and a failure) when it throws nothing or
    /// another error.
    func error<T>(_ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> MobankError? {
        do {
            _ = try await body()
            XCTFail("expected a MobankError, nothing was thrown", file: file, line: line)
        } catch let error as MobankError {
            return error
        } catch {
            XCTFail("expected a MobankError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// Asserts that `body` throws exactly `expected`.
    func assertThrows<T>(_ expected: MobankError, _ body: () async throws -> T,
                         file: StaticString = #filePath, line: UInt = #line) async {
        if let thrown = await error(body, file: file, line: line) {
            XCTAssertEqual(thrown, expected, file: file, line: line)
        }
    }
}
