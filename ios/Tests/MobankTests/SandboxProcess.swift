import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import Mobank

/// The sandbox bank binary as a child process, as an app developer runs it: it prints one JSON
/// line with its addresses and SPKI pin, then serves until terminated.
final class SandboxProcess: @unchecked Sendable {
    struct Addresses: Decodable {
        let base_url: String
        let spki_pin: String
        let receipt_public_key: String
        let dev_url: String
    }

    struct IssuedCode: Decodable {
        let activation_code: String
        let phone: String
    }

    /// The ledger's account of itself: whether every entry balances and every cached balance is
    /// its postings' sum, and how many entries it holds.
    struct LedgerCheck: Decodable {
        let balanced: Bool
        let entries: UInt64
    }

    /// The bank's signed receipt for a transfer, as it stored it.
    struct RecordedReceipt: Decodable {
        let receipt_id: String
        /// `accepted` or `rejected`.
        let outcome: String
    }

    private struct RecordedOutcome: Decodable {
        let receipt: RecordedReceipt
    }

    /// A customer made for one test: its id and its one account, a CNY current account.
    struct Customer: Decodable {
        let customer_id: String
        let account_id: String
    }

    private struct Customers: Decodable {
        let customers: [Customer]
    }

    private struct MerchantQr: Decodable {
        let payload: String
    }

    private struct Outbox: Decodable {
        struct Message: Decodable { let body: String }
        let messages: [Message]
    }

    let addresses: Addresses
    private let process: Process
    private let dataDirectory: URL

    var bank: BankEndpoint { BankEndpoint(baseUrl: addresses.base_url, spkiPins: [addresses.spki_pin],
                                  receiptKeys: [addresses.receipt_public_key]) }

    /// `MOBANK_SANDBOX`, or target/debug/mobank-sandbox of this checkout.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["MOBANK_SANDBOX"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // MobankTests
            .deletingLastPathComponent() // Tests
            .deletingLastPathComponent() // ios
            .deletingLastPathComponent() // repository
            .appendingPathComponent("target/debug/mobank-sandbox")
    }

    static let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("mobank-sandbox-swift-tests.log").path

    init() throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("mobank-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = Self.binary
        // The bank's clock keeps real time until a test moves it forward (`advanceClock`).
        process.arguments = ["--data-dir", dataDirectory.path, "--listen", "127.0.0.1:0", "--dev-listen", "127.0.0.1:0",
                             "--test-clock"]
        let stdout = Pipe()
        process.standardOutput = stdout
        // The sandbox's log goes to a file, not into the test output; it is kept for debugging.
        _ = FileManager.default.createFile(atPath: Self.logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: Self.logPath)
        try process.run()

        var line = Data()
        let reader = stdout.fileHandleForReading
        while true {
            let byte = reader.readData(ofLength: 1)
            if byte.isEmpty { throw SandboxError.exitedEarly }
            if byte.first == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        // Keep draining so the sandbox never blocks on a full pipe.
        reader.readabilityHandler = { handle in _ = handle.availableData }
        addresses = try JSONDecoder().decode(Addresses.self, from: line)
    }

    /// Stops the sandbox and waits until it has exited. Its graceful shutdown waits for open
    /// keep-alive connections, which a client still in scope holds, so after two seconds it is
    /// killed. Polls rather than `waitUntilExit()`, which needs a run loop that an async test's
    /// thread does not run.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            while process.isRunning { usleep(10_000) }
        }
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// Developer API: an activation code for `customerId`, as a branch would hand it out.
    func issueActivationCode(customerId: String) async throws -> IssuedCode {
        let request = try post("/dev/activation-codes", ["customer_id": customerId])
        return try JSONDecoder().decode(IssuedCode.self, from: try await Self.send(request))
    }

    /// Developer API: the back office moves `amount` CNY between two of the demo customer's accounts.
    func moveFunds(from: String, to: String, amount: String) async throws {
        let move = ["from_account_id": from, "to_account_id": to, "amount": amount, "currency": "CNY"]
        _ = try await Self.send(try post("/dev/moves", move))
    }

    /// Developer API: the answers to the next `count` transfers are cut short after the bank
    /// decided, booked and stored them, as a connection lost on the way back to the phone.
    func loseTransferResponses(count: Int) async throws {
        _ = try await Self.send(try post("/dev/faults/lose-transfer-responses", ["count": count]))
    }

    /// Developer API: a new customer of this bank with one CNY current account holding
    /// `openingBalance`, for a test whose channels, limits, daily totals and suspension must be its
    /// own. Bind a phone to it with its `customer_id`.
    func newCustomer(openingBalance: String = "20000.00") async throws -> Customer {
        let request = try post("/dev/customers/bulk", BulkRequest(count: 1, opening_balance: openingBalance))
        let made = try JSONDecoder().decode(Customers.self, from: try await Self.send(request))
        guard let customer = made.customers.first else { throw SandboxError.noCustomer }
        return customer
    }

    private struct BulkRequest: Encodable {
        let count: Int
        let opening_balance: String
    }

    /// Developer API: moves the bank's clock forward by `seconds` (the sandbox runs with `--test-clock`).
    func advanceClock(seconds: Int) async throws {
        _ = try await Self.send(try post("/dev/clock/advance", ["seconds": seconds]))
    }

    /// Developer API: the bank suspends `customerId`'s e-banking, or lifts the suspension.
    func setSuspended(customerId: String, _ suspended: Bool) async throws {
        _ = try await Self.send(try post("/dev/customers/\(customerId)/suspension", ["suspended": suspended]))
    }

    /// Developer API: the QR code `merchantId`'s till shows, dynamic for `amount` or static without it.
    func merchantQr(merchantId: String, amount: String? = nil) async throws -> String {
        var components = URLComponents(string: "\(addresses.dev_url)/dev/merchants/\(merchantId)/qr")!
        if let amount { components.queryItems = [URLQueryItem(name: "amount", value: amount)] }
        let request = URLRequest(url: components.url!)
        return try JSONDecoder().decode(MerchantQr.self, from: try await Self.send(request)).payload
    }

    /// Developer API: the ledger's account of itself.
    func ledgerCheck() async throws -> LedgerCheck {
        let request = URLRequest(url: URL(string: "\(addresses.dev_url)/dev/ledger/check")!)
        return try JSONDecoder().decode(LedgerCheck.self, from: try await Self.send(request))
    }

    /// Developer API: the receipt the bank stored for `customerId`'s transfer `transferId`.
    func recordedReceipt(customerId: String, transferId: String) async throws -> RecordedReceipt {
        let request = URLRequest(url: URL(string: "\(addresses.dev_url)/dev/transfers/\(customerId)/\(transferId)")!)
        return try JSONDecoder().decode(RecordedOutcome.self, from: try await Self.send(request)).receipt
    }

    private func post(_ path: String, _ body: some Encodable) throws -> URLRequest {
        var request = URLRequest(url: URL(string: "\(addresses.dev_url)\(path)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(body)
        return request
    }

    /// The OTP in the latest SMS to `phone`: the only run of six digits in its text.
    func latestOtp(phone: String) async throws -> String {
        let encoded = phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? phone
        let request = URLRequest(url: URL(string: "\(addresses.dev_url)/dev/sms/\(encoded)")!)
        let outbox = try JSONDecoder().decode(Outbox.self, from: try await Self.send(request))
        guard let body = outbox.messages.last?.body else { throw SandboxError.noSms }
        let otp = try NSRegularExpression(pattern: #"\b(\d{6})\b"#)
        let range = NSRange(body.startIndex..., in: body)
        guard let match = otp.firstMatch(in: body, range: range), let digits = Range(match.range(at: 1), in: body) else {
            throw SandboxError.noOtp
        }
        return String(body[digits])
    }

    /// How many SMS the sandbox has sent to `phone`.
    func smsCount(phone: String) async throws -> Int {
        let encoded = phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? phone
        let request = URLRequest(url: URL(string: "\(addresses.dev_url)/dev/sms/\(encoded)")!)
        return try JSONDecoder().decode(Outbox.self, from: try await Self.send(request)).messages.count
    }

    /// The callback API works on every Foundation; the async one is not on all Linux versions.
    private static func send(_ request: URLRequest) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                guard status == 200, let data else { return continuation.resume(throwing: SandboxError.http(status)) }
                continuation.resume(returning: data)
            }.resume()
        }
    }

    enum SandboxError: Error {
        case exitedEarly, noSms, noOtp, noCustomer
        case http(Int)
    }
}
