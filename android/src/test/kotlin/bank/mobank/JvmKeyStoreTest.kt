package bank.mobank

import bank.mobank.ffi.core.KeyPurpose
import bank.mobank.ffi.KeyStoreFailure
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.test.assertFailsWith
import java.math.BigInteger
import java.security.AlgorithmParameters
import java.security.KeyFactory
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import java.security.spec.ECParameterSpec
import java.security.spec.ECPoint
import java.security.spec.ECPublicKeySpec

/** The JVM key store speaks exactly the formats the core expects from Android Keystore. */
class JvmKeyStoreTest {
    private val store = JvmKeyStore()

    @Test
    fun `public keys are 65-byte uncompressed P-256 points`() {
        repeat(20) { i ->
            val publicKey = store.generate("key-$i", KeyPurpose.POSSESSION)
            assertEquals(65, publicKey.size)
            assertEquals(0x04.toByte(), publicKey[0])
            assertArrayEquals(publicKey, store.publicKey("key-$i"))
        }
    }

    @Test
    fun `signatures are DER SHA256withECDSA that verify under the returned public key`() {
        val publicKey = store.generate("possession", KeyPurpose.POSSESSION)
        val message = "authData || SHA-256(clientData)".toByteArray()
        val signature = store.sign("possession", message, null)
        assertEquals(0x30.toByte(), signature[0], "DER SEQUENCE")

        val verifier = Signature.getInstance("SHA256withECDSA")
        verifier.initVerify(jcaPublicKey(publicKey))
        verifier.update(message)
        assertTrue(verifier.verify(signature))

        verifier.initVerify(jcaPublicKey(publicKey))
        verifier.update(message + 0)
        assertFalse(verifier.verify(signature), "a changed message does not verify")
    }

    @Test
    fun `the user-verified key signs only after verification`() {
        val prompts = mutableListOf<String>()
        var answer = false
        val store = JvmKeyStore { prompt -> prompts.add(prompt); answer }
        store.generate("uv", KeyPurpose.USER_VERIFIED)
        store.generate("possession", KeyPurpose.POSSESSION)

        assertFailsWith<KeyStoreFailure.VerificationFailed> { store.sign("uv", byteArrayOf(1), "Confirm login") }
        answer = true
        store.sign("uv", byteArrayOf(1), "Confirm login")
        store.sign("possession", byteArrayOf(1), null)
        assertEquals(listOf("Confirm login", "Confirm login"), prompts, "the possession key never prompts")
    }

    @Test
    fun `wrap and unwrap round-trip, and tampering is detected`() {
        val dataKey = ByteArray(32) { it.toByte() }
        val wrapped = store.wrap("data-key", dataKey)
        assertEquals(12 + 32 + 16, wrapped.size)
        assertArrayEquals(dataKey, store.unwrap("data-key", wrapped))
        assertFalse(store.wrap("data-key", dataKey).contentEquals(wrapped), "a fresh nonce each time")

        wrapped[20] = (wrapped[20].toInt() xor 1).toByte()
        assertFailsWith<KeyStoreFailure.Platform> { store.unwrap("data-key", wrapped) }
        assertFailsWith<KeyStoreFailure.Platform> { store.unwrap("data-key", ByteArray(5)) }
    }

    @Test
    fun `missing and deleted keys are NotFound`() {
        assertFailsWith<KeyStoreFailure.NotFound> { store.publicKey("nope") }
        assertFailsWith<KeyStoreFailure.NotFound> { store.sign("nope", byteArrayOf(1), null) }
        assertFailsWith<KeyStoreFailure.NotFound> { store.unwrap("nope", ByteArray(40)) }

        store.generate("gone", KeyPurpose.POSSESSION)
        val wrapped = store.wrap("gone", byteArrayOf(1, 2, 3))
        store.delete("gone")
        store.delete("gone")
        assertFailsWith<KeyStoreFailure.NotFound> { store.sign("gone", byteArrayOf(1), null) }
        assertFailsWith<KeyStoreFailure.NotFound> { store.unwrap("gone", wrapped) }
    }

    private fun jcaPublicKey(uncompressed: ByteArray): java.security.PublicKey {
        val params = AlgorithmParameters.getInstance("EC")
            .apply { init(ECGenParameterSpec("secp256r1")) }
            .getParameterSpec(ECParameterSpec::class.java)
        val x = BigInteger(1, uncompressed.copyOfRange(1, 33))
        val y = BigInteger(1, uncompressed.copyOfRange(33, 65))
        return KeyFactory.getInstance("EC").generatePublic(ECPublicKeySpec(ECPoint(x, y), params))
    }
}
