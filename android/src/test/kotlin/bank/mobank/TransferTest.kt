package bank.mobank

import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.core.Account
import bank.mobank.ffi.core.AccountNumberError
import bank.mobank.ffi.core.AmountInputError
import bank.mobank.ffi.core.Channel
import bank.mobank.ffi.core.MobankException
import bank.mobank.ffi.core.ProductKind
import bank.mobank.ffi.core.RejectReason
import bank.mobank.ffi.core.TransferInput
import bank.mobank.ffi.core.TransferState
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.math.BigDecimal
import java.util.Collections
import java.util.UUID
import kotlin.test.assertFailsWith

/**
 * Transfers through the Kotlin API against the sandbox bank: the confirmation the customer
 * reads, the signature behind the biometric prompt or the PIN, the bank's receipt (a refusal for
 * want of funds among them), a lost answer settled by reconciling, and input refused on the phone.
 *
 * The demo customer's device is new in every test, so the cooling-off limits hold (500 CNY a
 * transfer, 1000 a day, counted over the class's transfers): the amounts here stay inside them.
 */
class TransferTest : SandboxTest() {
    /** A phone bound to the demo customer and logged in with the PIN. */
    private suspend fun loggedIn(dataDir: File, keyStore: PlatformKeyStore = JvmKeyStore()): MobankClient =
        open(dataDir, keyStore).also { client ->
            bind(client)
            client.auth.loginPin(PIN.toCharArray())
        }

    private suspend fun currentAccount(client: MobankClient): Account =
        client.accounts.list().first { it.product == ProductKind.CURRENT && it.currency == "CNY" && it.parentAccountId == null }

    private suspend fun account(client: MobankClient, accountId: String): Account =
        client.accounts.list().first { it.accountId == accountId }

    private fun toLandlord(
        payer: Account,
        amount: String,
        payeeNumber: String = LANDLORD_NUMBER,
        memo: String = "十二月房租",
    ) = TransferInput(
        payerAccountId = payer.accountId,
        payeeAccountNumber = payeeNumber,
        payeeBankCode = "MOBANK",
        amount = amount,
        memo = memo,
        channel = Channel.MOBILE_TRANSFER,
    )

    @Test
    fun `a transfer signed behind the biometric prompt settles once with the bank's receipt`(@TempDir dataDir: File) = runTest {
        val prompts = Collections.synchronizedList(mutableListOf<String>())
        loggedIn(dataDir, JvmKeyStore { prompt -> prompts.add(prompt); true }).use { client ->
            val payer = currentAccount(client)

            val confirmation = client.transfers.draft(toLandlord(payer, "500"))
            assertEquals("王芳", confirmation.payeeName)
            assertEquals("**** 6509", confirmation.payeeMaskedNumber)
            assertEquals(payer.maskedNumber, confirmation.payerMaskedNumber)
            assertEquals("¥500.00", confirmation.amountZh)
            assertTrue(confirmation.amountCapitals.contains("伍佰元整"), confirmation.amountCapitals)
            assertEquals("向 王芳 (**** 6509) 转账 ¥500.00", confirmation.prompt)
            assertEquals("十二月房租", confirmation.memo)

            val sent = client.transfers.signAndSubmitBiometric(confirmation.token)
            assertEquals(TransferState.Settled, sent.state)
            assertEquals(confirmation.transferId, sent.transferId)
            assertEquals(true, sent.receipt?.accepted, "the bank's receipt says accepted: ${sent.receipt}")
            assertEquals(confirmation.prompt, prompts.last(), "the biometric prompt showed the confirmation's text")

            // The confirmation is spent: signing it again is refused, and no money moves twice.
            assertFailsWith<MobankException.ConfirmationInvalid> { client.transfers.signAndSubmitBiometric(confirmation.token) }
            assertEquals(payer.balance - BigDecimal("500.00"), currentAccount(client).balance)
            assertEquals(listOf(confirmation.transferId), client.transfers.list().map { it.transferId })
            assertTrue(client.transfers.reconcile().isEmpty(), "nothing is left to reconcile")
        }
    }

    @Test
    fun `the transfers signed survive a restart of the app`(@TempDir dataDir: File) = runTest {
        val keyStore = JvmKeyStore()
        val signed = loggedIn(dataDir, keyStore).use { client ->
            val confirmation = client.transfers.draft(toLandlord(currentAccount(client), "88.80"))
            client.transfers.signAndSubmitPin(confirmation.token, PIN.toCharArray())
        }
        open(dataDir, keyStore).use { client ->
            val listed = client.transfers.list()
            assertEquals(listOf(signed.transferId), listed.map { it.transferId })
            assertEquals("88.80", listed[0].amount)
            assertEquals(TransferState.Settled, listed[0].state)
        }
    }

    @Test
    fun `a wrong PIN is AuthenticationFailed with the attempts left and queues nothing`(@TempDir dataDir: File) = runTest {
        loggedIn(dataDir).use { client ->
            val payer = currentAccount(client)
            val confirmation = client.transfers.draft(toLandlord(payer, "50"))

            val error = assertFailsWith<MobankException.AuthenticationFailed> {
                client.transfers.signAndSubmitPin(confirmation.token, WRONG_PIN.toCharArray())
            }
            assertEquals(4u, error.attemptsRemaining)
            assertTrue(client.transfers.list().isEmpty())
            assertEquals(payer.balance, currentAccount(client).balance)
        }
    }

    @Test
    fun `input the phone can judge is refused with a typed error and nothing is queued`(@TempDir dataDir: File) = runTest {
        loggedIn(dataDir).use { client ->
            val payer = currentAccount(client)

            val lookAlike = assertFailsWith<MobankException.AmountRejected> { client.transfers.draft(toLandlord(payer, "5O0")) }
            assertEquals(AmountInputError.Letters, lookAlike.reason)
            val signed = assertFailsWith<MobankException.AmountRejected> { client.transfers.draft(toLandlord(payer, "-500")) }
            assertEquals(AmountInputError.Signed, signed.reason)
            val badCheckDigit = assertFailsWith<MobankException.PayeeAccountRejected> {
                client.transfers.draft(toLandlord(payer, "500", payeeNumber = "6222 0288 8800 6508"))
            }
            assertEquals(AccountNumberError.CHECK_DIGIT, badCheckDigit.reason)
            assertFailsWith<MobankException.PayerAccountUnknown> {
                client.transfers.draft(toLandlord(payer.copy(accountId = "no-such-account"), "500"))
            }
            assertFailsWith<MobankException.ConfirmationInvalid> {
                client.transfers.signAndSubmitPin("not-a-token", PIN.toCharArray())
            }
            assertTrue(client.transfers.list().isEmpty())
            assertEquals(payer.balance, currentAccount(client).balance)
        }
    }

    @Test
    fun `a transfer larger than the payer's balance is rejected for insufficient funds and moves nothing`(
        @TempDir dataDir: File,
    ) = runTest {
        loggedIn(dataDir).use { client ->
            val current = currentAccount(client)
            val margin = client.accounts.list().first { it.product == ProductKind.MARGIN }
            sandbox.moveFunds(current.accountId, margin.accountId, "120.00")
            val payer = account(client, margin.accountId)
            val currentBefore = account(client, current.accountId).balance
            // Under the cooling-off limits, so that only the balance stands in the way.
            val amount = BigDecimal("200.00")
            assertTrue(payer.balance > BigDecimal.ZERO && payer.balance < amount, "the payer holds ${payer.balance}")
            val entriesBefore = sandbox.ledgerCheck().entries

            val confirmation = client.transfers.draft(toLandlord(payer, amount.toPlainString()))
            val sent = client.transfers.signAndSubmitPin(confirmation.token, PIN.toCharArray())

            assertEquals(TransferState.Rejected(RejectReason.INSUFFICIENT_FUNDS), sent.state)
            assertEquals(confirmation.transferId, sent.transferId)
            assertEquals(false, sent.receipt?.accepted, "the bank's signed receipt says rejected: ${sent.receipt}")
            assertNull(sent.receipt?.bookedAtMs, "nothing was booked")
            assertEquals(payer.balance, account(client, margin.accountId).balance)
            assertEquals(currentBefore, account(client, current.accountId).balance)
            val ledger = sandbox.ledgerCheck()
            assertTrue(ledger.balanced, "the ledger balances: $ledger")
            assertEquals(entriesBefore, ledger.entries, "no entry was booked")
            assertEquals("rejected", sandbox.recordedOutcome("demo", sent.transferId).outcome)
            assertEquals(listOf(sent.state), client.transfers.list().map { it.state })
            assertTrue(client.transfers.reconcile().isEmpty(), "a rejection is final: nothing to reconcile")
        }
    }

    @Test
    fun `a transfer whose answer is lost is OutcomeUnknown and reconciling settles it with exactly one debit`(
        @TempDir dataDir: File,
    ) = runTest {
        loggedIn(dataDir).use { client ->
            val payer = currentAccount(client)
            val memo = "十二月水电费 ${UUID.randomUUID().toString().take(8)}"
            val confirmation = client.transfers.draft(toLandlord(payer, "66.60", memo = memo))
            val entriesBefore = sandbox.ledgerCheck().entries
            sandbox.loseTransferResponses(1)

            assertFailsWith<MobankException.OutcomeUnknown> {
                client.transfers.signAndSubmitPin(confirmation.token, PIN.toCharArray())
            }
            val pending = client.transfers.list().single()
            assertEquals(confirmation.transferId, pending.transferId)
            assertEquals(TransferState.Unknown, pending.state, "a lost answer is never shown as failed")

            val reconciled = client.transfers.reconcile()
            assertEquals(listOf(confirmation.transferId), reconciled.map { it.transferId })
            assertEquals(TransferState.Settled, reconciled[0].state)
            assertEquals(true, reconciled[0].receipt?.accepted, "the bank's receipt says accepted: ${reconciled[0].receipt}")
            val recorded = sandbox.recordedOutcome("demo", confirmation.transferId)
            assertEquals("accepted", recorded.outcome)
            assertEquals(recorded.receiptId, reconciled[0].receipt?.receiptId, "the phone holds the receipt the bank stored")

            // Exactly one debit: the balance fell by the amount once, the bank booked one entry,
            // and the account's history has one row for it.
            assertEquals(payer.balance - BigDecimal("66.60"), currentAccount(client).balance)
            val ledger = sandbox.ledgerCheck()
            assertTrue(ledger.balanced, "the ledger balances: $ledger")
            assertEquals(entriesBefore + 1, ledger.entries)
            client.history.sync()
            val rows = client.history.search(memo, 10u)
            assertEquals(listOf(BigDecimal("-66.60")), rows.map { it.amount }, "history rows: $rows")
            assertTrue(client.transfers.reconcile().isEmpty(), "nothing is left to reconcile")
            assertEquals(listOf(TransferState.Settled), client.transfers.list().map { it.state })
        }
    }

    @Test
    fun `a draft needs a live session`(@TempDir dataDir: File) = runTest {
        loggedIn(dataDir).use { client ->
            val payer = currentAccount(client)
            client.auth.logout()
            assertFailsWith<MobankException.NotLoggedIn> { client.transfers.draft(toLandlord(payer, "500")) }
        }
    }

    private companion object {
        /** The demo landlord's account at the sandbox bank, spaced as people type it. */
        const val LANDLORD_NUMBER = "6222 0288 8800 6509"
    }
}
