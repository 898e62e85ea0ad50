package bank.mobank

import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.MonotonicClock
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.core.Account
import bank.mobank.ffi.core.ProductKind
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.TestInstance
import java.io.File

/**
 * A test class that talks to a sandbox bank of its own, started once for the class: its phones
 * are opened on that bank's endpoint and bound to the demo customer (or to a customer made for
 * the test) the way a customer does it, with the activation code and the OTP from the SMS outbox.
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
        deviceName: String = DEVICE_NAME,
    ): MobankClient = Mobank.open(dataDir, bank.bank, deviceName = deviceName, keyStore = keyStore, clock = clock)

    /** Binds [client] to [customerId] at [bank], typing the OTP from the sandbox's SMS outbox. */
    protected suspend fun bind(client: MobankClient, bank: SandboxProcess = sandbox, customerId: String = DEMO_CUSTOMER) {
        val issued = bank.issueActivationCode(customerId)
        client.activation.start(issued.code)
        client.activation.complete(bank.latestOtp(issued.phone), PIN.toCharArray())
    }

    /** A phone in [dataDir] bound to [customerId] at the class's bank and logged in with the PIN. */
    protected suspend fun loggedInPhone(
        dataDir: File,
        customerId: String = DEMO_CUSTOMER,
        clock: MonotonicClock? = null,
        deviceName: String = DEVICE_NAME,
    ): MobankClient = open(dataDir, clock = clock, deviceName = deviceName).also { client ->
        bind(client, customerId = customerId)
        client.auth.loginPin(PIN.toCharArray())
    }

    /** The customer's CNY current account (not a sub-account of it), as the bank reports it now. */
    protected suspend fun currentCnyAccount(client: MobankClient): Account =
        client.accounts.list().first { it.product == ProductKind.CURRENT && it.currency == "CNY" && it.parentAccountId == null }

    /**
     * Moves the bank's clock past the cooling-off of every phone bound so far (and into a new
     * bank day), then logs [client] in again: its session idled out at the bank meanwhile.
     */
    protected suspend fun passCoolingOff(client: MobankClient) {
        sandbox.advanceClock(COOLING_OFF_SECONDS + 3600)
        client.auth.loginPin(PIN.toCharArray())
    }

    companion object {
        const val DEVICE_NAME = "JVM test phone"
        const val DEMO_CUSTOMER = "demo"

        /** A PIN the policy accepts (no run, pattern, date or common number). */
        const val PIN = "749163"
        const val WRONG_PIN = "749164"

        /** A new binding's low limits (500 CNY a transfer, 1,000 a day) last this long, bank time. */
        const val COOLING_OFF_SECONDS = 24L * 3600
    }
}
