package bank.mobank

import bank.mobank.ffi.core.BankEndpoint
import bank.mobank.ffi.core.LimitReason
import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.Subscription
import bank.mobank.ffi.core.MobankEvent
import bank.mobank.ffi.core.MobankException
import bank.mobank.ffi.core.SensitiveOperation
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.test.assertFailsWith
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.util.UUID
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/**
 * The session and the binding under attack, through the Kotlin API against the sandbox binary:
 * idle timeout on the app's monotonic clock, the PIN's attempt counter and its silence about
 * which factor failed, a restored older device state, a man-in-the-middle server, and what the
 * data directory may contain. (A replayed login challenge cannot be sent through the public
 * API; the Rust end-to-end suite covers it.)
 */
class SessionSecurityTest : SandboxTest() {
    /** Kept so that a test's listener stays subscribed until the class is done. */
    private val subscriptions = mutableListOf<Subscription>()

    /** This client, with [listener] subscribed to its events. */
    private fun MobankClient.heardBy(listener: RecordingListener): MobankClient =
        also { subscriptions.add(it.subscribe(listener)) }

    @Test
    fun `idle 4 59 passes, 5 01 is SessionExpired without a network call, and the listener hears it`(
        @TempDir dataDir: File,
    ) = runTest {
        // Its own bank: this test stops it.
        val bank = SandboxProcess.start()
        val clock = ManualClock()
        lateinit var client: MobankClient
        // Calls back into the client from inside the callback: a library lock held during
        // delivery would deadlock here.
        val listener = RecordingListener { client.auth.needsStepUp(SensitiveOperation.REVOKE_DEVICE) }
        client = open(dataDir, bank = bank, clock = clock).heardBy(listener)
        try {
            bind(client, bank)
            val session = client.auth.loginBiometric("Log in to Mobank")
            assertEquals(300u, session.idleTimeoutSecs)
            // A newly bound device starts with the cooling-off limits, told once as an event.
            assertEquals(LimitReason.COOLING_OFF, session.limits?.reason)
            assertEquals(listOf<MobankEvent>(MobankEvent.LimitsChanged(session.limits!!)), listener.events.toList())
            listener.events.clear()

            clock.advance(4.minutes + 59.seconds)
            assertTrue(client.accounts.list().size >= 2, "4:59 idle: the session is alive")

            clock.advance(5.minutes + 1.seconds)
            // The bank is gone: only a check made before any network call can answer now.
            bank.close()
            assertFailsWith<MobankException.SessionExpired> { client.accounts.list() }
            assertEquals(listOf<MobankEvent>(MobankEvent.SessionExpired), listener.events.toList())

            // The session is gone for good, not just refused once.
            assertFailsWith<MobankException.NotLoggedIn> { client.accounts.list() }
        } finally {
            client.close()
            bank.close()
        }
    }

    @Test
    fun `the idle window spent in the background locks the session and the listener hears SessionLocked`(
        @TempDir dataDir: File,
    ) = runTest {
        val clock = ManualClock()
        val listener = RecordingListener()
        open(dataDir, clock = clock).heardBy(listener).use { client ->
            bind(client)
            client.auth.loginBiometric("Log in to Mobank")
            listener.events.clear()

            client.appEnteredBackground()
            clock.advance(4.minutes + 59.seconds)
            client.appEnteredForeground()
            assertTrue(client.accounts.list().isNotEmpty(), "a short trip to the background keeps the session")
            assertTrue(listener.events.isEmpty(), "no event: ${listener.events}")

            client.appEnteredBackground()
            clock.advance(5.minutes)
            client.appEnteredForeground()
            assertEquals(listOf<MobankEvent>(MobankEvent.SessionLocked), listener.events.toList())
            assertFailsWith<MobankException.NotLoggedIn> { client.accounts.list() }
        }
    }

    @Test
    fun `five wrong PINs leave 4, 3, 2, 1 attempts and then the device is blocked`(@TempDir dataDir: File) = runTest {
        open(dataDir).use { client ->
            bind(client)
            val remaining = (1..4).map {
                assertFailsWith<MobankException.AuthenticationFailed> {
                    client.auth.loginPin(WRONG_PIN.toCharArray())
                }.attemptsRemaining
            }
            assertEquals(listOf(4u, 3u, 2u, 1u), remaining)

            assertFailsWith<MobankException.DeviceBlocked> { client.auth.loginPin(WRONG_PIN.toCharArray()) }
            // Blocked for good: the right PIN and the biometric key no longer help.
            assertFailsWith<MobankException.DeviceBlocked> { client.auth.loginPin(PIN.toCharArray()) }
            assertFailsWith<MobankException.DeviceBlocked> { client.auth.loginBiometric("Log in to Mobank") }
            assertTrue(client.bindingState().boundDevice?.blocked == true, "the phone knows it is blocked")
        }
    }

    @Test
    fun `a wrong PIN and a wrong biometric key fail with the same error`(
        @TempDir pinPhoneDir: File,
        @TempDir biometricPhoneDir: File,
    ) = runTest {
        val impostor = ImpostorKeyStore()
        open(pinPhoneDir).use { pinPhone ->
            open(biometricPhoneDir, impostor).use { biometricPhone ->
                bind(pinPhone)
                bind(biometricPhone)

                val wrongPin = assertFailsWith<MobankException.AuthenticationFailed> {
                    pinPhone.auth.loginPin(WRONG_PIN.toCharArray())
                }
                impostor.impostor = true
                val wrongBiometric = assertFailsWith<MobankException.AuthenticationFailed> {
                    biometricPhone.auth.loginBiometric("Log in to Mobank")
                }
                assertEquals(wrongPin.javaClass, wrongBiometric.javaClass)
                assertEquals(4u, wrongPin.attemptsRemaining)
                assertEquals(wrongPin.attemptsRemaining, wrongBiometric.attemptsRemaining)
                assertEquals(wrongPin.message, wrongBiometric.message)

                // Both factors draw on the one counter of the binding.
                val afterPin = assertFailsWith<MobankException.AuthenticationFailed> {
                    biometricPhone.auth.loginPin(WRONG_PIN.toCharArray())
                }
                assertEquals(3u, afterPin.attemptsRemaining)
                impostor.impostor = false
                biometricPhone.auth.loginBiometric("Log in to Mobank")
                assertTrue(biometricPhone.accounts.list().isNotEmpty())
            }
        }
    }

    @Test
    fun `logging in with a restored older copy of the app's data blocks the device`(@TempDir dataDir: File) = runTest {
        open(dataDir).use { client ->
            bind(client)
            val backup = client.copyOfData(dataDir)
            client.auth.loginBiometric("Log in to Mobank")
            client.auth.logout()

            // A backup from before that login comes back, and the signature counters with it.
            client.putBack(dataDir, backup)
            assertFailsWith<MobankException.DeviceBlocked> { client.auth.loginBiometric("Log in to Mobank") }
            assertFailsWith<MobankException.DeviceBlocked> { client.auth.loginPin(PIN.toCharArray()) }
            assertTrue(client.bindingState().boundDevice?.blocked == true)
        }
    }

    /** Every file of the data directory, as a device backup takes it (the store paused meanwhile). */
    private fun MobankClient.copyOfData(dataDir: File): Map<String, ByteArray> {
        pauseStorage()
        try {
            return dataDir.walkTopDown().filter { it.isFile }.associate { it.relativeTo(dataDir).path to it.readBytes() }
        } finally {
            resumeStorage()
        }
    }

    /** Replaces the data directory's files with [copy], as restoring a backup does. */
    private fun MobankClient.putBack(dataDir: File, copy: Map<String, ByteArray>) {
        pauseStorage()
        try {
            dataDir.walkTopDown().filter { it.isFile }.forEach { it.delete() }
            for ((path, bytes) in copy) File(dataDir, path).apply { parentFile.mkdirs() }.writeBytes(bytes)
        } finally {
            resumeStorage()
        }
    }

    @Test
    fun `a server with another certificate is refused before the request reaches it`(
        @TempDir dataDir: File,
        @TempDir controlDir: File,
    ) = runTest {
        // The man in the middle: a real TLS server at the bank's address, with its own key.
        val impostor = SandboxProcess.start()
        try {
            val issued = impostor.issueActivationCode("demo")
            val mitm = BankEndpoint(impostor.baseUrl, listOf(sandbox.spkiPin), listOf(impostor.receiptKey))
            Mobank.open(dataDir, mitm, DEVICE_NAME, JvmKeyStore()).use { client ->
                assertFailsWith<MobankException.PinningFailed> { client.activation.start(issued.code) }
            }
            assertEquals(0, impostor.smsCount(issued.phone), "the activation request never reached the server")

            // The same request with that server's own pin goes through: the refusal was the pin.
            open(controlDir, bank = impostor).use { client ->
                client.activation.start(issued.code)
            }
            assertEquals(1, impostor.smsCount(issued.phone))
        } finally {
            impostor.close()
        }
    }

    @Test
    fun `no token, memo or counterparty is in the data directory, and synced history is searchable`(
        @TempDir dataDir: File,
    ) = runTest {
        val canary = UUID.randomUUID().toString().take(8)
        val memo = "canary memo $canary 金丝雀"
        val counterparty = "Canary Shop $canary"
        open(dataDir).use { client ->
            bind(client)
            client.auth.loginBiometric("Log in to Mobank")
            sandbox.appendTransaction("-42.17", counterparty, memo, "shopping")

            val report = client.history.sync()
            assertTrue(report.stored >= 1uL && report.fetched >= 1uL, "$report")
            val found = client.history.search("金丝雀", 10u).filter { canary in it.memo }
            assertEquals(1, found.size, "the canary memo is found by its Chinese word")
            assertEquals(memo, found[0].memo)
            assertEquals(counterparty, found[0].counterparty)
            assertEquals("-42.17".toBigDecimal(), found[0].amount)
            assertEquals(found, client.history.search("CANARY SHOP $canary", 10u), "case-insensitive")

            assertNothingReadable(dataDir, memo, counterparty, canary)
            client.pauseStorage()
            assertNothingReadable(dataDir, memo, counterparty, canary)
            client.resumeStorage()
            assertEquals(found, client.history.search(canary, 10u))
        }
    }

    private fun assertNothingReadable(dataDir: File, vararg canaries: String) {
        val files = dataDir.walkTopDown().filter { it.isFile }.toList()
        assertTrue(files.any { it.name == "vault.db" }, "the encrypted store exists: $files")
        for (file in files) {
            val name = file.relativeTo(dataDir).path
            assertTrue(EXPECTED_FILE.matches(name), "unexpected file in the data directory: $name")
            val bytes = file.readBytes()
            for (canary in canaries.toList() + "Bearer") {
                assertFalse(contains(bytes, canary.toByteArray()), "\"$canary\" is readable in $name")
            }
        }
    }

    private fun contains(haystack: ByteArray, needle: ByteArray): Boolean =
        (0..haystack.size - needle.size).any { start -> needle.indices.all { haystack[start + it] == needle[it] } }

    private companion object {
        /** The encrypted store (binding state and history), with SQLite's WAL and shared-memory files. */
        val EXPECTED_FILE = Regex("""store/(vault|cache)\.db(\.bak)?(-wal|-shm|-journal)?""")
    }
}
