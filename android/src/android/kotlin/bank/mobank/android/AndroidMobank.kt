package bank.mobank.android

import bank.mobank.Mobank
import bank.mobank.ffi.DeviceIntegrity
import bank.mobank.ffi.MobankClient
import bank.mobank.ffi.MonotonicClock
import bank.mobank.ffi.PlatformKeyStore
import bank.mobank.ffi.core.BankEndpoint
import java.io.File

/**
 * [Mobank.open] for Android apps: the session timers read [ElapsedRealtimeClock], which keeps
 * counting while the phone sleeps, unless the app passes another clock.
 *
 * ```
 * val mobank = AndroidMobank.open(context.filesDir.resolve("mobank"), bank, "Li Wei's Pixel 8",
 *     AndroidKeyStoreAdapter(BiometricPromptGate({ currentActivity }, "Mobank", "Cancel")))
 * ```
 */
object AndroidMobank {
    fun open(
        dataDir: File,
        bank: BankEndpoint,
        deviceName: String,
        keyStore: PlatformKeyStore,
        clock: MonotonicClock = ElapsedRealtimeClock(),
        integrity: DeviceIntegrity? = null,
    ): MobankClient = Mobank.open(dataDir, bank, deviceName, keyStore, "android", clock, integrity)
}
