package bank.mobank

import bank.mobank.ffi.AccountsClient
import bank.mobank.ffi.ActivationClient
import bank.mobank.ffi.AuthClient
import bank.mobank.ffi.DeviceIntegrity
import bank.mobank.ffi.DevicesClient
import bank.mobank.ffi.EventListener
import bank.mobank.ffi.HistoryClient
import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.MonotonicClock
import bank.mobank.ffi.PinClient
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.TransfersClient
import bank.mobank.ffi.core.BankEndpoint
import bank.mobank.ffi.core.BindingState
import bank.mobank.ffi.core.DeviceSummary
import bank.mobank.ffi.core.MobankConfig
import bank.mobank.ffi.core.MobankEvent
import bank.mobank.ffi.core.SessionSummary
import bank.mobank.ffi.core.TransferSummary
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.channels.trySendBlocking
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.callbackFlow
import java.io.File

/**
 * Entry point for apps. The generated [MobankClient] is already idiomatic (suspend funs, typed
 * `MobankException`s, `BigDecimal` amounts, `Instant` times); this adds only what Kotlin callers
 * expect on top: properties for the feature handles, a `Flow` of events, PINs as `CharArray`.
 *
 * ```
 * val mobank = Mobank.open(context.filesDir.resolve("mobank"), bank, "Li Wei's Pixel 8", keyStore)
 * mobank.activation.start(code)                 // suspend; the bank texts an OTP
 * mobank.activation.complete(otp, pinChars)     // suspend; device keys created and registered
 * mobank.auth.loginBiometric("Log in to Mobank")
 * val accounts = mobank.accounts.list()
 * ```
 *
 * The optional hooks: [clock] a monotonic clock (Android apps use `AndroidMobank.open`, which
 * passes `ElapsedRealtimeClock`; default here: the library's own, which stops during sleep),
 * [integrity] the app's root/debugger/hooking/emulator checks, sent to the bank with each login.
 * Events: collect [events].
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
        integrity: DeviceIntegrity? = null,
    ): MobankClient = MobankClient(
        MobankConfig(dataDir = dataDir, bank = bank, deviceName = deviceName, platform = platform),
        keyStore,
        clock,
        integrity,
    )
}

/** Binding this phone, and re-enrolling biometrics. */
val MobankClient.activation: ActivationClient get() = activation()

/** Login, step-up, logout. */
val MobankClient.auth: AuthClient get() = auth()

/** The PIN change. */
val MobankClient.pin: PinClient get() = pin()

/** The customer's devices. */
val MobankClient.devices: DevicesClient get() = devices()

/** The customer's accounts. */
val MobankClient.accounts: AccountsClient get() = accounts()

/** The transaction history on the phone. */
val MobankClient.history: HistoryClient get() = history()

/** Transfers: draft, confirm, sign and submit, reconcile, list. */
val MobankClient.transfers: TransfersClient get() = transfers()

/**
 * Every [MobankEvent] from the moment of collection. Each collector has its own subscription,
 * cancelled when its collection ends; events are buffered so the library's thread never waits
 * for a slow collector.
 */
val MobankClient.events: Flow<MobankEvent>
    get() = callbackFlow {
        val subscription = subscribe(object : EventListener {
            override fun onEvent(event: MobankEvent) {
                trySendBlocking(event)
            }
        })
        awaitClose {
            subscription.cancel()
            subscription.close()
        }
    }.buffer(capacity = 64)

/** The bound device, or null when this phone is not bound. */
val BindingState.boundDevice: DeviceSummary?
    get() = (this as? BindingState.Bound)?.v1

/**
 * Binding with the PIN as the `CharArray` a PIN field gives. The PIN crosses the FFI as ASCII
 * digit bytes; that temporary copy is wiped as soon as the call returns. Wipe [pin] yourself.
 */
suspend fun ActivationClient.complete(otp: String, pin: CharArray): DeviceSummary =
    withPinBytes(pin) { complete(otp, it) }

/** PIN login with the PIN as a `CharArray`; see [complete]. */
suspend fun AuthClient.loginPin(pin: CharArray): SessionSummary = withPinBytes(pin) { loginPin(it) }

/** Step-up with the PIN as a `CharArray`; see [complete]. */
suspend fun AuthClient.stepUpPin(pin: CharArray): Unit = withPinBytes(pin) { stepUpPin(it) }

/** PIN change, step one, with the current PIN as a `CharArray`; see [complete]. */
suspend fun PinClient.beginChange(oldPin: CharArray): Unit = withPinBytes(oldPin) { beginChange(it) }

/** PIN change, step two, with the new PIN as a `CharArray`; see [complete]. */
suspend fun PinClient.commitChange(newPin: CharArray): Unit = withPinBytes(newPin) { commitChange(it) }

/**
 * Signs the confirmed transfer behind [token] with the PIN as a `CharArray` and submits it;
 * see [complete].
 */
suspend fun TransfersClient.signAndSubmitPin(token: String, pin: CharArray): TransferSummary =
    withPinBytes(pin) { signAndSubmitPin(token, it) }

private inline fun <T> withPinBytes(pin: CharArray, block: (ByteArray) -> T): T {
    // Characters that are not ASCII digits become 0, which the core refuses as NotSixDigits.
    val bytes = ByteArray(pin.size) { i -> if (pin[i] in '0'..'9') pin[i].code.toByte() else 0 }
    try {
        return block(bytes)
    } finally {
        bytes.fill(0)
    }
}
