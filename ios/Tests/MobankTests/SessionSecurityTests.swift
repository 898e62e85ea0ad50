import Foundation
import XCTest
@testable import Mobank

/// A monotonic clock that moves only when the test says so.
final class ManualClock: MonotonicClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: UInt64 = 0

    func nowMs() -> UInt64 { lock.withLock { now } }

    func advance(minutes: UInt64 = 0, seconds: UInt64) {
        lock.withLock { now += (minutes * 60 + seconds) * 1000 }
    }
}

/// Records every event, running `onEach` inside the callback: a test calls back into the client
/// there, which would deadlock if the library held one of its locks while delivering.
final class RecordingListener: EventListener, @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [MobankEvent] = []
    var onEach: (MobankEvent) -> Void = { _ in }

    var events: [MobankEvent] { lock.withLock { _events } }
    func clear() { lock.withLock { _events.removeAll() } }

    func onEvent(event: MobankEvent) {
        onEach(event)
        lock.withLock { _events.append(event) }
    }
}

/// The session and the binding under attack, through the Swift API against the sandbox binary:
/// idle timeout on the app's clock, the PIN's attempt counter and its silence about which factor
/// failed, a restored older device state, and a man-in-the-middle server. (A replayed login
/// challenge cannot be sent through the public API; the Rust end-to-end suite covers it.)
final class SessionSecurityTests: SandboxTestCase {
    /// Kept so that a test's listener stays subscribed until the test is done.
    private var subscriptions: [Subscription] = []

    /// `client`, with `listener` subscribed to its events.
    private func heard(_ client: MobankClient, by listener: EventListener) -> MobankClient {
        subscriptions.append(client.subscribe(listener: listener))
        return client
    }

    func testIdle459PassesAnd501IsSessionExpiredWithoutANetworkCallAndTheListenerHearsIt() async throws {
        // Its own bank: this test stops it.
        let bank = try SandboxProcess()
        defer { bank.stop() }
        let clock = ManualClock()
        let listener = RecordingListener()
        let client = heard(try open(newDirectory(), bank: bank.bank, clock: clock), by: listener)
        listener.onEach = { [weak client] _ in _ = client?.auth().needsStepUp(operation: .revokeDevice) }
        try await bind(client, at: bank)
        let session = try await client.auth().loginBiometric(prompt: "Log in to Mobank")
        XCTAssertEqual(session.idleTimeoutSecs, 300)
        let limits = try XCTUnwrap(session.limits)
        XCTAssertEqual(limits.reason, .coolingOff, "a new device starts in cooling-off")
        XCTAssertEqual(listener.events, [.limitsChanged(limits: limits)])
        listener.clear()

        clock.advance(minutes: 4, seconds: 59)
        let accounts = try await client.accounts().list()
        XCTAssertGreaterThanOrEqual(accounts.count, 2, "4:59 idle: the session is alive")

        clock.advance(minutes: 5, seconds: 1)
        // The bank is gone: only a check made before any network call can answer now.
        bank.stop()
        let expired = await error { try await client.accounts().list() }
        XCTAssertEqual(expired, .SessionExpired)
        XCTAssertEqual(listener.events, [.sessionExpired])
        let after = await error { try await client.accounts().list() }
        XCTAssertEqual(after, .NotLoggedIn)
    }

    func testTheIdleWindowInTheBackgroundLocksTheSession() async throws {
        let clock = ManualClock()
        let listener = RecordingListener()
        let client = heard(try open(newDirectory(), clock: clock), by: listener)
        try await bind(client)
        _ = try await client.auth().loginBiometric(prompt: "Log in to Mobank")
        listener.clear()

        client.appEnteredBackground()
        clock.advance(minutes: 4, seconds: 59)
        client.appEnteredForeground()
        let accounts = try await client.accounts().list()
        XCTAssertFalse(accounts.isEmpty, "a short trip to the background keeps the session")
        XCTAssertEqual(listener.events, [])

        client.appEnteredBackground()
        clock.advance(minutes: 5, seconds: 0)
        client.appEnteredForeground()
        XCTAssertEqual(listener.events, [.sessionLocked])
        let locked = await error { try await client.accounts().list() }
        XCTAssertEqual(locked, .NotLoggedIn)
    }

    func testFiveWrongPinsLeave4321AttemptsAndThenTheDeviceIsBlocked() async throws {
        let client = try open(newDirectory())
        try await bind(client)
        var errors: [MobankError?] = []
        for _ in 1...5 { errors.append(await error { try await client.auth().loginPin(pin: Self.wrongPin) }) }
        XCTAssertEqual(errors, [
            .AuthenticationFailed(attemptsRemaining: 4), .AuthenticationFailed(attemptsRemaining: 3),
            .AuthenticationFailed(attemptsRemaining: 2), .AuthenticationFailed(attemptsRemaining: 1),
            .DeviceBlocked,
        ])
        // Blocked for good: the right PIN and the biometric key no longer help.
        let rightPin = await error { try await client.auth().loginPin(pin: Self.pin) }
        XCTAssertEqual(rightPin, .DeviceBlocked)
        let biometric = await error { try await client.auth().loginBiometric(prompt: "Log in to Mobank") }
        XCTAssertEqual(biometric, .DeviceBlocked)
        XCTAssertEqual(try client.bindingState().boundDevice?.blocked, true)
    }

    func testAWrongPinAndAWrongBiometricKeyFailWithTheSameError() async throws {
        let pinPhone = try open(newDirectory())
        let impostor = TestKeyStore()
        let biometricPhone = try open(newDirectory(), keyStore: impostor)
        try await bind(pinPhone)
        try await bind(biometricPhone)

        let wrongPin = await error { try await pinPhone.auth().loginPin(pin: Self.wrongPin) }
        impostor.impostor = true
        let wrongBiometric = await error { try await biometricPhone.auth().loginBiometric(prompt: "Log in to Mobank") }
        XCTAssertEqual(wrongPin, .AuthenticationFailed(attemptsRemaining: 4))
        XCTAssertEqual(wrongPin, wrongBiometric)
        XCTAssertEqual(wrongPin.map { "\($0)" }, wrongBiometric.map { "\($0)" })

        // Both factors draw on the one counter of the binding.
        let afterPin = await error { try await biometricPhone.auth().loginPin(pin: Self.wrongPin) }
        XCTAssertEqual(afterPin, .AuthenticationFailed(attemptsRemaining: 3))
        impostor.impostor = false
        _ = try await biometricPhone.auth().loginBiometric(prompt: "Log in to Mobank")
    }

    func testLoggingInWithARestoredOlderCopyOfTheAppsDataBlocksTheDevice() async throws {
        let directory = newDirectory()
        let client = try open(directory)
        try await bind(client)
        let backup = try copyOfData(client, directory)
        _ = try await client.auth().loginBiometric(prompt: "Log in to Mobank")
        client.auth().logout()

        // A backup from before that login comes back, and the signature counters with it.
        try putBack(client, directory, backup)
        let restored = await error { try await client.auth().loginBiometric(prompt: "Log in to Mobank") }
        XCTAssertEqual(restored, .DeviceBlocked)
        let again = await error { try await client.auth().loginPin(pin: Self.pin) }
        XCTAssertEqual(again, .DeviceBlocked)
        XCTAssertEqual(try client.bindingState().boundDevice?.blocked, true)
    }

    /// Paths of every file under `directory`, relative to it.
    private func files(in directory: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = directory.appendingPathComponent(path).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files
    }

    /// Every file of the data directory, as a device backup takes it (the store paused meanwhile).
    private func copyOfData(_ client: MobankClient, _ directory: URL) throws -> [String: Data] {
        try client.pauseStorage()
        defer { try? client.resumeStorage() }
        var copy: [String: Data] = [:]
        for path in files(in: directory) { copy[path] = try Data(contentsOf: directory.appendingPathComponent(path)) }
        XCTAssertFalse(copy.isEmpty)
        return copy
    }

    /// Replaces the data directory's files with `copy`, as restoring a backup does.
    private func putBack(_ client: MobankClient, _ directory: URL, _ copy: [String: Data]) throws {
        try client.pauseStorage()
        defer { try? client.resumeStorage() }
        for path in files(in: directory) { try FileManager.default.removeItem(at: directory.appendingPathComponent(path)) }
        for (path, bytes) in copy {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url)
        }
    }

    func testAServerWithAnotherCertificateIsRefusedBeforeTheRequestReachesIt() async throws {
        // The man in the middle: a real TLS server, with its own key, where the bank should be.
        let impostor = try SandboxProcess()
        defer { impostor.stop() }
        let issued = try await impostor.issueActivationCode(customerId: "demo")
        let mitm = BankEndpoint(baseUrl: impostor.addresses.base_url, spkiPins: [sandbox.addresses.spki_pin],
                                receiptKeys: [impostor.addresses.receipt_public_key])
        let client = try open(newDirectory(), bank: mitm)
        let refused = await error { try await client.activation().start(activationCode: issued.activation_code) }
        XCTAssertEqual(refused, .PinningFailed)
        let sent = try await impostor.smsCount(phone: issued.phone)
        XCTAssertEqual(sent, 0, "the activation request never reached the server")

        // The same request with that server's own pin goes through: the refusal was the pin.
        let control = try open(newDirectory(), bank: impostor.bank)
        _ = try await control.activation().start(activationCode: issued.activation_code)
        let sentAfter = try await impostor.smsCount(phone: issued.phone)
        XCTAssertEqual(sentAfter, 1)
    }
}
