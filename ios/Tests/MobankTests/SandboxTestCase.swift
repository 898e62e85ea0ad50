import Foundation
import XCTest
@testable import Mobank

/// A test class that talks to a sandbox bank of its own, started once for the class: its phones
/// are opened on that bank's endpoint and bound to the demo customer (or to a customer made for
/// the test) the way a customer does it, with the activation code and the OTP from the SMS
/// outbox. A test's data directories are removed after it.
class SandboxTestCase: XCTestCase {
    /// A PIN the policy accepts (no run, pattern, date or common number).
    static let pin = Data("749163".utf8)
    static let wrongPin = Data("749164".utf8)
    static let deviceName = "Swift test phone"
    static let demoCustomer = "demo"
    /// A new binding's low limits (500 CNY a transfer, 1,000 a day) last this long, bank time.
    static let coolingOffSeconds = 24 * 3600

    // One slot serves every subclass: XCTest runs one test class at a time, and each class
    // starts its bank in `setUp()` and stops it in `tearDown()`.
    nonisolated(unsafe) private static var running: SandboxProcess!

    private var directories: [URL] = []
    /// Kept so that a test's listeners stay subscribed until the test is done.
    private var subscriptions: [Subscription] = []

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
        for subscription in subscriptions { subscription.cancel() }
        subscriptions.removeAll()
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
              clock: MonotonicClock? = nil, deviceName: String = SandboxTestCase.deviceName) throws -> MobankClient {
        try MobankClient.open(dataDirectory: directory ?? dataDirectory, bank: bank ?? sandbox.bank,
                              deviceName: deviceName, keyStore: keyStore, clock: clock)
    }

    /// Binds `client` to `customer` (the demo customer unless given) at `bank` (the class's sandbox
    /// unless given), typing the OTP from that bank's SMS outbox.
    func bind(_ client: MobankClient, at bank: SandboxProcess? = nil, customer: String = SandboxTestCase.demoCustomer) async throws {
        let bank = bank ?? sandbox
        let issued = try await bank.issueActivationCode(customerId: customer)
        _ = try await client.activation().start(activationCode: issued.activation_code)
        _ = try await client.activation().complete(otp: try await bank.latestOtp(phone: issued.phone), pin: Self.pin)
    }

    /// A phone in `directory` (the test's `dataDirectory` unless given) bound to `customer` at the
    /// class's bank and logged in with the PIN.
    func loggedInPhone(customer: String = SandboxTestCase.demoCustomer, _ directory: URL? = nil, clock: MonotonicClock? = nil,
                       deviceName: String = SandboxTestCase.deviceName) async throws -> MobankClient {
        let client = try open(directory, clock: clock, deviceName: deviceName)
        try await bind(client, customer: customer)
        _ = try await client.auth().loginPin(pin: Self.pin)
        return client
    }

    /// The customer's CNY current account (not a sub-account of it), as the bank reports it now.
    func currentCnyAccount(_ client: MobankClient) async throws -> Account {
        let accounts = try await client.accounts().list()
        return try XCTUnwrap(accounts.first { $0.product == .current && $0.currency == "CNY" && $0.parentAccountId == nil })
    }

    /// Moves the bank's clock past the cooling-off of every phone bound so far (and into a new bank
    /// day), then logs `client` in again: its session idled out at the bank meanwhile.
    func passCoolingOff(_ client: MobankClient) async throws {
        try await sandbox.advanceClock(seconds: Self.coolingOffSeconds + 3600)
        _ = try await client.auth().loginPin(pin: Self.pin)
    }

    /// A listener subscribed to `client`'s events until the test ends.
    func listening(to client: MobankClient) -> RecordingListener {
        let listener = RecordingListener()
        subscriptions.append(client.subscribe(listener: listener))
        return listener
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
