package bank.mobank

import bank.mobank.ffi.AccountInfo
import bank.mobank.ffi.BindingState
import bank.mobank.ffi.CategorySpending
import bank.mobank.ffi.ClientConfig
import bank.mobank.ffi.DeviceIntegrity
import bank.mobank.ffi.DeviceSummary
import bank.mobank.ffi.EventListener
import bank.mobank.ffi.Limits
import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.MonotonicClock
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.SessionSummary
import bank.mobank.ffi.Transaction
import java.io.File
import java.math.BigDecimal

/** The bank this app talks to: its customer API and the SPKI pins of its TLS keys (a backup pin too). */
data class BankEndpoint(val baseUrl: String, val spkiPins: List<String>) {
    init {
        require(spkiPins.isNotEmpty()) { "at least one SPKI pin is required" }
    }
}

/**
 * Entry point for apps. The generated [MobankClient] is already idiomatic (suspend funs, typed
 * `MobankException`s); this adds only what Kotlin callers expect on top.
 *
 * ```
 * val mobank = Mobank.open(context.filesDir.resolve("mobank"), bank, "Li Wei's Pixel 8", keyStore)
 * mobank.startActivation(code)          // suspend; the bank texts an OTP
 * mobank.completeActivation(otp, pin)   // suspend; device keys created and registered
 * mobank.loginBiometric("Log in to Mobank")
 * val accounts = mobank.accounts()
 * ```
 *
 * The optional hooks: [clock] a monotonic clock (on Android pass `ElapsedRealtimeClock()`, which
 * counts the time the phone sleeps; default: the library's own, which stops during sleep),
 * [events] a listener for `MobankEvent`s (session expired or locked, a new device bound, changed
 * limits), [integrity] the app's root/debugger/hooking/emulator checks, sent to the bank with
 * each login.
 */
object Mobank {
    /** Opens (or creates) this phone's Mobank state. Keep the client for the life of the process. */
    fun open(
        dataDir: File,
        bank: BankEndpoint,
        deviceName: String,
        keyStore: PlatformKeyStore,
        platform: String = "android",
        clock: MonotonicClock? = null,
        events: EventListener? = null,
        integrity: DeviceIntegrity? = null,
    ): MobankClient = MobankClient(
        ClientConfig(
            dataDir = dataDir.absolutePath,
            baseUrl = bank.baseUrl,
            spkiPins = bank.spkiPins,
            deviceName = deviceName,
            platform = platform,
        ),
        keyStore,
        clock,
        events,
        integrity,
    )
}

/** The balance as an exact decimal (the FFI carries it as the bank's decimal string). */
val AccountInfo.balanceAmount: BigDecimal
    get() = BigDecimal(balance)

/** A signed amount as an exact decimal (negative: money out of the account). */
val Transaction.amountValue: BigDecimal
    get() = BigDecimal(amount)

/** Money out in the category, as an exact decimal. */
val CategorySpending.spentAmount: BigDecimal
    get() = BigDecimal(spent)

/** The per-transaction limit as an exact decimal. */
val Limits.perTransactionAmount: BigDecimal
    get() = BigDecimal(perTransaction)

/** The daily limit as an exact decimal. */
val Limits.dailyAmount: BigDecimal
    get() = BigDecimal(daily)

/** The bound device, or null when this phone is not bound. */
val BindingState.boundDevice: DeviceSummary?
    get() = (this as? BindingState.Bound)?.device

/**
 * Binding with the PIN as the `CharArray` a PIN field gives. The PIN crosses the FFI as ASCII
 * digit bytes; that temporary copy is wiped as soon as the call returns. Wipe [pin] yourself.
 */
suspend fun MobankClient.completeActivation(otp: String, pin: CharArray): DeviceSummary =
    withPinBytes(pin) { completeActivation(otp, it) }

/** PIN login with the PIN as a `CharArray`; see [completeActivation]. */
suspend fun MobankClient.loginPin(pin: CharArray): SessionSummary = withPinBytes(pin) { loginPin(it) }

/** Step-up with the PIN as a `CharArray`; see [completeActivation]. */
suspend fun MobankClient.stepUpPin(pin: CharArray): Unit = withPinBytes(pin) { stepUpPin(it) }

/** PIN change, step one, with the current PIN as a `CharArray`; see [completeActivation]. */
suspend fun MobankClient.beginPinChange(oldPin: CharArray): Unit = withPinBytes(oldPin) { beginPinChange(it) }

/** PIN change, step two, with the new PIN as a `CharArray`; see [completeActivation]. */
suspend fun MobankClient.commitPinChange(newPin: CharArray): Unit = withPinBytes(newPin) { commitPinChange(it) }

private inline fun <T> withPinBytes(pin: CharArray, block: (ByteArray) -> T): T {
    // Characters that are not ASCII digits become 0, which the core refuses as NotSixDigits.
    val bytes = ByteArray(pin.size) { i -> if (pin[i] in '0'..'9') pin[i].code.toByte() else 0 }
    try {
        return block(bytes)
    } finally {
        bytes.fill(0)
    }
}
