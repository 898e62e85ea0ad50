package bank.mobank

import bank.mobank.ffi.core.BankEndpoint
import bank.mobank.ffi.core.MobankEvent
import bank.mobank.ffi.core.MobankException
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.util.Collections
import kotlin.test.assertFailsWith

/**
 * What the Kotlin shell adds over the generated code: the event `Flow`, and checks that raise
 * the library's own typed error with the library's own text.
 */
class ShellTest : SandboxTest() {
    @Test
    fun `two collectors of the events both hear the login and a cancelled one hears nothing`(
        @TempDir dataDir: File,
    ) = runTest {
        open(dataDir).use { client ->
            bind(client)
            val first = async { client.events.first() }
            val second = async { client.events.first() }
            val heardByCancelled = Collections.synchronizedList(mutableListOf<MobankEvent>())
            val cancelled = launch { client.events.collect { heardByCancelled.add(it) } }
            val listener = RecordingListener()
            val subscription = client.subscribe(listener)
            runCurrent()
            cancelled.cancel()
            subscription.cancel()
            runCurrent()

            val session = client.auth.loginBiometric("Log in to Mobank")

            val expected = MobankEvent.LimitsChanged(session.limits!!)
            assertEquals(expected, first.await())
            assertEquals(expected, second.await())
            assertTrue(heardByCancelled.isEmpty(), "a cancelled collector hears nothing: $heardByCancelled")
            assertTrue(listener.events.isEmpty(), "a cancelled subscription hears nothing: ${listener.events}")
        }
    }

    @Test
    fun `an endpoint without pins is the library's InvalidInput, not IllegalArgumentException`(
        @TempDir dataDir: File,
    ) {
        assertFailsWith<MobankException.InvalidInput> {
            Mobank.open(dataDir, BankEndpoint(sandbox.baseUrl, emptyList(), listOf(sandbox.receiptKey)), DEVICE_NAME, JvmKeyStore())
        }
    }

    @Test
    fun `an error's text is the library's own`(@TempDir dataDir: File) = runTest {
        open(dataDir).use { client ->
            val notLoggedIn = assertFailsWith<MobankException.NotLoggedIn> { client.accounts.list() }
            assertEquals("not logged in", notLoggedIn.toString())

            val issued = sandbox.issueActivationCode("demo")
            client.activation.start(issued.code)
            val otp = sandbox.latestOtp(issued.phone)
            val wrong = ((otp.toInt() + 1) % 1_000_000).toString().padStart(6, '0')
            val otpInvalid = assertFailsWith<MobankException.OtpInvalid> {
                client.activation.complete(wrong, PIN.toCharArray())
            }
            assertEquals("the one-time password is wrong", otpInvalid.toString())

            val easyPin = assertFailsWith<MobankException.PinRejected> {
                client.activation.complete(otp, "123456".toCharArray())
            }
            assertTrue(easyPin.toString().startsWith("the PIN was refused: "), easyPin.toString())
        }
    }
}
