package bank.mobank

import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.core.Account
import bank.mobank.ffi.core.Channel
import bank.mobank.ffi.core.ChannelInfo
import bank.mobank.ffi.core.ChannelOpener
import bank.mobank.ffi.core.LimitKind
import bank.mobank.ffi.core.MobankEvent
import bank.mobank.ffi.core.MobankException
import bank.mobank.ffi.core.QrPaymentInput
import bank.mobank.ffi.core.TransferInput
import bank.mobank.ffi.core.TransferState
import bank.mobank.ffi.core.TransferSummary
import bank.mobank.ffi.core.WarningAction
import bank.mobank.ffi.core.WarningCode
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.math.BigDecimal
import kotlin.test.assertFailsWith
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/**
 * The guard rails around a transfer through the Kotlin API, against the sandbox bank: a payment
 * channel off until the customer turns it on, a limit refused on the phone, the risk warnings
 * and their acknowledgement, a QR payment at a shop, and a suspension that keeps the outbox.
 *
 * Each test pays from a customer made for it, so the channels it turns on, the limits it uses
 * up and a suspension stay its own; only the bank's clock, which moves forward only, is shared.
 */
class GuardRailsTest : SandboxTest() {
    @Test
    fun `QR payment is off until the customer turns it on with a fresh strong authentication, and a second phone hears of it`(
        @TempDir dataDir: File,
    ) = runTest {
        val customer = sandbox.newCustomer()
        val clock = ManualClock()
        val heard = RecordingListener()
        open(dataDir.resolve("tablet"), deviceName = "iPad").use { second ->
            bind(second, customerId = customer.id)
            second.subscribe(heard).use {
                loggedInPhone(dataDir.resolve("phone"), customer.id, clock = clock, deviceName = "Pixel 8").use { first ->
                    val channels = first.channels().list()
                    assertEquals(listOf(Channel.MOBILE_TRANSFER, Channel.QR_PAYMENT, Channel.QUICK_PAY), channels.map { it.channel })
                    assertTrue(channels.of(Channel.MOBILE_TRANSFER).enabled)
                    assertFalse(channels.of(Channel.QR_PAYMENT).enabled, "QR payment is off for a new customer")
                    assertFalse(channels.of(Channel.QUICK_PAY).enabled)

                    val payer = currentCnyAccount(first)
                    val till = sandbox.merchantQr(CORNER_SHOP, amount = "25.50")
                    assertFailsWith<MobankException.ChannelClosed> {
                        first.transfers.draftQr(QrPaymentInput(payer.accountId, till, amount = null))
                    }

                    // The login's strong authentication goes stale on the phone's clock (the
                    // session kept alive meanwhile): turning the channel on needs a new one.
                    clock.advance(4.minutes)
                    first.accounts.list()
                    clock.advance(61.seconds)
                    assertFailsWith<MobankException.StepUpRequired> { first.channels().enable(Channel.QR_PAYMENT) }
                    assertFalse(first.channels().list().of(Channel.QR_PAYMENT).enabled)

                    first.auth.stepUpPin(PIN.toCharArray())
                    val turnedOn = first.channels().enable(Channel.QR_PAYMENT).of(Channel.QR_PAYMENT)
                    assertTrue(turnedOn.enabled)
                    assertEquals(ChannelOpener.APP, turnedOn.openedBy)
                }

                // The other device hears it at its next login, naming the device that did it.
                second.auth.loginPin(PIN.toCharArray())
                val told = heard.events.filterIsInstance<MobankEvent.ChannelEnabled>()
                assertEquals(listOf(Channel.QR_PAYMENT to "Pixel 8"), told.map { it.channel to it.deviceName }, "events: ${heard.events}")
                assertTrue(second.channels().list().of(Channel.QR_PAYMENT).enabled)
            }
        }
    }

    @Test
    fun `a transfer over the new device's limit is refused on the phone with the limit and the room left, and the ledger is untouched`(
        @TempDir dataDir: File,
    ) = runTest {
        val customer = sandbox.newCustomer()
        loggedInPhone(dataDir, customer.id).use { client ->
            val payer = currentCnyAccount(client)
            val mobile = client.channels().list().of(Channel.MOBILE_TRANSFER)
            assertAmount("20000", mobile.limits.perTransaction)
            assertAmount("500", mobile.room.perTransaction, "a new device's cooling-off is stricter than the channel")
            assertAmount("1000", mobile.room.today)

            // A draft within the room lets the phone learn the payer account and the room.
            client.transfers.draft(toLandlord(payer, "500"))
            val entriesBefore = sandbox.ledgerCheck().entries

            // While suspended, the bank answers every call with `suspended`: the phone's own
            // LimitExceeded shows that nothing was sent.
            sandbox.setSuspended(customer.id, true)
            val refused = assertFailsWith<MobankException.LimitExceeded> {
                client.transfers.draft(toLandlord(payer, "500.01"))
            }
            sandbox.setSuspended(customer.id, false)
            assertEquals(LimitKind.PER_TRANSACTION, refused.limit)
            assertAmount("500", refused.room)

            assertTrue(client.transfers.list().isEmpty(), "nothing was signed")
            assertAmount(payer.balance.toPlainString(), currentCnyAccount(client).balance)
            val ledger = sandbox.ledgerCheck()
            assertTrue(ledger.balanced, "the ledger balances: $ledger")
            assertEquals(entriesBefore, ledger.entries, "no entry was booked")
        }
    }

    @Test
    fun `5,000 to a payee usually sent 500 shows the amount warning with its figures on the confirmation`(
        @TempDir dataDir: File,
    ) = runTest {
        val customer = sandbox.newCustomer()
        loggedInPhone(dataDir, customer.id).use { client ->
            val payer = currentCnyAccount(client)
            val first = client.transfers.draft(toLandlord(payer, "500"))
            assertEquals(listOf(WarningCode.NEW_DEVICE, WarningCode.NEW_PAYEE), first.warnings.map { it.kind })
            assertTrue(first.warnings.all { it.action == WarningAction.INFORM }, "informing warnings: ${first.warnings}")
            assertEquals(TransferState.Settled, client.transfers.signAndSubmitPin(first.token, PIN.toCharArray()).state)

            // Out of the new device's cooling-off, 5,000 fits the limits.
            passCoolingOff(client)
            val typo = client.transfers.draft(toLandlord(payer, "5000"))
            assertEquals("¥5,000.00", typo.amountZh)
            assertTrue(typo.amountCapitals.contains("伍仟元整"), typo.amountCapitals)
            val warning = typo.warnings.single()
            assertEquals(WarningCode.UNUSUAL_AMOUNT, warning.kind)
            assertEquals("unusual_amount", warning.code)
            assertEquals(WarningAction.ACKNOWLEDGE, warning.action)
            assertFalse(warning.acknowledged)
            assertEquals(
                mapOf(
                    "amount" to "¥5,000.00",
                    "median" to "¥500.00",
                    "times" to "10.0",
                    "transfers_counted" to "1",
                    "basis" to "this_payee",
                ),
                warning.figures.associate { it.name to it.value },
            )
            assertTrue(warning.reasonZh.contains("¥5,000.00") && warning.reasonZh.contains("¥500.00"), warning.reasonZh)
            assertTrue(warning.reasonEn.contains("10.0 times"), warning.reasonEn)

            // Under five times the usual amount there is nothing to warn of.
            assertEquals(emptyList<WarningCode>(), client.transfers.draft(toLandlord(payer, "2499.99")).warnings.map { it.kind })
        }
    }

    @Test
    fun `a warning that needs acknowledging blocks signing until the customer acknowledges it`(@TempDir dataDir: File) = runTest {
        val customer = sandbox.newCustomer()
        loggedInPhone(dataDir, customer.id).use { client ->
            val payer = currentCnyAccount(client)
            val paid = send(client, toLandlord(payer, "100"))

            // The same payee and amount again within minutes: a payment that "failed" may have gone.
            val again = client.transfers.draft(toLandlord(payer, "100"))
            val repeat = again.warnings.single { it.kind == WarningCode.REPEAT_PAYMENT }
            assertEquals(WarningAction.ACKNOWLEDGE, repeat.action)
            assertEquals("repeat_payment", repeat.code)
            val entriesBefore = sandbox.ledgerCheck().entries

            val refused = assertFailsWith<MobankException.WarningsNotAcknowledged> {
                client.transfers.signAndSubmitPin(again.token, PIN.toCharArray())
            }
            assertEquals(listOf("repeat_payment"), refused.codes)
            assertEquals(listOf(paid.transferId), client.transfers.list().map { it.transferId }, "nothing was queued")
            assertFailsWith<MobankException.WarningNotShown> {
                client.transfers.acknowledge(again.token, listOf("refund_scam"))
            }

            val acknowledged = client.transfers.acknowledge(again.token, listOf("repeat_payment"))
            assertNotEquals(again.token, acknowledged.token)
            assertEquals(again.transferId, acknowledged.transferId)
            assertTrue(acknowledged.warnings.single { it.kind == WarningCode.REPEAT_PAYMENT }.acknowledged)
            // The old token's transfer is not the one that will be signed any more.
            assertFailsWith<MobankException.ConfirmationInvalid> {
                client.transfers.signAndSubmitPin(again.token, PIN.toCharArray())
            }

            val sent = client.transfers.signAndSubmitPin(acknowledged.token, PIN.toCharArray())
            assertEquals(TransferState.Settled, sent.state)
            assertEquals(true, sent.receipt?.accepted, "the bank's receipt says accepted: ${sent.receipt}")
            assertEquals("accepted", sandbox.recordedOutcome(customer.id, sent.transferId).outcome)
            assertEquals(entriesBefore + 1, sandbox.ledgerCheck().entries)
            assertAmount((payer.balance - BigDecimal("200")).toPlainString(), currentCnyAccount(client).balance)
        }
    }

    @Test
    fun `the corner shop's QR code is paid through the same confirmation and signing and settles`(@TempDir dataDir: File) = runTest {
        val customer = sandbox.newCustomer()
        loggedInPhone(dataDir, customer.id).use { client ->
            val payer = currentCnyAccount(client)
            // The login is a strong authentication fresh enough to turn the channel on.
            assertTrue(client.channels().enable(Channel.QR_PAYMENT).of(Channel.QR_PAYMENT).enabled)
            val till = sandbox.merchantQr(CORNER_SHOP, amount = "25.50")
            val entriesBefore = sandbox.ledgerCheck().entries

            val shown = client.transfers.draftQr(QrPaymentInput(payer.accountId, till, amount = null))
            assertEquals("街角便利店", shown.confirmation.payeeName, "the bank's registered name")
            assertEquals("街角便利店", shown.codeMerchantName)
            assertFalse(shown.nameDiffers)
            assertTrue(shown.amountFromCode)
            assertEquals("**** 0011", shown.confirmation.payeeMaskedNumber)
            assertEquals("¥25.50", shown.confirmation.amountZh)
            assertTrue(shown.confirmation.amountCapitals.contains("贰拾伍元伍角"), shown.confirmation.amountCapitals)

            val paid = client.transfers.signAndSubmitPin(shown.confirmation.token, PIN.toCharArray())
            assertEquals(TransferState.Settled, paid.state)
            assertEquals(shown.confirmation.transferId, paid.transferId)
            assertEquals(true, paid.receipt?.accepted, "the bank's receipt says accepted: ${paid.receipt}")
            assertEquals("街角便利店", paid.payeeName)
            assertAmount((payer.balance - BigDecimal("25.50")).toPlainString(), currentCnyAccount(client).balance)
            assertEquals("accepted", sandbox.recordedOutcome(customer.id, paid.transferId).outcome)
            val ledger = sandbox.ledgerCheck()
            assertTrue(ledger.balanced, "the ledger balances: $ledger")
            assertEquals(entriesBefore + 1, ledger.entries)
            assertEquals(listOf(paid.transferId), client.transfers.list().map { it.transferId })
        }
    }

    @Test
    fun `a transfer signed while e-banking is suspended stays queued and settles once after the lift`(@TempDir dataDir: File) = runTest {
        val customer = sandbox.newCustomer()
        val heard = RecordingListener()
        loggedInPhone(dataDir, customer.id).use { client ->
            client.subscribe(heard).use {
                val payer = currentCnyAccount(client)
                val confirmation = client.transfers.draft(toLandlord(payer, "100"))
                val entriesBefore = sandbox.ledgerCheck().entries

                sandbox.setSuspended(customer.id, true)
                assertFailsWith<MobankException.Suspended> {
                    client.transfers.signAndSubmitPin(confirmation.token, PIN.toCharArray())
                }
                assertTrue(MobankEvent.EbankingSuspended in heard.events, "events: ${heard.events}")
                val kept = client.transfers.list().single()
                assertEquals(confirmation.transferId, kept.transferId)
                assertEquals(TransferState.Signed, kept.state)
                // Reconciling during the suspension stops at the bank's word and keeps it.
                assertFailsWith<MobankException.Suspended> { client.transfers.reconcile() }
                assertEquals(listOf(TransferState.Signed), client.transfers.list().map { it.state })
                assertEquals(entriesBefore, sandbox.ledgerCheck().entries, "nothing was booked while suspended")

                sandbox.setSuspended(customer.id, false)
                val reconciled = client.transfers.reconcile()
                assertEquals(listOf(confirmation.transferId), reconciled.map { it.transferId })
                assertEquals(TransferState.Settled, reconciled[0].state)
                assertEquals(true, reconciled[0].receipt?.accepted, "the bank's receipt says accepted: ${reconciled[0].receipt}")
                assertEquals("accepted", sandbox.recordedOutcome(customer.id, confirmation.transferId).outcome)
                assertAmount((payer.balance - BigDecimal("100")).toPlainString(), currentCnyAccount(client).balance)
                assertEquals(entriesBefore + 1, sandbox.ledgerCheck().entries, "exactly one debit")
                assertTrue(client.transfers.reconcile().isEmpty(), "nothing is left to reconcile")
            }
        }
    }

    private fun toLandlord(payer: Account, amount: String) = TransferInput(
        payerAccountId = payer.accountId,
        payeeAccountNumber = LANDLORD_NUMBER,
        payeeBankCode = "MOBANK",
        amount = amount,
        memo = "房租",
        channel = Channel.MOBILE_TRANSFER,
    )

    /** Drafts [input] and signs it with the PIN as it is (its warnings only inform); it settles. */
    private suspend fun send(client: MobankClient, input: TransferInput): TransferSummary {
        val confirmation = client.transfers.draft(input)
        return client.transfers.signAndSubmitPin(confirmation.token, PIN.toCharArray())
            .also { assertEquals(TransferState.Settled, it.state) }
    }

    private fun List<ChannelInfo>.of(channel: Channel): ChannelInfo = single { it.channel == channel }

    /** Amounts compare by value: the bank's `500.00` is the `500` a test names. */
    private fun assertAmount(expected: String, actual: BigDecimal?, message: String = "") {
        assertTrue(actual != null && BigDecimal(expected).compareTo(actual) == 0, "expected $expected, got $actual. $message")
    }

    private companion object {
        /** The landlord's account at the sandbox bank, spaced as people type it. */
        const val LANDLORD_NUMBER = "6222 0288 8800 6509"
        const val CORNER_SHOP = "corner_shop"
    }
}
