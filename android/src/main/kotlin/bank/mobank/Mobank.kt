package bank.mobank

import bank.mobank.ffi.AccountInfo
import bank.mobank.ffi.BindingState
import bank.mobank.ffi.ClientConfig
import bank.mobank.ffi.DeviceSummary
import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.SessionSummary
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
 */
object Mobank {
    /** Opens (or creates) this phone's Mobank state. Keep the client for the life of the process. */
    fun open(
        dataDir: File,
        bank: BankEndpoint,
        deviceName: String,
        keyStore: PlatformKeyStore,
        platform: String = "android",
    ): MobankClient = MobankClient(
        ClientConfig(
            dataDir = dataDir.absolutePath,
            baseUrl = bank.baseUrl,
            spkiPins = bank.spkiPins,
            deviceName = deviceName,
            platform = platform,
        ),
        keyStore,
    )
}

/** The balance as an exact decimal (the FFI carries it as the bank's decimal string). */
val AccountInfo.balanceAmount: BigDecimal
    get() = BigDecimal(balance)

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

private inline fun <T> withPinBytes(pin: CharArray, block: (ByteArray) -> T): T {
    // Characters that are not ASCII digits become 0, which the core refuses as NotSixDigits.
    val bytes = ByteArray(pin.size) { i -> if (pin[i] in '0'..'9') pin[i].code.toByte() else 0 }
    try {
        return block(bytes)
    } finally {
        bytes.fill(0)
    }
}
