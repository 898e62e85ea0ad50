package bank.mobank

import bank.mobank.ffi.core.BindingState
import bank.mobank.ffi.core.KeyPurpose
import bank.mobank.ffi.KeyStoreFailure
import bank.mobank.ffi.core.MobankException
import bank.mobank.ffi.core.PinRejection
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.core.ProductKind
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.test.assertFailsWith
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.time.Instant
import java.math.BigDecimal
import java.util.Collections

/**
 * The customer journey through the Kotlin API, against the sandbox bank binary over real TLS:
 * activation code → OTP by SMS → device bound → biometric login → accounts. Bad input gets the
 * typed Kotlin exception.
 */
class JourneyTest : SandboxTest() {
    @Test
    fun `binds the phone, logs in with biometrics and lists the accounts`(@TempDir dataDir: File) = runTest {
        val prompts = Collections.synchronizedList(mutableListOf<String>())
        val client = open(dataDir, JvmKeyStore { prompt -> prompts.add(prompt); true })
        assertEquals(BindingState.NotBound, client.bindingState())

        val issued = sandbox.issueActivationCode("demo")
        val started = client.activation.start(issued.code)
        assertTrue(started.maskedPhone.contains("*"), "phone is masked: ${started.maskedPhone}")
        assertFalse(started.maskedPhone.contains(issued.phone.drop(1)), "full phone number not shown")
        assertTrue(started.otpExpiresAt.isAfter(Instant.now()), "the OTP expires in the future")

        val device = client.activation.complete(sandbox.latestOtp(issued.phone), PIN.toByteArray())
        assertTrue(device.customerName.isNotBlank())
        assertEquals("JVM test phone", device.deviceName)
        assertTrue(device.possessionKeyFingerprint.isNotBlank())
        assertTrue(device.userVerifiedKeyFingerprint.isNotBlank())
        assertTrue(device.possessionKeyFingerprint != device.userVerifiedKeyFingerprint)
        assertEquals(device, client.bindingState().boundDevice)
        assertEquals(1, prompts.size, "binding asked the customer once, to prove the biometric key: $prompts")

        val session = client.auth.loginBiometric("Log in to Mobank")
        assertTrue(session.idleTimeoutSecs > 0u)
        assertTrue(session.expiresAt.isAfter(Instant.now()), "the session expires in the future")
        assertEquals(listOf(prompts[0], "Log in to Mobank"), prompts.toList(), "the login prompt showed the app's text once")

        val accounts = client.accounts.list()
        assertTrue(accounts.size >= 2, "at least two accounts: $accounts")
        assertTrue(accounts.any { it.product == ProductKind.CURRENT && it.currency == "CNY" })
        assertTrue(accounts.any { it.product == ProductKind.SAVINGS })
        for (account in accounts) {
            assertTrue(account.balance >= BigDecimal.ZERO, "balance of ${account.name}")
            assertTrue(account.maskedNumber.contains("*"), "account number is masked")
        }
        assertTrue(accounts.any { it.balance > BigDecimal.ZERO })

        client.auth.logout()
        assertFailsWith<MobankException.NotLoggedIn> { client.accounts.list() }
        client.close()
    }

    @Test
    fun `the binding survives a restart of the app`(@TempDir dataDir: File) = runTest {
        val keyStore = JvmKeyStore()
        val device = open(dataDir, keyStore).use { client -> bind(client); client.bindingState().boundDevice }
        assertNotNull(device)

        open(dataDir, keyStore).use { client ->
            assertEquals(device, client.bindingState().boundDevice)
            client.auth.loginBiometric("Log in to Mobank")
            assertTrue(client.accounts.list().size >= 2)
        }
    }

    @Test
    fun `a wrong OTP is OtpInvalid and the right one still binds`(@TempDir dataDir: File) = runTest {
        open(dataDir, JvmKeyStore()).use { client ->
            val issued = sandbox.issueActivationCode("demo")
            client.activation.start(issued.code)
            val otp = sandbox.latestOtp(issued.phone)
            val wrong = ((otp.toInt() + 1) % 1_000_000).toString().padStart(6, '0')

            assertFailsWith<MobankException.OtpInvalid> { client.activation.complete(wrong, PIN.toByteArray()) }
            assertEquals(BindingState.NotBound, client.bindingState())

            client.activation.complete(otp, PIN.toByteArray())
            assertNotNull(client.bindingState().boundDevice)
        }
    }

    @Test
    fun `a PIN that is too easy is PinRejected before anything is sent`(@TempDir dataDir: File) = runTest {
        open(dataDir, JvmKeyStore()).use { client ->
            val issued = sandbox.issueActivationCode("demo")
            client.activation.start(issued.code)
            val otp = sandbox.latestOtp(issued.phone)

            val error = assertFailsWith<MobankException.PinRejected> {
                client.activation.complete(otp, "123456".toByteArray())
            }
            assertEquals(PinRejection.SEQUENCE, error.reason)
            assertFailsWith<MobankException.PinRejected> { client.activation.complete(otp, "12a456".toCharArray()) }
            assertEquals(BindingState.NotBound, client.bindingState())

            // Nothing reached the bank, so the same OTP still binds.
            client.activation.complete(otp, PIN.toCharArray())
            assertNotNull(client.bindingState().boundDevice)
        }
    }

    @Test
    fun `logs in with the PIN, and a wrong PIN is AuthenticationFailed with the attempts left`(@TempDir dataDir: File) = runTest {
        val prompts = Collections.synchronizedList(mutableListOf<String>())
        open(dataDir, JvmKeyStore { prompt -> prompts.add(prompt); true }).use { client ->
            bind(client)
            val promptsAfterBinding = prompts.size

            val error = assertFailsWith<MobankException.AuthenticationFailed> { client.auth.loginPin(WRONG_PIN.toCharArray()) }
            assertEquals(4u, error.attemptsRemaining, "five attempts in all")
            assertFailsWith<MobankException.NotLoggedIn> { client.accounts.list() }

            client.auth.loginPin(PIN.toCharArray())
            assertTrue(client.accounts.list().size >= 2)
            assertEquals(promptsAfterBinding, prompts.size, "a PIN login never shows the biometric prompt")
        }
    }

    @Test
    fun `an unknown activation code is ActivationCodeInvalid`(@TempDir dataDir: File) = runTest {
        open(dataDir, JvmKeyStore()).use { client ->
            assertFailsWith<MobankException.ActivationCodeInvalid> { client.activation.start("ZZZZ9999ZZZZ") }
            assertEquals(BindingState.NotBound, client.bindingState())
        }
    }

    @Test
    fun `accounts before login is NotLoggedIn`(@TempDir dataDir: File) = runTest {
        open(dataDir, JvmKeyStore()).use { client ->
            bind(client)
            assertFailsWith<MobankException.NotLoggedIn> { client.accounts.list() }
        }
    }

    @Test
    fun `a refused biometric prompt fails the login without a session`(@TempDir dataDir: File) = runTest {
        var allow = true
        open(dataDir, JvmKeyStore { allow }).use { client ->
            bind(client)
            allow = false
            val error = assertFailsWith<MobankException.AuthenticationFailed> {
                client.auth.loginBiometric("Log in to Mobank")
            }
            assertInstanceOf(MobankException::class.java, error)
            assertFailsWith<MobankException.NotLoggedIn> { client.accounts.list() }

            allow = true
            client.auth.loginBiometric("Log in to Mobank")
            assertTrue(client.accounts.list().isNotEmpty())
        }
    }

    @Test
    fun `a locked key store is KeyStoreLocked, not a lost binding`(@TempDir dataDir: File) = runTest {
        val keyStore = LockableKeyStore(JvmKeyStore())
        open(dataDir, keyStore).use { client ->
            bind(client)
            keyStore.locked = true
            assertFailsWith<MobankException.KeyStoreLocked> { client.auth.loginBiometric("Log in to Mobank") }
            keyStore.locked = false
            client.auth.loginBiometric("Log in to Mobank")
            assertTrue(client.accounts.list().size >= 2)
        }
    }

    @Test
    fun `an undeclared exception in the key store is a typed KeyStore error, not a crash`(@TempDir dataDir: File) = runTest {
        val keyStore = LockableKeyStore(JvmKeyStore())
        open(dataDir, keyStore).use { client ->
            bind(client)
            keyStore.crash = true
            val error = assertFailsWith<MobankException.KeyStore> { client.auth.loginBiometric("Log in to Mobank") }
            assertTrue(error.detail.contains("IllegalStateException"), error.detail)
            keyStore.crash = false
            client.auth.loginBiometric("Log in to Mobank")
            assertTrue(client.accounts.list().size >= 2)
        }
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
