// The production key store for iOS: P-256 keys created inside the Secure Enclave, never exported.
// Apple-only; on Linux this file compiles to nothing (the tests there use a software store).
#if canImport(Security) && canImport(LocalAuthentication)
import Foundation
import LocalAuthentication
import Security

/// A `PlatformKeyStore` on the Secure Enclave.
///
/// - Possession key: usable without a prompt while the device is unlocked
///   (`kSecAttrAccessibleWhenUnlockedThisDeviceOnly`, not in backups, not migrated to a new phone).
/// - User-verified key: additionally `.biometryCurrentSet`, so the Secure Enclave releases it only
///   after Face ID / Touch ID, and invalidates it when the enrolment changes. The prompt text is
///   the one the core passes.
/// - Wrapping: ECIES (`eciesEncryptionCofactorVariableIVX963SHA256AESGCM`) with a Secure Enclave
///   key of its own, created on first use.
///
/// Signatures come back DER-encoded (`ecdsaSignatureMessageX962SHA256`) and public keys as the
/// 65-byte X9.63 uncompressed point: the formats the core expects. The Simulator has no Secure
/// Enclave: there `generate` fails with `KeyStoreFailure.Unsupported`.
public final class SecureEnclaveKeyStore: PlatformKeyStore, @unchecked Sendable {
    private let tagPrefix: String

    /// `tagPrefix` namespaces the Keychain items (one app may hold several Mobank instances).
    public init(tagPrefix: String = "bank.mobank.key.") {
        self.tagPrefix = tagPrefix
    }

    public func generate(alias: String, purpose: KeyPurpose) throws -> Data {
        try delete(alias: alias)
        let key = try createKey(alias: alias, flags: purpose == .userVerified ? [.privateKeyUsage, .biometryCurrentSet] : [.privateKeyUsage])
        return try publicKeyData(of: key)
    }

    public func publicKey(alias: String) throws -> Data {
        try publicKeyData(of: try privateKey(alias: alias, context: nil))
    }

    public func sign(alias: String, message: Data, prompt: String?) throws -> Data {
        let context = LAContext()
        if let prompt { context.localizedReason = prompt }
        let key = try privateKey(alias: alias, context: context)
        var error: Unmanaged<CFError>?
        guard let signature = SecKeyCreateSignature(key, .ecdsaSignatureMessageX962SHA256, message as CFData, &error) else {
            throw Self.failure(error?.takeRetainedValue())
        }
        return signature as Data
    }

    public func delete(alias: String) throws {
        let status = SecItemDelete(query(alias: alias) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else { throw Self.failure(status) }
    }

    public func wrap(alias: String, plaintext: Data) throws -> Data {
        let key: SecKey
        do {
            key = try privateKey(alias: alias, context: nil)
        } catch KeyStoreFailure.NotFound {
            key = try createKey(alias: alias, flags: [.privateKeyUsage])
        }
        guard let publicKey = SecKeyCopyPublicKey(key) else { throw KeyStoreFailure.Platform(detail: "no public key") }
        var error: Unmanaged<CFError>?
        guard let wrapped = SecKeyCreateEncryptedData(publicKey, .eciesEncryptionCofactorVariableIVX963SHA256AESGCM, plaintext as CFData, &error) else {
            throw Self.failure(error?.takeRetainedValue())
        }
        return wrapped as Data
    }

    public func unwrap(alias: String, wrapped: Data) throws -> Data {
        let key = try privateKey(alias: alias, context: nil)
        var error: Unmanaged<CFError>?
        guard let plaintext = SecKeyCreateDecryptedData(key, .eciesEncryptionCofactorVariableIVX963SHA256AESGCM, wrapped as CFData, &error) else {
            throw Self.failure(error?.takeRetainedValue())
        }
        return plaintext as Data
    }

    // MARK: - Keychain plumbing

    private func tag(_ alias: String) -> Data { Data((tagPrefix + alias).utf8) }

    private func query(alias: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassKey,
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrApplicationTag as String: tag(alias),
        ]
    }

    private func createKey(alias: String, flags: SecAccessControlCreateFlags) throws -> SecKey {
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(nil, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, flags, &error) else {
            throw Self.failure(error?.takeRetainedValue())
        }
        let attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecAttrTokenID as String: kSecAttrTokenIDSecureEnclave,
            kSecPrivateKeyAttrs as String: [
                kSecAttrIsPermanent as String: true,
                kSecAttrApplicationTag as String: tag(alias),
                kSecAttrAccessControl as String: access,
            ] as [String: Any],
        ]
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw Self.failure(error?.takeRetainedValue(), creating: true)
        }
        return key
    }

    private func privateKey(alias: String, context: LAContext?) throws -> SecKey {
        var lookup = query(alias: alias)
        lookup[kSecReturnRef as String] = true
        if let context { lookup[kSecUseAuthenticationContext as String] = context }
        var item: CFTypeRef?
        let status = SecItemCopyMatching(lookup as CFDictionary, &item)
        guard status == errSecSuccess, let item else { throw Self.failure(status) }
        // SecItemCopyMatching with kSecReturnRef on kSecClassKey always yields a SecKey.
        return item as! SecKey // swiftlint:disable:this force_cast
    }

    private func publicKeyData(of key: SecKey) throws -> Data {
        var error: Unmanaged<CFError>?
        guard let publicKey = SecKeyCopyPublicKey(key),
              let data = SecKeyCopyExternalRepresentation(publicKey, &error) as Data?
        else { throw Self.failure(error?.takeRetainedValue()) }
        return data
    }

    // MARK: - Errors the core can act on

    private static func failure(_ status: OSStatus) -> KeyStoreFailure {
        switch status {
        case errSecItemNotFound: return .NotFound
        case errSecInteractionNotAllowed: return .Locked
        case errSecUserCanceled: return .UserCancelled
        case errSecAuthFailed: return .VerificationFailed
        default: return .Platform(detail: "OSStatus \(status)")
        }
    }

    private static func failure(_ error: CFError?, creating: Bool = false) -> KeyStoreFailure {
        guard let error else { return .Platform(detail: "unknown Security framework error") }
        let nsError = error as Error as NSError
        if nsError.domain == LAError.errorDomain {
            switch LAError.Code(rawValue: nsError.code) {
            case .userCancel?, .appCancel?, .systemCancel?: return .UserCancelled
            case .authenticationFailed?: return .VerificationFailed
            case .biometryLockout?: return .Locked
            case .biometryNotEnrolled?, .passcodeNotSet?, .biometryNotAvailable?: return creating ? .Unsupported : .Invalidated
            default: return .Platform(detail: "LAError \(nsError.code)")
            }
        }
        if nsError.domain == NSOSStatusErrorDomain {
            // A key whose access control can no longer be satisfied (biometric set changed).
            if nsError.code == Int(errSecItemNotFound) { return .NotFound }
            if nsError.code == Int(errSecInvalidKeyRef) { return .Invalidated }
            if creating, nsError.code == Int(errSecUnimplemented) || nsError.code == Int(errSecParam) { return .Unsupported }
            return failure(OSStatus(nsError.code))
        }
        return .Platform(detail: "\(nsError.domain) \(nsError.code)")
    }
}
#endif
