import Foundation

/// The bank this app talks to: its customer API and the SPKI pins of its TLS keys (add a backup pin).
public struct BankEndpoint: Equatable, Sendable {
    public let baseURL: String
    public let spkiPins: [String]

    public init(baseURL: String, spkiPins: [String]) {
        precondition(!spkiPins.isEmpty, "at least one SPKI pin is required")
        self.baseURL = baseURL
        self.spkiPins = spkiPins
    }
}

extension MobankClient {
    /// Opens (or creates) this phone's Mobank state in `dataDirectory`. Keep one client for the
    /// life of the process; it is thread-safe.
    ///
    ///     let mobank = try MobankClient.open(dataDirectory: appSupport.appendingPathComponent("mobank"),
    ///                                        bank: bank, deviceName: "Li Wei's iPhone",
    ///                                        keyStore: SecureEnclaveKeyStore())
    ///     _ = try await mobank.startActivation(activationCode: code)
    ///     _ = try await mobank.completeActivation(otp: otp, pin: pinDigits)  // Data of 6 ASCII digits
    ///     _ = try await mobank.loginBiometric(prompt: "Log in to Mobank")
    ///     let accounts = try await mobank.accounts()
    ///
    /// The optional hooks: `clock`, a monotonic clock (default: `BootTimeClock`, which counts the
    /// time the device sleeps); `events`, a listener for `MobankEvent`s (session expired or
    /// locked, a new device bound, changed limits); `integrity`, the app's jailbreak/debugger/
    /// hooking/simulator checks, sent to the bank with each login.
    public static func open(
        dataDirectory: URL,
        bank: BankEndpoint,
        deviceName: String,
        keyStore: PlatformKeyStore,
        platform: String = "ios",
        clock: MonotonicClock? = nil,
        events: EventListener? = nil,
        integrity: DeviceIntegrity? = nil
    ) throws -> MobankClient {
        try MobankClient(
            config: ClientConfig(
                dataDir: dataDirectory.path,
                baseUrl: bank.baseURL,
                spkiPins: bank.spkiPins,
                deviceName: deviceName,
                platform: platform
            ),
            keyStore: keyStore,
            clock: clock ?? BootTimeClock(),
            events: events,
            integrity: integrity
        )
    }
}

extension AccountInfo {
    /// The balance as an exact `Decimal` (the FFI carries the bank's decimal string), or nil if
    /// the string is not a decimal number.
    public var balanceDecimal: Decimal? {
        Decimal(string: balance, locale: Locale(identifier: "en_US_POSIX"))
    }
}

extension Transaction {
    /// The signed amount as an exact `Decimal` (negative: money out of the account).
    public var amountDecimal: Decimal? {
        Decimal(string: amount, locale: Locale(identifier: "en_US_POSIX"))
    }
}

extension BindingState {
    /// The bound device, or nil when this phone is not bound.
    public var boundDevice: DeviceSummary? {
        if case let .bound(device) = self { return device }
        return nil
    }
}
