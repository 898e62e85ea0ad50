import Foundation
import XCTest
@testable import Mobank

/// Transfers through the Swift API against the sandbox bank: the confirmation the customer
/// reads, the signature behind the biometric prompt or the PIN, the bank's receipt (a refusal for
/// want of funds among them), a lost answer settled by reconciling, and input refused on the phone.
///
/// The demo customer's device is new in every test, so the cooling-off limits hold (500 CNY a
/// transfer, 1000 a day, counted over the class's transfers): the amounts here stay inside them.
final class TransferTests: SandboxTestCase {
    /// The demo landlord's account at the sandbox bank, spaced as people type it.
    private static let landlordNumber = "6222 0288 8800 6509"

    /// A phone bound to the demo customer and logged in with the PIN.
    private func loggedIn(_ keyStore: PlatformKeyStore = TestKeyStore()) async throws -> MobankClient {
        let client = try open(keyStore: keyStore)
        try await bind(client)
        _ = try await client.auth().loginPin(pin: Self.pin)
        return client
    }

    private func currentAccount(_ client: MobankClient) async throws -> Account {
        let accounts = try await client.accounts().list()
        return try XCTUnwrap(accounts.first { $0.product == .current && $0.currency == "CNY" && $0.parentAccountId == nil })
    }

    private func account(_ client: MobankClient, _ accountId: String) async throws -> Account {
        let accounts = try await client.accounts().list()
        return try XCTUnwrap(accounts.first { $0.accountId == accountId })
    }

    private func toLandlord(_ payer: Account, _ amount: String, payeeNumber: String = landlordNumber,
                            memo: String = "十二月房租") -> TransferInput {
        TransferInput(payerAccountId: payer.accountId, payeeAccountNumber: payeeNumber, payeeBankCode: "MOBANK",
                      amount: amount, memo: memo, channel: .mobileTransfer)
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
        let client = try await loggedIn()
        let payer = try await currentAccount(client)
        let confirmation = try await client.transfers().draft(input: toLandlord(payer, "50"))

        let refused = await error { try await client.transfers().signAndSubmitPin(token: confirmation.token, pin: Self.wrongPin) }
        XCTAssertEqual(refused, .AuthenticationFailed(attemptsRemaining: 4))
        let listed = try await client.transfers().list()
        XCTAssertTrue(listed.isEmpty)
        let after = try await currentAccount(client)
        XCTAssertEqual(after.balance, payer.balance)
    }

    func testInputThePhoneCanJudgeIsRefusedWithATypedErrorAndNothingIsQueued() async throws {
        let client = try await loggedIn()
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

    func testATransferLargerThanThePayersBalanceIsRejectedForInsufficientFundsAndMovesNothing() async throws {
        let client = try await loggedIn()
        let current = try await currentAccount(client)
        let accounts = try await client.accounts().list()
        let margin = try XCTUnwrap(accounts.first { $0.product == .margin })
        try await sandbox.moveFunds(from: current.accountId, to: margin.accountId, amount: "120.00")
        let payer = try await account(client, margin.accountId)
        let currentBefore = try await account(client, current.accountId).balance
        // Under the cooling-off limits, so that only the balance stands in the way.
        let amount = Decimal(200)
        XCTAssertTrue(payer.balance > 0 && payer.balance < amount, "the payer holds \(payer.balance)")
        let entriesBefore = try await sandbox.ledgerCheck().entries

        let confirmation = try await client.transfers().draft(input: toLandlord(payer, "\(amount)"))
        let sent = try await client.transfers().signAndSubmitPin(token: confirmation.token, pin: Self.pin)

        XCTAssertEqual(sent.state, .rejected(reason: .insufficientFunds))
        XCTAssertEqual(sent.transferId, confirmation.transferId)
        XCTAssertEqual(sent.receipt?.accepted, false, "the bank's signed receipt says rejected")
        XCTAssertNotNil(sent.receipt)
        XCTAssertNil(sent.receipt?.bookedAtMs, "nothing was booked")
        let payerAfter = try await account(client, margin.accountId)
        XCTAssertEqual(payerAfter.balance, payer.balance)
        let currentAfter = try await account(client, current.accountId)
        XCTAssertEqual(currentAfter.balance, currentBefore)
        let ledger = try await sandbox.ledgerCheck()
        XCTAssertTrue(ledger.balanced, "the ledger balances: \(ledger)")
        XCTAssertEqual(ledger.entries, entriesBefore, "no entry was booked")
        let recorded = try await sandbox.recordedReceipt(customerId: "demo", transferId: sent.transferId)
        XCTAssertEqual(recorded.outcome, "rejected")
        let listed = try await client.transfers().list()
        XCTAssertEqual(listed.map(\.state), [sent.state])
        let reconciled = try await client.transfers().reconcile()
        XCTAssertTrue(reconciled.isEmpty, "a rejection is final: nothing to reconcile")
    }

    func testATransferWhoseAnswerIsLostIsOutcomeUnknownAndReconcilingSettlesItWithExactlyOneDebit() async throws {
        let client = try await loggedIn()
        let payer = try await currentAccount(client)
        let memo = "十二月水电费 \(UUID().uuidString.prefix(8))"
        let confirmation = try await client.transfers().draft(input: toLandlord(payer, "66.60", memo: memo))
        let entriesBefore = try await sandbox.ledgerCheck().entries
        try await sandbox.loseTransferResponses(count: 1)

        let lost = await error { try await client.transfers().signAndSubmitPin(token: confirmation.token, pin: Self.pin) }
        XCTAssertEqual(lost, .OutcomeUnknown)
        let pending = try await client.transfers().list()
        XCTAssertEqual(pending.map(\.transferId), [confirmation.transferId])
        XCTAssertEqual(pending.map(\.state), [.unknown], "a lost answer is never shown as failed")

        let reconciled = try await client.transfers().reconcile()
        XCTAssertEqual(reconciled.map(\.transferId), [confirmation.transferId])
        let settled = try XCTUnwrap(reconciled.first)
        XCTAssertEqual(settled.state, .settled)
        XCTAssertEqual(settled.receipt?.accepted, true, "the bank's receipt says accepted")
        let recorded = try await sandbox.recordedReceipt(customerId: "demo", transferId: confirmation.transferId)
        XCTAssertEqual(recorded.outcome, "accepted")
        XCTAssertEqual(settled.receipt?.receiptId, recorded.receipt_id, "the phone holds the receipt the bank stored")

        // Exactly one debit: the balance fell by the amount once, the bank booked one entry,
        // and the account's history has one row for it.
        let after = try await currentAccount(client)
        XCTAssertEqual(after.balance, payer.balance - Decimal(string: "66.60")!)
        let ledger = try await sandbox.ledgerCheck()
        XCTAssertTrue(ledger.balanced, "the ledger balances: \(ledger)")
        XCTAssertEqual(ledger.entries, entriesBefore + 1)
        _ = try await client.history().sync()
        let rows = try await client.history().search(text: memo, limit: 10)
        XCTAssertEqual(rows.map(\.amount), [Decimal(string: "-66.60")!], "history rows: \(rows)")
        let again = try await client.transfers().reconcile()
        XCTAssertTrue(again.isEmpty, "nothing is left to reconcile")
        let listed = try await client.transfers().list()
        XCTAssertEqual(listed.map(\.state), [.settled])
    }
}
