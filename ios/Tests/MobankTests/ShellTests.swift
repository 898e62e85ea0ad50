import Foundation
import XCTest

@testable import Mobank

/// What the Swift shell adds over the generated code: the event stream, and checks that raise
/// the library's own typed error with the library's own text.
final class ShellTests: SandboxTestCase {
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
        let withoutPins = BankEndpoint(baseUrl: sandbox.bank.baseUrl, spkiPins: [], receiptKeys: sandbox.bank.receiptKeys)
        XCTAssertThrowsError(try open(bank: withoutPins)) { error in
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

        let issued = try await sandbox.issueActivationCode(customerId: "demo")
        _ = try await client.activation().start(activationCode: issued.activation_code)
        let otp = try await sandbox.latestOtp(phone: issued.phone)
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
