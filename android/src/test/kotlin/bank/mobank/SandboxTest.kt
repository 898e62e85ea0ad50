package bank.mobank

import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.MonotonicClock
import bank.mobank.ffi.PlatformKeyStore
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.TestInstance
import java.io.File

/**
 * A test class that talks to a sandbox bank of its own, started once for the class: its phones
 * are opened on that bank's endpoint and bound to the demo customer the way a customer does it,
 * with the activation code and the OTP from the SMS outbox.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SandboxTest {
    protected lateinit var sandbox: SandboxProcess
        private set

    @BeforeAll
    fun startSandbox() {
        sandbox = SandboxProcess.start()
    }

    @AfterAll
    fun stopSandbox() {
        sandbox.close()
    }

    /** A phone whose state lives in [dataDir], talking to [bank]. */
    protected fun open(
        dataDir: File,
        keyStore: PlatformKeyStore = JvmKeyStore(),
        bank: SandboxProcess = sandbox,
        clock: MonotonicClock? = null,
    ): MobankClient = Mobank.open(dataDir, bank.bank, deviceName = DEVICE_NAME, keyStore = keyStore, clock = clock)

    /** Binds [client] to the demo customer at [bank], typing the OTP from the sandbox's SMS outbox. */
    protected suspend fun bind(client: MobankClient, bank: SandboxProcess = sandbox) {
        val issued = bank.issueActivationCode("demo")
        client.activation.start(issued.code)
        client.activation.complete(bank.latestOtp(issued.phone), PIN.toCharArray())
    }

    companion object {
        const val DEVICE_NAME = "JVM test phone"

        /** A PIN the policy accepts (no run, pattern, date or common number). */
        const val PIN = "749163"
        const val WRONG_PIN = "749164"
    }
}
