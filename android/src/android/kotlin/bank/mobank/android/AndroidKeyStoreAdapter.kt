package bank.mobank.android

import android.os.Build
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.StrongBoxUnavailableException
import android.security.keystore.UserNotAuthenticatedException
import bank.mobank.ffi.core.KeyPurpose
import bank.mobank.ffi.KeyStoreFailure
import bank.mobank.ffi.PlatformKeyStore
import java.math.BigInteger
import java.security.GeneralSecurityException
import java.security.KeyPairGenerator
import java.security.KeyStore
import java.security.PrivateKey
import java.security.Signature
import java.security.UnrecoverableKeyException
import java.security.interfaces.ECPublicKey
import java.security.spec.ECGenParameterSpec
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The production [PlatformKeyStore] for Android: keys created inside Android Keystore (StrongBox
 * when the phone has one, the TEE otherwise) and never exported.
 *
 * - Possession key: EC P-256, SHA-256, no user authentication.
 * - User-verified key: additionally bound to strong biometrics (`AUTH_BIOMETRIC_STRONG`, per use)
 *   and invalidated when a fingerprint or face is enrolled; it signs only inside a
 *   [BiometricGate] prompt showing the text the core passes.
 * - Wrapping: AES-256-GCM with a Keystore key per alias; the Keystore chooses the IV, stored in
 *   front of the ciphertext (`iv(12) || ciphertext || tag(16)`).
 *
 * The core calls this from its worker threads (never the main thread), so blocking while the
 * biometric prompt is up is expected.
 *
 * Not compiled by the JVM build (no Android SDK there); it is part of the Gradle library module.
 */
class AndroidKeyStoreAdapter(
    private val biometricGate: BiometricGate,
    private val preferStrongBox: Boolean = true,
) : PlatformKeyStore {
    private val keyStore: KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

    override fun generate(alias: String, purpose: KeyPurpose): ByteArray = keystoreCall {
        deleteEntry(alias)
        val strongBox = preferStrongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P
        val keyPair = try {
            KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_EC, ANDROID_KEYSTORE)
                .apply { initialize(signingSpec(alias, purpose, strongBox)) }
                .generateKeyPair()
        } catch (e: StrongBoxUnavailableException) {
            KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_EC, ANDROID_KEYSTORE)
                .apply { initialize(signingSpec(alias, purpose, strongBox = false)) }
                .generateKeyPair()
        }
        uncompressedPoint(keyPair.public as ECPublicKey)
    }

    override fun publicKey(alias: String): ByteArray = keystoreCall {
        val certificate = keyStore.getCertificate(alias) ?: throw KeyStoreFailure.NotFound()
        uncompressedPoint(certificate.publicKey as ECPublicKey)
    }

    override fun sign(alias: String, message: ByteArray, prompt: String?): ByteArray = keystoreCall {
        val key = keyStore.getKey(alias, null) as? PrivateKey ?: throw KeyStoreFailure.NotFound()
        val signature = Signature.getInstance("SHA256withECDSA").apply { initSign(key) }
        val authorised = if (requiresUser(key)) {
            biometricGate.authenticate(prompt ?: "", signature)
        } else {
            signature
        }
        authorised.update(message)
        authorised.sign() // DER, as the core expects
    }

    override fun delete(alias: String) = keystoreCall {
        deleteEntry(alias)
        deleteEntry(wrappingAlias(alias))
    }

    override fun wrap(alias: String, plaintext: ByteArray): ByteArray = keystoreCall {
        val cipher = Cipher.getInstance(AES_GCM)
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey(alias, createIfMissing = true))
        cipher.iv + cipher.doFinal(plaintext)
    }

    override fun unwrap(alias: String, wrapped: ByteArray): ByteArray = keystoreCall {
        if (wrapped.size < GCM_IV_BYTES + GCM_TAG_BITS / 8) throw KeyStoreFailure.Platform("wrapped value too short")
        val cipher = Cipher.getInstance(AES_GCM)
        cipher.init(
            Cipher.DECRYPT_MODE,
            wrappingKey(alias, createIfMissing = false),
            GCMParameterSpec(GCM_TAG_BITS, wrapped, 0, GCM_IV_BYTES),
        )
        cipher.doFinal(wrapped, GCM_IV_BYTES, wrapped.size - GCM_IV_BYTES)
    }

    private fun signingSpec(alias: String, purpose: KeyPurpose, strongBox: Boolean): KeyGenParameterSpec =
        KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_SIGN)
            .setAlgorithmParameterSpec(ECGenParameterSpec("secp256r1"))
            .setDigests(KeyProperties.DIGEST_SHA256)
            .apply {
                if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) setIsStrongBoxBacked(true)
                if (purpose == KeyPurpose.USER_VERIFIED) {
                    setUserAuthenticationRequired(true)
                    setInvalidatedByBiometricEnrollment(true)
                    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                        setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG)
                    } else {
                        @Suppress("DEPRECATION")
                        setUserAuthenticationValidityDurationSeconds(-1)
                    }
                }
            }
            .build()

    private fun wrappingKey(alias: String, createIfMissing: Boolean): SecretKey {
        val name = wrappingAlias(alias)
        (keyStore.getKey(name, null) as? SecretKey)?.let { return it }
        if (!createIfMissing) throw KeyStoreFailure.NotFound()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE).apply {
            init(
                KeyGenParameterSpec.Builder(name, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                    .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                    .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                    .setKeySize(256)
                    .build(),
            )
        }.generateKey()
    }

    private fun requiresUser(key: PrivateKey): Boolean {
        val factory = java.security.KeyFactory.getInstance(key.algorithm, ANDROID_KEYSTORE)
        val info = factory.getKeySpec(key, android.security.keystore.KeyInfo::class.java)
        return info.isUserAuthenticationRequired
    }

    private fun deleteEntry(alias: String) {
        if (keyStore.containsAlias(alias)) keyStore.deleteEntry(alias)
    }

    /** Keystore exceptions become the typed failures the core acts on. */
    private inline fun <T> keystoreCall(block: () -> T): T =
        try {
            block()
        } catch (e: KeyStoreFailure) {
            throw e
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw KeyStoreFailure.Invalidated()
        } catch (e: UserNotAuthenticatedException) {
            throw KeyStoreFailure.VerificationFailed()
        } catch (e: UnrecoverableKeyException) {
            throw KeyStoreFailure.Invalidated()
        } catch (e: GeneralSecurityException) {
            throw KeyStoreFailure.Platform(e.javaClass.simpleName)
        }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val AES_GCM = "AES/GCM/NoPadding"
        const val GCM_IV_BYTES = 12
        const val GCM_TAG_BITS = 128
        const val COORDINATE_BYTES = 32

        fun wrappingAlias(alias: String) = "$alias.wrap"

        fun uncompressedPoint(key: ECPublicKey): ByteArray =
            byteArrayOf(0x04) + fixedWidth(key.w.affineX) + fixedWidth(key.w.affineY)

        fun fixedWidth(coordinate: BigInteger): ByteArray {
            val bytes = coordinate.toByteArray()
            return when {
                bytes.size == COORDINATE_BYTES -> bytes
                bytes.size > COORDINATE_BYTES -> bytes.copyOfRange(bytes.size - COORDINATE_BYTES, bytes.size)
                else -> ByteArray(COORDINATE_BYTES - bytes.size) + bytes
            }
        }
    }
}
