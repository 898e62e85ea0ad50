import Foundation
import XCTest
@testable import Mobank

/// Transfers through the Swift API against the sandbox bank: the confirmation the customer
/// reads, the signature behind the biometric prompt or the PIN, the bank's receipt, and input
/// refused on the phone.
final class TransferTests: XCTestCase {
    private static let pin = Data("749163".utf8)
    private static let wrongPin = Data("749164".utf8)
    /// The demo landlord's account at the sandbox bank, spaced as people type it.
    private static let landlordNumber = "6222 0288 8800 6509"

    nonisolated(unsafe) private static var sandbox: SandboxProcess!
    private var dataDirectory: URL!

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

    override func setUpWithError() throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("mobank-test-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    private func open(_ keyStore: PlatformKeyStore) throws -> MobankClient {
        try MobankClient.open(dataDirectory: dataDirectory, bank: Self.sandbox.bank, deviceName: "Swift test phone",
                              keyStore: keyStore)
    }

    /// A phone bound to the demo customer and logged in with the PIN.
    private func loggedIn(_ keyStore: PlatformKeyStore) async throws -> MobankClient {
        let client = try open(keyStore)
        let issued = try await Self.sandbox.issueActivationCode(customerId: "demo")
        _ = try await client.activation().start(activationCode: issued.activation_code)
        _ = try await client.activation().complete(otp: try await Self.sandbox.latestOtp(phone: issued.phone), pin: Self.pin)
        _ = try await client.auth().loginPin(pin: Self.pin)
        return client
    }

    private func currentAccount(_ client: MobankClient) async throws -> Account {
        let accounts = try await client.accounts().list()
        return try XCTUnwrap(accounts.first { $0.product == .current && $0.currency == "CNY" && $0.parentAccountId == nil })
    }

    private func toLandlord(_ payer: Account, _ amount: String, payeeNumber: String = landlordNumber) -> TransferInput {
        TransferInput(payerAccountId: payer.accountId, payeeAccountNumber: payeeNumber, payeeBankCode: "MOBANK",
                      amount: amount, memo: "十二月房租", channel: .mobileTransfer)
    }

    /// The `MobankError` that `body` throws, or nil (and a failure) when it throws nothing else.
    private func error<T>(_ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> MobankError? {
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

    func testATransferSignedBehindTheBiometricPromptSettlesOnceWithTheBanksReceipt() async throws {
        let keyStore = TestKeyStore()
        let client = try await loggedIn(keyStore)
        let payer = try await currentAccount(client)

        let confirmation = try await client.transfers().draft(input: toLandlord(payer, "500"))
        XCTAssertEqual(confirmation.payeeName, "王芳")
        XCTAssertEqual(confirmation.payeeMaskedNumber, "**** 6509")
        XCTAssertEqual(confirmation.payerMaskedNumber, payer.maskedNumber)
        XCTAssertEqual(confirmation.amountZh, "¥500.00")
        XCTAssertTrue(confirmation.amountCapitals.contains("伍佰元整"), confirmation.amountCapitals)
        XCTAssertEqual(confirmation.prompt, "向 王芳 (**** 6509) 转账 ¥500.00")

        let sent = try await client.transfers().signAndSubmitBiometric(token: confirmation.token)
        XCTAssertEqual(sent.state, .settled)
        XCTAssertEqual(sent.transferId, confirmation.transferId)
        XCTAssertEqual(sent.receipt?.accepted, true)
        XCTAssertEqual(keyStore.prompts.last, confirmation.prompt, "the biometric prompt showed the confirmation's text")

        // The confirmation is spent: signing it again is refused, and no money moves twice.
        let again = await error { try await client.transfers().signAndSubmitBiometric(token: confirmation.token) }
        XCTAssertEqual(again, .ConfirmationInvalid)
        let after = try await currentAccount(client)
        XCTAssertEqual(after.balance, payer.balance - Decimal(500))
        let listed = try await client.transfers().list()
        XCTAssertEqual(listed.map(\.transferId), [confirmation.transferId])
        let reconciled = try await client.transfers().reconcile()
        XCTAssertTrue(reconciled.isEmpty, "nothing is left to reconcile")
    }

    func testAWrongPinIsAuthenticationFailedWithTheAttemptsLeftAndQueuesNothing() async throws {
        let client = try await loggedIn(TestKeyStore())
        let payer = try await currentAccount(client)
        let confirmation = try await client.transfers().draft(input: toLandlord(payer, "500"))

        let refused = await error { try await client.transfers().signAndSubmitPin(token: confirmation.token, pin: Self.wrongPin) }
        XCTAssertEqual(refused, .AuthenticationFailed(attemptsRemaining: 4))
        let listed = try await client.transfers().list()
        XCTAssertTrue(listed.isEmpty)
        let after = try await currentAccount(client)
        XCTAssertEqual(after.balance, payer.balance)
    }

    func testInputThePhoneCanJudgeIsRefusedWithATypedErrorAndNothingIsQueued() async throws {
        let client = try await loggedIn(TestKeyStore())
        let payer = try await currentAccount(client)

        let lookAlike = await error { try await client.transfers().draft(input: toLandlord(payer, "5O0")) }
        XCTAssertEqual(lookAlike, .AmountRejected(reason: .letters))
        let signed = await error { try await client.transfers().draft(input: toLandlord(payer, "-500")) }
        XCTAssertEqual(signed, .AmountRejected(reason: .signed))
        let checkDigit = await error {
            try await client.transfers().draft(input: toLandlord(payer, "500", payeeNumber: "6222 0288 8800 6508"))
        }
        XCTAssertEqual(checkDigit, .PayeeAccountRejected(reason: .checkDigit))
        let unknown = Account(accountId: "no-such-account", product: payer.product, name: payer.name,
                              currency: payer.currency, balance: payer.balance, maskedNumber: payer.maskedNumber,
                              parentAccountId: nil)
        let unknownPayer = await error { try await client.transfers().draft(input: toLandlord(unknown, "500")) }
        XCTAssertEqual(unknownPayer, .PayerAccountUnknown)
        let forged = await error { try await client.transfers().signAndSubmitPin(token: "not-a-token", pin: Self.pin) }
        XCTAssertEqual(forged, .ConfirmationInvalid)

        let listed = try await client.transfers().list()
        XCTAssertTrue(listed.isEmpty)
        let after = try await currentAccount(client)
        XCTAssertEqual(after.balance, payer.balance)
    }
}
