package bank.mobank.android

import android.os.SystemClock
import bank.mobank.ffi.MonotonicClock

/**
 * The [MonotonicClock] for Android apps: `SystemClock.elapsedRealtime()`, which keeps counting
 * while the phone sleeps. Without it the library's own clock stops during deep sleep, so an idle
 * session would outlive its 5 minutes and a backgrounded one would not lock on time.
 *
 * `AndroidMobank.open` passes it by default.
 */
class ElapsedRealtimeClock : MonotonicClock {
    override fun nowMs(): ULong = SystemClock.elapsedRealtime().toULong()
}
