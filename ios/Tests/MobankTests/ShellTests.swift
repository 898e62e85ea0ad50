import Foundation
import XCTest

@testable import Mobank

/// What the Swift shell adds over the generated code: the event stream, and checks that raise
/// the library's own typed error with the library's own text.
final class ShellTests: XCTestCase {
    nonisolated(unsafe) private static var sandbox: SandboxProcess!
    private var directories: [URL] = []
    private static let pin = Data("749163".utf8)

    override class func setUp() {
        super.setUp()
        do {
            sandbox = try SandboxProcess()
        } catch {
            fatalError("cannot start the sandbox at \(SandboxProcess.binary.path): \(error); see \(SandboxProcess.logPath)")
        }
    }

    override class func tearDown() {
        sandbox?.stop()
        super.tearDown()
    }

    override func tearDownWithError() throws {
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }

    private func open() throws -> MobankClient {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mobank-test-\(UUID().uuidString)")
        directories.append(directory)
        return try MobankClient.open(dataDirectory: directory, bank: Self.sandbox.bank,
                                     deviceName: "Swift test phone", keyStore: TestKeyStore())
    }

    private func bind(_ client: MobankClient) async throws {
        let issued = try await Self.sandbox.issueActivationCode(customerId: "demo")
        _ = try await client.activation().start(activationCode: issued.activation_code)
        _ = try await client.activation().complete(otp: try await Self.sandbox.latestOtp(phone: issued.phone), pin: Self.pin)
    }

    func testTwoStreamsBothHearTheLoginAndACancelledOneHearsNothing() async throws {
        let client = try open()
        try await bind(client)
        var first = client.events.makeAsyncIterator()
        var second = client.events.makeAsyncIterator()
        let cancelled = Task { () -> [MobankEvent] in
            var heard: [MobankEvent] = []
            for await event in client.events { heard.append(event) }
            return heard
        }
        cancelled.cancel()
        let heardByCancelled = await cancelled.value

        let session = try await client.auth().loginBiometric(prompt: "Log in to Mobank")

        let expected = MobankEvent.limitsChanged(limits: try XCTUnwrap(session.limits))
        let firstHeard = await first.next()
        let secondHeard = await second.next()
        XCTAssertEqual(firstHeard, expected)
        XCTAssertEqual(secondHeard, expected)
        XCTAssertEqual(heardByCancelled, [], "a cancelled stream hears nothing")
    }

    func testAnEndpointWithoutPinsIsTheLibrarysInvalidInput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mobank-test-\(UUID().uuidString)")
        directories.append(directory)
        XCTAssertThrowsError(try MobankClient.open(dataDirectory: directory,
                                                   bank: BankEndpoint(baseUrl: Self.sandbox.bank.baseUrl, spkiPins: [],
                                                                         receiptKeys: Self.sandbox.bank.receiptKeys),
                                                   deviceName: "Swift test phone", keyStore: TestKeyStore())) { error in
            guard case MobankError.InvalidInput = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
        }
    }

    func testAnErrorsTextIsTheLibrarysOwn() async throws {
        let client = try open()
        do {
            _ = try await client.accounts().list()
            XCTFail("accounts without a session")
        } catch let error as MobankError {
            XCTAssertEqual(error, .NotLoggedIn)
            XCTAssertEqual("\(error)", "not logged in")
            XCTAssertEqual(error.localizedDescription, "not logged in")
        }

        let issued = try await Self.sandbox.issueActivationCode(customerId: "demo")
        _ = try await client.activation().start(activationCode: issued.activation_code)
        let otp = try await Self.sandbox.latestOtp(phone: issued.phone)
        let wrong = String(format: "%06d", (Int(otp)! + 1) % 1_000_000)
        do {
            _ = try await client.activation().complete(otp: wrong, pin: Self.pin)
            XCTFail("a wrong OTP binds nothing")
        } catch let error as MobankError {
            XCTAssertEqual(error, .OtpInvalid)
            XCTAssertEqual(error.localizedDescription, "the one-time password is wrong")
        }
    }
}
