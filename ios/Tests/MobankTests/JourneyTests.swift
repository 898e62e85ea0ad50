import Foundation
import XCTest
@testable import Mobank

/// The customer journey through the Swift API, against the sandbox bank binary over real TLS:
/// activation code → OTP by SMS → device bound → biometric login → accounts. Bad input gets the
/// typed Swift error.
final class JourneyTests: SandboxTestCase {
    func testBindsLogsInWithBiometricsAndListsAccounts() async throws {
        let keyStore = TestKeyStore()
        let client = try open(keyStore: keyStore)
        XCTAssertEqual(try client.bindingState(), .notBound)

        let issued = try await sandbox.issueActivationCode(customerId: "demo")
        let started = try await client.activation().start(activationCode: issued.activation_code)
        XCTAssertTrue(started.maskedPhone.contains("*"), "phone is masked: \(started.maskedPhone)")
        XCTAssertFalse(started.maskedPhone.contains(String(issued.phone.dropFirst())), "full phone number not shown")
        XCTAssertGreaterThan(started.otpExpiresAt, Date(), "the OTP expires in the future")

        let device = try await client.activation().complete(otp: try await sandbox.latestOtp(phone: issued.phone), pin: Self.pin)
        XCTAssertFalse(device.customerName.isEmpty)
        XCTAssertEqual(device.deviceName, "Swift test phone")
        XCTAssertFalse(device.possessionKeyFingerprint.isEmpty)
        XCTAssertFalse(device.userVerifiedKeyFingerprint.isEmpty)
        XCTAssertNotEqual(device.possessionKeyFingerprint, device.userVerifiedKeyFingerprint)
        XCTAssertEqual(try client.bindingState().boundDevice, device)
        XCTAssertEqual(keyStore.prompts.count, 1, "binding asked the customer once, to prove the biometric key")

        let session = try await client.auth().loginBiometric(prompt: "Log in to Mobank")
        XCTAssertGreaterThan(session.idleTimeoutSecs, 0)
        XCTAssertGreaterThan(session.expiresAt, Date(), "the session expires in the future")
        XCTAssertEqual(keyStore.prompts.dropFirst(), ["Log in to Mobank"], "the login prompt showed the app's text once")

        let accounts = try await client.accounts().list()
        XCTAssertGreaterThanOrEqual(accounts.count, 2, "at least two accounts: \(accounts)")
        XCTAssertTrue(accounts.contains { $0.product == .current && $0.currency == "CNY" })
        XCTAssertTrue(accounts.contains { $0.product == .savings })
        for account in accounts {
            let balance = account.balance
            XCTAssertGreaterThanOrEqual(balance, 0)
            XCTAssertTrue(account.maskedNumber.contains("*"), "account number is masked")
        }
        XCTAssertTrue(accounts.contains { $0.balance > 0 })

        client.auth().logout()
        await assertThrows(.NotLoggedIn) { try await client.accounts().list() }
    }

    func testTheBindingSurvivesARestartOfTheApp() async throws {
        let keyStore = TestKeyStore()
        let first = try open(keyStore: keyStore)
        try await bind(first)
        let device = try XCTUnwrap(try first.bindingState().boundDevice)

        let second = try open(keyStore: keyStore)
        XCTAssertEqual(try second.bindingState().boundDevice, device)
        _ = try await second.auth().loginBiometric(prompt: "Log in to Mobank")
        let accounts = try await second.accounts().list()
        XCTAssertGreaterThanOrEqual(accounts.count, 2)
    }

    func testAWrongOtpIsOtpInvalidAndTheRightOneStillBinds() async throws {
        let client = try open()
        let issued = try await sandbox.issueActivationCode(customerId: "demo")
        _ = try await client.activation().start(activationCode: issued.activation_code)
        let otp = try await sandbox.latestOtp(phone: issued.phone)
        let wrong = String(format: "%06d", (Int(otp)! + 1) % 1_000_000)

        await assertThrows(.OtpInvalid) { try await client.activation().complete(otp: wrong, pin: Self.pin) }
        XCTAssertEqual(try client.bindingState(), .notBound)

        _ = try await client.activation().complete(otp: otp, pin: Self.pin)
        XCTAssertNotNil(try client.bindingState().boundDevice)
    }

    func testAPinThatIsTooEasyIsPinRejectedBeforeAnythingIsSent() async throws {
        let client = try open()
        let issued = try await sandbox.issueActivationCode(customerId: "demo")
        _ = try await client.activation().start(activationCode: issued.activation_code)
        let otp = try await sandbox.latestOtp(phone: issued.phone)

        await assertThrows(.PinRejected(reason: .sequence)) { try await client.activation().complete(otp: otp, pin: Data("123456".utf8)) }
        await assertThrows(.PinRejected(reason: .notSixDigits)) { try await client.activation().complete(otp: otp, pin: Data([0xff, 0x31])) }
        XCTAssertEqual(try client.bindingState(), .notBound)

        // Nothing reached the bank, so the same OTP still binds.
        _ = try await client.activation().complete(otp: otp, pin: Self.pin)
        XCTAssertNotNil(try client.bindingState().boundDevice)
    }

    func testLogsInWithThePinAndAWrongPinIsAuthenticationFailedWithTheAttemptsLeft() async throws {
        let keyStore = TestKeyStore()
        let client = try open(keyStore: keyStore)
        try await bind(client)
        let promptsAfterBinding = keyStore.prompts.count

        await assertThrows(.AuthenticationFailed(attemptsRemaining: 4)) { try await client.auth().loginPin(pin: Self.wrongPin) }
        await assertThrows(.NotLoggedIn) { try await client.accounts().list() }

        _ = try await client.auth().loginPin(pin: Self.pin)
        let accounts = try await client.accounts().list()
        XCTAssertGreaterThanOrEqual(accounts.count, 2)
        XCTAssertEqual(keyStore.prompts.count, promptsAfterBinding, "a PIN login never shows the biometric prompt")
    }

    func testAnUnknownActivationCodeIsActivationCodeInvalid() async throws {
        let client = try open()
        await assertThrows(.ActivationCodeInvalid) { try await client.activation().start(activationCode: "ZZZZ9999ZZZZ") }
        XCTAssertEqual(try client.bindingState(), .notBound)
    }

    func testAccountsBeforeLoginIsNotLoggedIn() async throws {
        let client = try open()
        try await bind(client)
        await assertThrows(.NotLoggedIn) { try await client.accounts().list() }
    }

    func testARefusedBiometricPromptFailsTheLoginWithoutASession() async throws {
        let keyStore = TestKeyStore()
        let client = try open(keyStore: keyStore)
        try await bind(client)

        keyStore.refuseVerification = true
        await assertThrows(.AuthenticationFailed(attemptsRemaining: nil)) { try await client.auth().loginBiometric(prompt: "Log in to Mobank") }
        await assertThrows(.NotLoggedIn) { try await client.accounts().list() }

        keyStore.refuseVerification = false
        _ = try await client.auth().loginBiometric(prompt: "Log in to Mobank")
        let accounts = try await client.accounts().list()
        XCTAssertFalse(accounts.isEmpty)
    }

    func testALockedKeyStoreIsKeyStoreLockedNotALostBinding() async throws {
        let keyStore = TestKeyStore()
        let client = try open(keyStore: keyStore)
        try await bind(client)

        keyStore.locked = true
        await assertThrows(.KeyStoreLocked) { try await client.auth().loginBiometric(prompt: "Log in to Mobank") }
        keyStore.locked = false
        _ = try await client.auth().loginBiometric(prompt: "Log in to Mobank")
        let accounts = try await client.accounts().list()
        XCTAssertGreaterThanOrEqual(accounts.count, 2)
    }

    func testAnUndeclaredErrorInTheKeyStoreIsATypedKeyStoreErrorNotACrash() async throws {
        let keyStore = TestKeyStore()
        let client = try open(keyStore: keyStore)
        try await bind(client)

        keyStore.crash = true
        do {
            _ = try await client.auth().loginBiometric(prompt: "Log in to Mobank")
            XCTFail("expected MobankError.KeyStore")
        } catch MobankError.KeyStore(let detail) {
            XCTAssertTrue(detail.contains("AdapterBug"), detail)
        }
        keyStore.crash = false
        _ = try await client.auth().loginBiometric(prompt: "Log in to Mobank")
        let accounts = try await client.accounts().list()
        XCTAssertGreaterThanOrEqual(accounts.count, 2)
    }
}
