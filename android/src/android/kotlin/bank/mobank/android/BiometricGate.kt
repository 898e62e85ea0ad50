package bank.mobank.android

import android.app.Activity
import android.hardware.biometrics.BiometricPrompt
import android.os.Build
import android.os.CancellationSignal
import android.os.Handler
import android.os.Looper
import android.annotation.TargetApi
import bank.mobank.ffi.KeyStoreFailure
import java.security.Signature
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executor

/**
 * Shows the biometric prompt and, if the customer is verified, returns the [Signature] the OS
 * unlocked for one use. Called on a worker thread; blocks until the prompt is answered.
 */
fun interface BiometricGate {
    /** Throws [KeyStoreFailure.UserCancelled] or [KeyStoreFailure.VerificationFailed] otherwise. */
    fun authenticate(prompt: String, signature: Signature): Signature
}

/**
 * [BiometricGate] on the platform `BiometricPrompt` (API 28+), strong biometrics only. The text
 * the customer reads is the one the core passes; the negative button cancels.
 *
 * `currentActivity` returns the foreground activity (the app tracks it with
 * `Application.ActivityLifecycleCallbacks`); with none, the login is cancelled.
 */
@TargetApi(Build.VERSION_CODES.P)
class BiometricPromptGate(
    private val currentActivity: () -> Activity?,
    private val title: String,
    private val cancelLabel: String,
) : BiometricGate {
    private val mainThread = Handler(Looper.getMainLooper())
    private val mainExecutor = Executor { mainThread.post(it) }

    override fun authenticate(prompt: String, signature: Signature): Signature {
        check(Looper.myLooper() != Looper.getMainLooper()) { "the biometric gate blocks: never call it on the main thread" }
        // The first answer wins (complete* ignores later ones).
        val outcome = CompletableFuture<Signature>()
        mainThread.post {
            val activity = currentActivity()
            if (activity == null) {
                outcome.completeExceptionally(KeyStoreFailure.UserCancelled())
                return@post
            }
            val dialog = BiometricPrompt.Builder(activity)
                .setTitle(title)
                .setDescription(prompt)
                .setNegativeButton(cancelLabel, mainExecutor) { _, _ ->
                    outcome.completeExceptionally(KeyStoreFailure.UserCancelled())
                }
                .apply { if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) setAllowedAuthenticators(BIOMETRIC_STRONG) }
                .build()
            dialog.authenticate(
                BiometricPrompt.CryptoObject(signature),
                CancellationSignal(),
                mainExecutor,
                object : BiometricPrompt.AuthenticationCallback() {
                    override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                        val unlocked = result.cryptoObject?.signature
                        if (unlocked != null) {
                            outcome.complete(unlocked)
                        } else {
                            outcome.completeExceptionally(KeyStoreFailure.VerificationFailed())
                        }
                    }

                    override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                        val failure = when (errorCode) {
                            BiometricPrompt.BIOMETRIC_ERROR_USER_CANCELED,
                            BiometricPrompt.BIOMETRIC_ERROR_CANCELED -> KeyStoreFailure.UserCancelled()
                            BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT,
                            BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT_PERMANENT -> KeyStoreFailure.VerificationFailed()
                            BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS,
                            BiometricPrompt.BIOMETRIC_ERROR_HW_NOT_PRESENT,
                            BiometricPrompt.BIOMETRIC_ERROR_HW_UNAVAILABLE -> KeyStoreFailure.Unsupported()
                            else -> KeyStoreFailure.Platform("biometric error $errorCode")
                        }
                        outcome.completeExceptionally(failure)
                    }

                    // A single failed attempt keeps the prompt up; the OS counts and locks out.
                    override fun onAuthenticationFailed() = Unit
                },
            )
        }
        return try {
            outcome.get()
        } catch (e: ExecutionException) {
            throw e.cause ?: e
        }
    }

    private companion object {
        // android.hardware.biometrics.BiometricManager.Authenticators.BIOMETRIC_STRONG (API 30).
        const val BIOMETRIC_STRONG = 0x000F
    }
}
