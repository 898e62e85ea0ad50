package bank.mobank

import bank.mobank.ffi.core.KeyPurpose
import bank.mobank.ffi.KeyStoreFailure
import bank.mobank.ffi.PlatformKeyStore
import java.math.BigInteger
import java.security.GeneralSecurityException
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.SecureRandom
import java.security.Signature
import java.security.interfaces.ECPublicKey
import java.security.spec.ECGenParameterSpec
import java.util.concurrent.ConcurrentHashMap
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Asks the person in front of the screen to confirm who they are. On a phone this is the OS
 * biometric prompt; on the JVM it stands in for it, so tests can say yes, no or cancel.
 */
fun interface UserVerifier {
    /** Shows [prompt]; returns whether the customer was verified. Throw [KeyStoreFailure.UserCancelled] to cancel. */
    fun verify(prompt: String): Boolean
}

/**
 * A [PlatformKeyStore] on plain `java.security`, for the JVM: tests, desktop tools, a development
 * sandbox. Keys live in this process's memory only, with no hardware protection.
 *
 * NOT for an Android app: there, use `AndroidKeyStoreAdapter` (src/android), whose keys never leave
 * the Keystore/StrongBox and whose user-verified key the OS releases only after BiometricPrompt.
 *
 * It produces exactly what Android Keystore produces, so the core cannot tell them apart:
 * P-256 keys, DER-encoded SHA256withECDSA signatures, public keys as 65-byte uncompressed points,
 * and wrapping with AES-256-GCM (`nonce(12) || ciphertext || tag(16)`).
 */
class JvmKeyStore(private val userVerifier: UserVerifier = UserVerifier { true }) : PlatformKeyStore {
    private class DeviceKey(val keyPair: KeyPair, val purpose: KeyPurpose)

    private val deviceKeys = ConcurrentHashMap<String, DeviceKey>()
    private val wrappingKeys = ConcurrentHashMap<String, SecretKey>()
    private val random = SecureRandom()

    override fun generate(alias: String, purpose: KeyPurpose): ByteArray = platformCall {
        val generator = KeyPairGenerator.getInstance("EC")
        generator.initialize(ECGenParameterSpec("secp256r1"), random)
        val key = DeviceKey(generator.generateKeyPair(), purpose)
        deviceKeys[alias] = key
        uncompressedPoint(key.keyPair.public as ECPublicKey)
    }

    override fun publicKey(alias: String): ByteArray {
        val key = deviceKeys[alias] ?: throw KeyStoreFailure.NotFound()
        return uncompressedPoint(key.keyPair.public as ECPublicKey)
    }

    override fun sign(alias: String, message: ByteArray, prompt: String?): ByteArray {
        val key = deviceKeys[alias] ?: throw KeyStoreFailure.NotFound()
        if (key.purpose == KeyPurpose.USER_VERIFIED) {
            // Like BiometricPrompt + a key with setUserAuthenticationRequired(true): no
            // verification, no signature.
            if (!userVerifier.verify(prompt ?: "")) throw KeyStoreFailure.VerificationFailed()
        }
        return platformCall {
            val signer = Signature.getInstance("SHA256withECDSA")
            signer.initSign(key.keyPair.private, random)
            signer.update(message)
            signer.sign()
        }
    }

    override fun delete(alias: String) {
        deviceKeys.remove(alias)
        wrappingKeys.remove(alias)
    }

    override fun wrap(alias: String, plaintext: ByteArray): ByteArray = platformCall {
        val key = wrappingKeys.computeIfAbsent(alias) {
            KeyGenerator.getInstance("AES").apply { init(256, random) }.generateKey()
        }
        val nonce = ByteArray(GCM_NONCE_BYTES).also(random::nextBytes)
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(GCM_TAG_BITS, nonce))
        nonce + cipher.doFinal(plaintext)
    }

    override fun unwrap(alias: String, wrapped: ByteArray): ByteArray {
        val key = wrappingKeys[alias] ?: throw KeyStoreFailure.NotFound()
        if (wrapped.size < GCM_NONCE_BYTES + GCM_TAG_BITS / 8) {
            throw KeyStoreFailure.Platform("wrapped value too short")
        }
        return platformCall {
            val cipher = Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(GCM_TAG_BITS, wrapped, 0, GCM_NONCE_BYTES))
            cipher.doFinal(wrapped, GCM_NONCE_BYTES, wrapped.size - GCM_NONCE_BYTES)
        }
    }

    private companion object {
        const val GCM_NONCE_BYTES = 12
        const val GCM_TAG_BITS = 128
        const val COORDINATE_BYTES = 32

        /** SEC1 uncompressed point: 0x04 || X || Y, each coordinate left-padded to 32 bytes. */
        fun uncompressedPoint(key: ECPublicKey): ByteArray =
            byteArrayOf(0x04) + fixedWidth(key.w.affineX) + fixedWidth(key.w.affineY)

        // BigInteger.toByteArray() is minimal two's complement: a leading 0x00 sign byte when
        // the top bit is set, fewer bytes when the value is small.
        fun fixedWidth(coordinate: BigInteger): ByteArray {
            val bytes = coordinate.toByteArray()
            return when {
                bytes.size == COORDINATE_BYTES -> bytes
                bytes.size > COORDINATE_BYTES -> bytes.copyOfRange(bytes.size - COORDINATE_BYTES, bytes.size)
                else -> ByteArray(COORDINATE_BYTES - bytes.size) + bytes
            }
        }

        /** A JCA failure becomes a typed platform error instead of an undeclared exception. */
        inline fun <T> platformCall(block: () -> T): T =
            try {
                block()
            } catch (e: GeneralSecurityException) {
                throw KeyStoreFailure.Platform(e.javaClass.simpleName)
            }
    }
}
