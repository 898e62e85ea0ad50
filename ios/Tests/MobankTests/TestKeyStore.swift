import Foundation
@testable import Mobank

/// A Swift `PlatformKeyStore` for the tests on Linux, where there is no Secure Enclave and no
/// CryptoKit. The P-256 work is delegated to the library's test-only software store
/// (`insecureSoftwareKeyStoreForTests`, present only in desktop-host builds, never on iOS); the Swift side is what
/// an app's adapter does around it: it sees the prompt, decides on verification, and can report
/// the store as locked. So the calls from Rust into Swift and Swift's typed errors back are the
/// real ones.
final class TestKeyStore: PlatformKeyStore, @unchecked Sendable {
    private let inner = insecureSoftwareKeyStoreForTests()
    /// The impostor's keys: see `impostor`.
    private let other = insecureSoftwareKeyStoreForTests()
    private let lock = NSLock()
    private var _impostor = false
    private var userVerifiedAliases: Set<String> = []
    private var _prompts: [String] = []
    private var _locked = false
    private var _refuseVerification = false
    private var _crash = false

    var prompts: [String] { lock.withLock { _prompts } }
    var locked: Bool {
        get { lock.withLock { _locked } }
        set { lock.withLock { _locked = newValue } }
    }
    var refuseVerification: Bool {
        get { lock.withLock { _refuseVerification } }
        set { lock.withLock { _refuseVerification = newValue } }
    }

    /// The biometric key signs with a different P-256 key, as if someone else's enrolment
    /// released a key the bank never registered. The possession key is unchanged.
    var impostor: Bool {
        get { lock.withLock { _impostor } }
        set { lock.withLock { _impostor = newValue } }
    }

    /// Throw what a buggy adapter might: an error that is not a `KeyStoreFailure`.
    var crash: Bool {
        get { lock.withLock { _crash } }
        set { lock.withLock { _crash = newValue } }
    }

    struct AdapterBug: Error {}

    private func checkUnlocked() throws {
        if locked { throw KeyStoreFailure.Locked }
    }

    func generate(alias: String, purpose: KeyPurpose) throws -> Data {
        try checkUnlocked()
        if purpose == .userVerified { lock.withLock { _ = userVerifiedAliases.insert(alias) } }
        return try inner.generate(alias: alias, purpose: purpose)
    }

    func publicKey(alias: String) throws -> Data {
        try checkUnlocked()
        return try inner.publicKey(alias: alias)
    }

    func sign(alias: String, message: Data, prompt: String?) throws -> Data {
        try checkUnlocked()
        if crash { throw AdapterBug() }
        if let prompt {
            lock.withLock { _prompts.append(prompt) }
            if refuseVerification { throw KeyStoreFailure.VerificationFailed }
        }
        if impostor, lock.withLock({ userVerifiedAliases.contains(alias) }) {
            if (try? other.publicKey(alias: alias)) == nil { _ = try other.generate(alias: alias, purpose: .userVerified) }
            return try other.sign(alias: alias, message: message, prompt: prompt)
        }
        return try inner.sign(alias: alias, message: message, prompt: prompt)
    }

    func delete(alias: String) throws {
        try inner.delete(alias: alias)
    }

    func wrap(alias: String, plaintext: Data) throws -> Data {
        try checkUnlocked()
        return try inner.wrap(alias: alias, plaintext: plaintext)
    }

    func unwrap(alias: String, wrapped: Data) throws -> Data {
        try checkUnlocked()
        return try inner.unwrap(alias: alias, wrapped: wrapped)
    }
}
