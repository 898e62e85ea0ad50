package bank.mobank

import bank.mobank.ffi.EventListener
import bank.mobank.ffi.core.KeyPurpose
import bank.mobank.ffi.core.MobankEvent
import bank.mobank.ffi.MonotonicClock
import bank.mobank.ffi.PlatformKeyStore
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration

/** A monotonic clock that moves only when the test says so. */
class ManualClock : MonotonicClock {
    private val nowMs = AtomicLong(0)

    override fun nowMs(): ULong = nowMs.get().toULong()

    fun advance(by: Duration) {
        nowMs.addAndGet(by.inWholeMilliseconds)
    }
}

/**
 * Records every event, and runs [onEach] inside the callback: a test uses it to call back into
 * the client, which would deadlock if the library held one of its locks while delivering.
 */
class RecordingListener(private val onEach: (MobankEvent) -> Unit = {}) : EventListener {
    val events: MutableList<MobankEvent> = Collections.synchronizedList(mutableListOf())

    override fun onEvent(event: MobankEvent) {
        onEach(event)
        events.add(event)
    }
}

/**
 * A key store whose biometric key can be swapped for an impostor's: with [impostor] set, the
 * user-verified key signs with a different P-256 key, as if someone else's enrolment released
 * a key the bank never registered. The possession key and the PIN's wrapping keys are unchanged.
 */
class ImpostorKeyStore(private val inner: JvmKeyStore = JvmKeyStore()) : PlatformKeyStore by inner {
    @Volatile var impostor = false

    private val other = JvmKeyStore()
    private val userVerifiedAliases: MutableSet<String> = ConcurrentHashMap.newKeySet()

    override fun generate(alias: String, purpose: KeyPurpose): ByteArray {
        if (purpose == KeyPurpose.USER_VERIFIED) userVerifiedAliases.add(alias)
        return inner.generate(alias, purpose)
    }

    override fun sign(alias: String, message: ByteArray, prompt: String?): ByteArray {
        if (!impostor || alias !in userVerifiedAliases) return inner.sign(alias, message, prompt)
        if (runCatching { other.publicKey(alias) }.isFailure) other.generate(alias, KeyPurpose.USER_VERIFIED)
        return other.sign(alias, message, prompt)
    }
}
