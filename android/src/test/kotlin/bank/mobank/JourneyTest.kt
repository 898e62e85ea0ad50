package bank.mobank

import bank.mobank.ffi.BindingState
import bank.mobank.ffi.KeyPurpose
import bank.mobank.ffi.KeyStoreFailure
import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.MobankException
import bank.mobank.ffi.PinRejection
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.ProductKind
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.math.BigDecimal
import java.util.Collections

/**
 * The customer journey through the Kotlin API, against the sandbox bank binary over real TLS:
 * activation code → OTP by SMS → device bound → biometric login → accounts. Bad input gets the
 * typed Kotlin exception.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JourneyTest {
    private lateinit var sandbox: SandboxProcess

    @BeforeAll
    fun startSandbox() {
        sandbox = SandboxProcess.start()
    }

    @AfterAll
    fun stopSandbox() {
        sandbox.close()
    }

    private fun open(dataDir: File, keyStore: PlatformKeyStore): MobankClient =
        Mobank.open(dataDir, sandbox.bank, deviceName = "JVM test phone", keyStore = keyStore)

    /** Binds [client] to the demo customer, typing the OTP from the sandbox's SMS outbox. */
    private suspend fun bind(client: MobankClient) {
        val issued = sandbox.issueActivationCode("demo")
        client.startActivation(issued.code)
        client.completeActivation(sandbox.latestOtp(issued.phone), PIN.toCharArray())
    }

    @Test
    fun `binds the phone, logs in with biometrics and lists the accounts`(@TempDir dataDir: File) = runBlocking<Unit> {
        val prompts = Collections.synchronizedList(mutableListOf<String>())
        val client = open(dataDir, JvmKeyStore { prompt -> prompts.add(prompt); true })
        assertEquals(BindingState.NotBound, client.bindingState())

        val issued = sandbox.issueActivationCode("demo")
        val started = client.startActivation(issued.code)
        assertTrue(started.maskedPhone.contains("*"), "phone is masked: ${started.maskedPhone}")
        assertFalse(started.maskedPhone.contains(issued.phone.drop(1)), "full phone number not shown")
        assertTrue(started.otpExpiresAtMs > 0)

        val device = client.completeActivation(sandbox.latestOtp(issued.phone), PIN.toByteArray())
        assertTrue(device.customerName.isNotBlank())
        assertEquals("JVM test phone", device.deviceName)
        assertTrue(device.possessionKeyFingerprint.isNotBlank())
        assertTrue(device.userVerifiedKeyFingerprint.isNotBlank())
        assertTrue(device.possessionKeyFingerprint != device.userVerifiedKeyFingerprint)
        assertEquals(device, client.bindingState().boundDevice)
        assertEquals(1, prompts.size, "binding asked the customer once, to prove the biometric key: $prompts")

        val session = client.loginBiometric("Log in to Mobank")
        assertTrue(session.idleTimeoutSecs > 0u)
        assertTrue(session.expiresAtMs > System.currentTimeMillis(), "the session expires in the future")
        assertEquals(listOf(prompts[0], "Log in to Mobank"), prompts.toList(), "the login prompt showed the app's text once")

        val accounts = client.accounts()
        assertTrue(accounts.size >= 2, "at least two accounts: $accounts")
        assertTrue(accounts.any { it.product == ProductKind.CURRENT && it.currency == "CNY" })
        assertTrue(accounts.any { it.product == ProductKind.SAVINGS })
        for (account in accounts) {
            assertTrue(account.balanceAmount >= BigDecimal.ZERO, "balance of ${account.name}")
            assertTrue(account.maskedNumber.contains("*"), "account number is masked")
        }
        assertTrue(accounts.any { it.balanceAmount > BigDecimal.ZERO })

        client.logout()
        assertThrows<MobankException.NotLoggedIn> { runBlocking { client.accounts() } }
        client.close()
    }

    @Test
    fun `the binding survives a restart of the app`(@TempDir dataDir: File) = runBlocking<Unit> {
        val keyStore = JvmKeyStore()
        val device = open(dataDir, keyStore).use { client -> bind(client); client.bindingState().boundDevice }
        assertNotNull(device)

        open(dataDir, keyStore).use { client ->
            assertEquals(device, client.bindingState().boundDevice)
            client.loginBiometric("Log in to Mobank")
            assertTrue(client.accounts().size >= 2)
        }
    }

    @Test
    fun `a wrong OTP is OtpInvalid and the right one still binds`(@TempDir dataDir: File) = runBlocking<Unit> {
        open(dataDir, JvmKeyStore()).use { client ->
            val issued = sandbox.issueActivationCode("demo")
            client.startActivation(issued.code)
            val otp = sandbox.latestOtp(issued.phone)
            val wrong = ((otp.toInt() + 1) % 1_000_000).toString().padStart(6, '0')

            assertThrows<MobankException.OtpInvalid> { runBlocking { client.completeActivation(wrong, PIN.toByteArray()) } }
            assertEquals(BindingState.NotBound, client.bindingState())

            client.completeActivation(otp, PIN.toByteArray())
            assertNotNull(client.bindingState().boundDevice)
        }
    }

    @Test
    fun `a PIN that is too easy is PinRejected before anything is sent`(@TempDir dataDir: File) = runBlocking<Unit> {
        open(dataDir, JvmKeyStore()).use { client ->
            val issued = sandbox.issueActivationCode("demo")
            client.startActivation(issued.code)
            val otp = sandbox.latestOtp(issued.phone)

            val error = assertThrows<MobankException.PinRejected> {
                runBlocking { client.completeActivation(otp, "123456".toByteArray()) }
            }
            assertEquals(PinRejection.SEQUENCE, error.reason)
            assertThrows<MobankException.PinRejected> { runBlocking { client.completeActivation(otp, "12a456".toCharArray()) } }
            assertEquals(BindingState.NotBound, client.bindingState())

            // Nothing reached the bank, so the same OTP still binds.
            client.completeActivation(otp, PIN.toCharArray())
            assertNotNull(client.bindingState().boundDevice)
        }
    }

    @Test
    fun `logs in with the PIN, and a wrong PIN is AuthenticationFailed with the attempts left`(@TempDir dataDir: File) = runBlocking<Unit> {
        val prompts = Collections.synchronizedList(mutableListOf<String>())
        open(dataDir, JvmKeyStore { prompt -> prompts.add(prompt); true }).use { client ->
            bind(client)
            val promptsAfterBinding = prompts.size

            val error = assertThrows<MobankException.AuthenticationFailed> { runBlocking { client.loginPin(WRONG_PIN.toCharArray()) } }
            assertEquals(4u, error.attemptsRemaining, "five attempts in all")
            assertThrows<MobankException.NotLoggedIn> { runBlocking { client.accounts() } }

            client.loginPin(PIN.toCharArray())
            assertTrue(client.accounts().size >= 2)
            assertEquals(promptsAfterBinding, prompts.size, "a PIN login never shows the biometric prompt")
        }
    }

    @Test
    fun `an unknown activation code is ActivationCodeInvalid`(@TempDir dataDir: File) = runBlocking<Unit> {
        open(dataDir, JvmKeyStore()).use { client ->
            assertThrows<MobankException.ActivationCodeInvalid> { runBlocking { client.startActivation("ZZZZ9999ZZZZ") } }
            assertEquals(BindingState.NotBound, client.bindingState())
        }
    }

    @Test
    fun `accounts before login is NotLoggedIn`(@TempDir dataDir: File) = runBlocking<Unit> {
        open(dataDir, JvmKeyStore()).use { client ->
            bind(client)
            assertThrows<MobankException.NotLoggedIn> { runBlocking { client.accounts() } }
        }
    }

    @Test
    fun `a refused biometric prompt fails the login without a session`(@TempDir dataDir: File) = runBlocking<Unit> {
        var allow = true
        open(dataDir, JvmKeyStore { allow }).use { client ->
            bind(client)
            allow = false
            val error = assertThrows<MobankException.AuthenticationFailed> {
                runBlocking { client.loginBiometric("Log in to Mobank") }
            }
            assertInstanceOf(MobankException::class.java, error)
            assertThrows<MobankException.NotLoggedIn> { runBlocking { client.accounts() } }

            allow = true
            client.loginBiometric("Log in to Mobank")
            assertTrue(client.accounts().isNotEmpty())
        }
    }

    @Test
    fun `a locked key store is KeyStoreLocked, not a lost binding`(@TempDir dataDir: File) = runBlocking<Unit> {
        val keyStore = LockableKeyStore(JvmKeyStore())
        open(dataDir, keyStore).use { client ->
            bind(client)
            keyStore.locked = true
            assertThrows<MobankException.KeyStoreLocked> { runBlocking { client.loginBiometric("Log in to Mobank") } }
            keyStore.locked = false
            client.loginBiometric("Log in to Mobank")
            assertTrue(client.accounts().size >= 2)
        }
    }

    @Test
    fun `an undeclared exception in the key store is a typed KeyStore error, not a crash`(@TempDir dataDir: File) = runBlocking<Unit> {
        val keyStore = LockableKeyStore(JvmKeyStore())
        open(dataDir, keyStore).use { client ->
            bind(client)
            keyStore.crash = true
            val error = assertThrows<MobankException.KeyStore> { runBlocking { client.loginBiometric("Log in to Mobank") } }
            assertTrue(error.detail.contains("IllegalStateException"), error.detail)
            keyStore.crash = false
            client.loginBiometric("Log in to Mobank")
            assertTrue(client.accounts().size >= 2)
        }
    }

    private companion object {
        /** A PIN the policy accepts (no run, pattern, date or common number). */
        const val PIN = "749163"
        const val WRONG_PIN = "749164"
    }

    /** A platform key store that can be "locked", as Android Keystore is before the first unlock. */
    private class LockableKeyStore(private val inner: PlatformKeyStore) : PlatformKeyStore by inner {
        @Volatile var locked = false

        /** Throws what a buggy adapter might: an exception the interface does not declare. */
        @Volatile var crash = false

        override fun sign(alias: String, message: ByteArray, prompt: String?): ByteArray {
            if (locked) throw KeyStoreFailure.Locked()
            check(!crash) { "adapter bug" }
            return inner.sign(alias, message, prompt)
        }

        override fun generate(alias: String, purpose: KeyPurpose): ByteArray {
            if (locked) throw KeyStoreFailure.Locked()
            return inner.generate(alias, purpose)
        }
    }
}
