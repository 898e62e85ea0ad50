import Foundation

extension MobankClient {
    /// Opens (or creates) this phone's Mobank state in `dataDirectory`. Keep one client for the
    /// life of the process; it is thread-safe.
    ///
    ///     let mobank = try MobankClient.open(dataDirectory: appSupport.appendingPathComponent("mobank"),
    ///                                        bank: bank, deviceName: "Li Wei's iPhone",
    ///                                        keyStore: SecureEnclaveKeyStore())
    ///     _ = try await mobank.activation().start(activationCode: code)
    ///     _ = try await mobank.activation().complete(otp: otp, pin: pinDigits)  // Data of 6 ASCII digits
    ///     _ = try await mobank.auth().loginBiometric(prompt: "Log in to Mobank")
    ///     let accounts = try await mobank.accounts().list()
    ///
    /// The optional hooks: `clock`, a monotonic clock (default: `BootTimeClock`, which counts the
    /// time the device sleeps); `integrity`, the app's jailbreak/debugger/hooking/simulator
    /// checks, sent to the bank with each login. Events: iterate `events`.
    public static func open(
        dataDirectory: URL,
        bank: BankEndpoint,
        deviceName: String,
        keyStore: PlatformKeyStore,
        platform: String = "ios",
        clock: MonotonicClock? = nil,
        integrity: DeviceIntegrity? = nil
    ) throws -> MobankClient {
        try MobankClient(
            config: MobankConfig(dataDir: dataDirectory, bank: bank, deviceName: deviceName, platform: platform),
            keyStore: keyStore,
            clock: clock ?? BootTimeClock(),
            integrity: integrity
        )
    }

    // The feature handles are the generated methods (`activation()`, `auth()`, `pin()`,
    // `devices()`, `accounts()`, `history()`, `transfers()`): already idiomatic, so no wrapper.

    /// Every `MobankEvent` from the moment of the call. Each stream has its own subscription,
    /// cancelled when the stream ends (the iterating task is cancelled or the stream is dropped).
    public var events: AsyncStream<MobankEvent> {
        AsyncStream { continuation in
            let subscription = subscribe(listener: StreamListener(continuation: continuation))
            continuation.onTermination = { _ in subscription.cancel() }
        }
    }
}

/// Forwards events into a stream; the library's thread never waits for the consumer.
private final class StreamListener: EventListener, @unchecked Sendable {
    private let continuation: AsyncStream<MobankEvent>.Continuation

    init(continuation: AsyncStream<MobankEvent>.Continuation) {
        self.continuation = continuation
    }

    func onEvent(event: MobankEvent) throws {
        continuation.yield(event)
    }
}

/// `"\(error)"` and `error.localizedDescription` are the library's own text.
extension MobankError: CustomStringConvertible {}

extension BindingState {
    /// The bound device, or nil when this phone is not bound.
    public var boundDevice: DeviceSummary? {
        if case let .bound(device) = self { return device }
        return nil
    }
}
