import Foundation
import XCTest
@testable import Mobank

/// The guard rails around a transfer through the Swift API, against the sandbox bank: a payment
/// channel off until the customer turns it on, a limit refused on the phone, the risk warnings and
/// their acknowledgement, a QR payment at a shop, and a suspension that keeps the outbox.
///
/// Each test pays from a customer made for it, so the channels it turns on, the limits it uses up
/// and a suspension stay its own; only the bank's clock, which moves forward only, is shared.
final class GuardRailsTests: SandboxTestCase {
    /// The landlord's account at the sandbox bank, spaced as people type it.
    private static let landlord = "6222 0288 8800 6509"
    private static let cornerShop = "corner_shop"

    private func toLandlord(_ payer: Account, _ amount: String) -> TransferInput {
        TransferInput(payerAccountId: payer.accountId, payeeAccountNumber: Self.landlord, payeeBankCode: "MOBANK",
                      amount: amount, memo: "房租", channel: .mobileTransfer)
    }

    /// Drafts `input` and signs it with the PIN as it is (its warnings only inform); it settles.
    private func send(_ client: MobankClient, _ input: TransferInput) async throws -> TransferSummary {
        let confirmation = try await client.transfers().draft(input: input)
        let sent = try await client.transfers().signAndSubmitPin(token: confirmation.token, pin: Self.pin)
        XCTAssertEqual(sent.state, .settled)
        return sent
    }

    private func channel(_ channels: [ChannelInfo], _ which: Channel) throws -> ChannelInfo {
        try XCTUnwrap(channels.first { $0.channel == which })
    }

    func testQrPaymentIsOffUntilTheCustomerTurnsItOnWithAFreshStrongAuthenticationAndASecondPhoneHearsOfIt() async throws {
        let customer = try await sandbox.newCustomer()
        let second = try open(newDirectory(), deviceName: "iPad")
        try await bind(second, customer: customer.customer_id)
        let heard = listening(to: second)
        let clock = ManualClock()
        let first = try await loggedInPhone(customer: customer.customer_id, clock: clock, deviceName: "iPhone 15")

        let channels = try await first.channels().list()
        XCTAssertEqual(channels.map(\.channel), [.mobileTransfer, .qrPayment, .quickPay])
        XCTAssertTrue(try channel(channels, .mobileTransfer).enabled)
        XCTAssertFalse(try channel(channels, .qrPayment).enabled, "QR payment is off for a new customer")
        XCTAssertFalse(try channel(channels, .quickPay).enabled)

        let payer = try await currentCnyAccount(first)
        let till = try await sandbox.merchantQr(merchantId: Self.cornerShop, amount: "25.50")
        await assertThrows(.ChannelClosed) {
            try await first.transfers().draftQr(input: QrPaymentInput(payerAccountId: payer.accountId, payload: till, amount: nil))
        }

        // The login's strong authentication goes stale on the phone's clock (the session kept
        // alive meanwhile): turning the channel on needs a new one.
        clock.advance(minutes: 4, seconds: 0)
        _ = try await first.accounts().list()
        clock.advance(seconds: 61)
        await assertThrows(.StepUpRequired) { try await first.channels().enable(channel: .qrPayment) }
        let stillOff = try channel(try await first.channels().list(), .qrPayment)
        XCTAssertFalse(stillOff.enabled)

        try await first.auth().stepUpPin(pin: Self.pin)
        let turnedOn = try channel(try await first.channels().enable(channel: .qrPayment), .qrPayment)
        XCTAssertTrue(turnedOn.enabled)
        XCTAssertEqual(turnedOn.openedBy, .app)

        // The other device hears it at its next login, naming the device that did it.
        _ = try await second.auth().loginPin(pin: Self.pin)
        let told = heard.events.compactMap { event -> (channel: Channel?, deviceName: String?)? in
            guard case let .channelEnabled(channel, deviceName, _) = event else { return nil }
            return (channel, deviceName)
        }
        XCTAssertEqual(told.count, 1, "events: \(heard.events)")
        XCTAssertEqual(told.first?.channel, .qrPayment)
        XCTAssertEqual(told.first?.deviceName, "iPhone 15")
        let seen = try channel(try await second.channels().list(), .qrPayment)
        XCTAssertTrue(seen.enabled)
    }

    func testATransferOverTheNewDevicesLimitIsRefusedOnThePhoneWithTheLimitAndTheRoomLeftAndTheLedgerIsUntouched() async throws {
        let customer = try await sandbox.newCustomer()
        let client = try await loggedInPhone(customer: customer.customer_id)
        let payer = try await currentCnyAccount(client)
        let mobile = try channel(try await client.channels().list(), .mobileTransfer)
        XCTAssertEqual(mobile.limits.perTransaction, 20_000)
        XCTAssertEqual(mobile.room.perTransaction, 500, "a new device's cooling-off is stricter than the channel")
        XCTAssertEqual(mobile.room.today, 1_000)

        // A draft within the room lets the phone learn the payer account and the room.
        _ = try await client.transfers().draft(input: toLandlord(payer, "500"))
        let entriesBefore = try await sandbox.ledgerCheck().entries

        // While suspended, the bank answers every call with `suspended`: the phone's own
        // LimitExceeded shows that nothing was sent.
        try await sandbox.setSuspended(customerId: customer.customer_id, true)
        let refused = await error { try await client.transfers().draft(input: toLandlord(payer, "500.01")) }
        try await sandbox.setSuspended(customerId: customer.customer_id, false)
        XCTAssertEqual(refused, .LimitExceeded(limit: .perTransaction, room: 500))

        let listed = try await client.transfers().list()
        XCTAssertTrue(listed.isEmpty, "nothing was signed")
        let after = try await currentCnyAccount(client)
        XCTAssertEqual(after.balance, payer.balance)
        let ledger = try await sandbox.ledgerCheck()
        XCTAssertTrue(ledger.balanced, "the ledger balances: \(ledger)")
        XCTAssertEqual(ledger.entries, entriesBefore, "no entry was booked")
    }

    func test5000ToAPayeeUsuallySent500ShowsTheAmountWarningWithItsFiguresOnTheConfirmation() async throws {
        let customer = try await sandbox.newCustomer()
        let client = try await loggedInPhone(customer: customer.customer_id)
        let payer = try await currentCnyAccount(client)
        let first = try await client.transfers().draft(input: toLandlord(payer, "500"))
        XCTAssertEqual(first.warnings.map(\.kind), [.newDevice, .newPayee])
        XCTAssertTrue(first.warnings.allSatisfy { $0.action == .inform }, "informing warnings: \(first.warnings)")
        let sent = try await client.transfers().signAndSubmitPin(token: first.token, pin: Self.pin)
        XCTAssertEqual(sent.state, .settled)

        // Out of the new device's cooling-off, 5,000 fits the limits.
        try await passCoolingOff(client)
        let typo = try await client.transfers().draft(input: toLandlord(payer, "5000"))
        XCTAssertEqual(typo.amountZh, "¥5,000.00")
        XCTAssertTrue(typo.amountCapitals.contains("伍仟元整"), typo.amountCapitals)
        XCTAssertEqual(typo.warnings.count, 1, "warnings: \(typo.warnings)")
        let warning = try XCTUnwrap(typo.warnings.first)
        XCTAssertEqual(warning.kind, .unusualAmount)
        XCTAssertEqual(warning.code, "unusual_amount")
        XCTAssertEqual(warning.action, .acknowledge)
        XCTAssertFalse(warning.acknowledged)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: warning.figures.map { ($0.name, $0.value) }), [
            "amount": "¥5,000.00",
            "median": "¥500.00",
            "times": "10.0",
            "transfers_counted": "1",
            "basis": "this_payee",
        ])
        XCTAssertTrue(warning.reasonZh.contains("¥5,000.00") && warning.reasonZh.contains("¥500.00"), warning.reasonZh)
        XCTAssertTrue(warning.reasonEn.contains("10.0 times"), warning.reasonEn)

        // Under five times the usual amount there is nothing to warn of.
        let usual = try await client.transfers().draft(input: toLandlord(payer, "2499.99"))
        XCTAssertEqual(usual.warnings.map(\.kind), [])
    }

    func testAWarningThatNeedsAcknowledgingBlocksSigningUntilTheCustomerAcknowledgesIt() async throws {
        let customer = try await sandbox.newCustomer()
        let client = try await loggedInPhone(customer: customer.customer_id)
        let payer = try await currentCnyAccount(client)
        let paid = try await send(client, toLandlord(payer, "100"))

        // The same payee and amount again within minutes: a payment that "failed" may have gone.
        let again = try await client.transfers().draft(input: toLandlord(payer, "100"))
        let repeated = try XCTUnwrap(again.warnings.first { $0.kind == .repeatPayment })
        XCTAssertEqual(repeated.action, .acknowledge)
        XCTAssertEqual(repeated.code, "repeat_payment")
        let entriesBefore = try await sandbox.ledgerCheck().entries

        await assertThrows(.WarningsNotAcknowledged(codes: ["repeat_payment"])) {
            try await client.transfers().signAndSubmitPin(token: again.token, pin: Self.pin)
        }
        let queued = try await client.transfers().list()
        XCTAssertEqual(queued.map(\.transferId), [paid.transferId], "nothing was queued")
        await assertThrows(.WarningNotShown) {
            try await client.transfers().acknowledge(token: again.token, codes: ["refund_scam"])
        }

        let acknowledged = try await client.transfers().acknowledge(token: again.token, codes: ["repeat_payment"])
        XCTAssertNotEqual(acknowledged.token, again.token)
        XCTAssertEqual(acknowledged.transferId, again.transferId)
        XCTAssertEqual(acknowledged.warnings.first { $0.kind == .repeatPayment }?.acknowledged, true)
        // The old token's transfer is not the one that will be signed any more.
        await assertThrows(.ConfirmationInvalid) {
            try await client.transfers().signAndSubmitPin(token: again.token, pin: Self.pin)
        }

        let sent = try await client.transfers().signAndSubmitPin(token: acknowledged.token, pin: Self.pin)
        XCTAssertEqual(sent.state, .settled)
        XCTAssertEqual(sent.receipt?.accepted, true, "the bank's receipt says accepted")
        let recorded = try await sandbox.recordedReceipt(customerId: customer.customer_id, transferId: sent.transferId)
        XCTAssertEqual(recorded.outcome, "accepted")
        let entriesAfter = try await sandbox.ledgerCheck().entries
        XCTAssertEqual(entriesAfter, entriesBefore + 1)
        let after = try await currentCnyAccount(client)
        XCTAssertEqual(after.balance, payer.balance - 200)
    }

    func testTheCornerShopsQrCodeIsPaidThroughTheSameConfirmationAndSigningAndSettles() async throws {
        let customer = try await sandbox.newCustomer()
        let client = try await loggedInPhone(customer: customer.customer_id)
        let payer = try await currentCnyAccount(client)
        // The login is a strong authentication fresh enough to turn the channel on.
        let turnedOn = try channel(try await client.channels().enable(channel: .qrPayment), .qrPayment)
        XCTAssertTrue(turnedOn.enabled)
        let till = try await sandbox.merchantQr(merchantId: Self.cornerShop, amount: "25.50")
        let entriesBefore = try await sandbox.ledgerCheck().entries

        let shown = try await client.transfers().draftQr(
            input: QrPaymentInput(payerAccountId: payer.accountId, payload: till, amount: nil))
        XCTAssertEqual(shown.confirmation.payeeName, "街角便利店", "the bank's registered name")
        XCTAssertEqual(shown.codeMerchantName, "街角便利店")
        XCTAssertFalse(shown.nameDiffers)
        XCTAssertTrue(shown.amountFromCode)
        XCTAssertEqual(shown.confirmation.payeeMaskedNumber, "**** 0011")
        XCTAssertEqual(shown.confirmation.amountZh, "¥25.50")
        XCTAssertTrue(shown.confirmation.amountCapitals.contains("贰拾伍元伍角"), shown.confirmation.amountCapitals)

        let paid = try await client.transfers().signAndSubmitPin(token: shown.confirmation.token, pin: Self.pin)
        XCTAssertEqual(paid.state, .settled)
        XCTAssertEqual(paid.transferId, shown.confirmation.transferId)
        XCTAssertEqual(paid.receipt?.accepted, true, "the bank's receipt says accepted")
        XCTAssertEqual(paid.payeeName, "街角便利店")
        let after = try await currentCnyAccount(client)
        XCTAssertEqual(after.balance, payer.balance - Decimal(string: "25.50")!)
        let recorded = try await sandbox.recordedReceipt(customerId: customer.customer_id, transferId: paid.transferId)
        XCTAssertEqual(recorded.outcome, "accepted")
        let ledger = try await sandbox.ledgerCheck()
        XCTAssertTrue(ledger.balanced, "the ledger balances: \(ledger)")
        XCTAssertEqual(ledger.entries, entriesBefore + 1)
        let listed = try await client.transfers().list()
        XCTAssertEqual(listed.map(\.transferId), [paid.transferId])
    }

    func testATransferSignedWhileEbankingIsSuspendedStaysQueuedAndSettlesOnceAfterTheLift() async throws {
        let customer = try await sandbox.newCustomer()
        let client = try await loggedInPhone(customer: customer.customer_id)
        let heard = listening(to: client)
        let payer = try await currentCnyAccount(client)
        let confirmation = try await client.transfers().draft(input: toLandlord(payer, "100"))
        let entriesBefore = try await sandbox.ledgerCheck().entries

        try await sandbox.setSuspended(customerId: customer.customer_id, true)
        await assertThrows(.Suspended) {
            try await client.transfers().signAndSubmitPin(token: confirmation.token, pin: Self.pin)
        }
        XCTAssertTrue(heard.events.contains(.ebankingSuspended), "events: \(heard.events)")
        let kept = try await client.transfers().list()
        XCTAssertEqual(kept.map(\.transferId), [confirmation.transferId])
        XCTAssertEqual(kept.map(\.state), [.signed])
        // Reconciling during the suspension stops at the bank's word and keeps it.
        await assertThrows(.Suspended) { try await client.transfers().reconcile() }
        let stillKept = try await client.transfers().list()
        XCTAssertEqual(stillKept.map(\.state), [.signed])
        let entriesWhileSuspended = try await sandbox.ledgerCheck().entries
        XCTAssertEqual(entriesWhileSuspended, entriesBefore, "nothing was booked while suspended")

        try await sandbox.setSuspended(customerId: customer.customer_id, false)
        let reconciled = try await client.transfers().reconcile()
        XCTAssertEqual(reconciled.map(\.transferId), [confirmation.transferId])
        XCTAssertEqual(reconciled.map(\.state), [.settled])
        XCTAssertEqual(reconciled.first?.receipt?.accepted, true, "the bank's receipt says accepted")
        let recorded = try await sandbox.recordedReceipt(customerId: customer.customer_id, transferId: confirmation.transferId)
        XCTAssertEqual(recorded.outcome, "accepted")
        let after = try await currentCnyAccount(client)
        XCTAssertEqual(after.balance, payer.balance - 100)
        let entriesAfter = try await sandbox.ledgerCheck().entries
        XCTAssertEqual(entriesAfter, entriesBefore + 1, "exactly one debit")
        let again = try await client.transfers().reconcile()
        XCTAssertTrue(again.isEmpty, "nothing is left to reconcile")
    }
}
