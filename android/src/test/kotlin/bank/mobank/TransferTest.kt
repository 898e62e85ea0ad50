package bank.mobank

import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.core.Account
import bank.mobank.ffi.core.AccountNumberError
import bank.mobank.ffi.core.AmountInputError
import bank.mobank.ffi.core.Channel
import bank.mobank.ffi.core.MobankException
import bank.mobank.ffi.core.ProductKind
import bank.mobank.ffi.core.TransferInput
import bank.mobank.ffi.core.TransferState
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.math.BigDecimal
import java.util.Collections
import kotlin.test.assertFailsWith

/**
 * Transfers through the Kotlin API against the sandbox bank: the confirmation the customer
 * reads, the signature behind the biometric prompt or the PIN, the bank's receipt, and input
 * refused on the phone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferTest {
    private lateinit var sandbox: SandboxProcess

    @BeforeAll
    fun startSandbox() {
        sandbox = SandboxProcess.start()
    }

    @AfterAll
    fun stopSandbox() {
        sandbox.close()
    }

    /** A phone bound to the demo customer and logged in with the PIN. */
    private suspend fun loggedIn(dataDir: File, keyStore: PlatformKeyStore = JvmKeyStore()): MobankClient {
        val client = Mobank.open(dataDir, sandbox.bank, deviceName = "JVM test phone", keyStore = keyStore)
        val issued = sandbox.issueActivationCode("demo")
        client.activation.start(issued.code)
        client.activation.complete(sandbox.latestOtp(issued.phone), PIN.toCharArray())
        client.auth.loginPin(PIN.toCharArray())
        return client
    }

    private suspend fun currentAccount(client: MobankClient): Account =
        client.accounts.list().first { it.product == ProductKind.CURRENT && it.currency == "CNY" && it.parentAccountId == null }

    private fun toLandlord(payer: Account, amount: String, payeeNumber: String = LANDLORD_NUMBER) = TransferInput(
        payerAccountId = payer.accountId,
        payeeAccountNumber = payeeNumber,
        payeeBankCode = "MOBANK",
        amount = amount,
        memo = "十二月房租",
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
        Mobank.open(dataDir, sandbox.bank, deviceName = "JVM test phone", keyStore = keyStore).use { client ->
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
            val confirmation = client.transfers.draft(toLandlord(payer, "500"))

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
    fun `a draft needs a live session`(@TempDir dataDir: File) = runTest {
        loggedIn(dataDir).use { client ->
            val payer = currentAccount(client)
            client.auth.logout()
            assertFailsWith<MobankException.NotLoggedIn> { client.transfers.draft(toLandlord(payer, "500")) }
        }
    }

    private companion object {
        const val PIN = "749163"
        const val WRONG_PIN = "749164"

        /** The demo landlord's account at the sandbox bank, spaced as people type it. */
        const val LANDLORD_NUMBER = "6222 0288 8800 6509"
    }
}
