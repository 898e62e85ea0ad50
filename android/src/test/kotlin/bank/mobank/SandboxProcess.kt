package bank.mobank

import bank.mobank.ffi.core.BankEndpoint
import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * The sandbox bank as a child process, as an app developer runs it: the binary prints one JSON
 * line with its addresses and the SPKI pin, then serves until it is terminated.
 */
class SandboxProcess private constructor(
    private val process: Process,
    private val dataDir: File,
    val baseUrl: String,
    val spkiPin: String,
    val receiptKey: String,
    val devUrl: String,
) : AutoCloseable {
    private val http: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

    val bank: BankEndpoint get() = BankEndpoint(baseUrl, listOf(spkiPin), listOf(receiptKey))

    /** Developer API: an activation code for [customerId], as a branch would hand it out. */
    fun issueActivationCode(customerId: String): IssuedCode {
        val body = devCall(
            HttpRequest.newBuilder(URI.create("$devUrl/dev/activation-codes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""{"customer_id":"$customerId"}""")),
        )
        return IssuedCode(code = jsonString(body, "activation_code"), phone = jsonString(body, "phone"))
    }

    /** The OTP in the latest SMS to [phone]: the only run of six digits in its text. */
    fun latestOtp(phone: String): String {
        val encoded = URLEncoder.encode(phone, StandardCharsets.UTF_8)
        val outbox = devCall(HttpRequest.newBuilder(URI.create("$devUrl/dev/sms/$encoded")).GET())
        val bodies = SMS_BODY.findAll(outbox).map { it.groupValues[1] }.toList()
        check(bodies.isNotEmpty()) { "no SMS to $phone" }
        return OTP.find(bodies.last())?.groupValues?.get(1) ?: error("no OTP in the latest SMS")
    }

    /** How many SMS the sandbox has sent to [phone]. */
    fun smsCount(phone: String): Int {
        val encoded = URLEncoder.encode(phone, StandardCharsets.UTF_8)
        val outbox = devCall(HttpRequest.newBuilder(URI.create("$devUrl/dev/sms/$encoded")).GET())
        return SMS_BODY.findAll(outbox).count()
    }

    /** Developer API: books a transaction on the demo customer's current account now. */
    fun appendTransaction(amount: String, counterparty: String, memo: String, category: String) {
        val json = """{"amount":"$amount","counterparty":"${jsonEscape(counterparty)}",""" +
            """"memo":"${jsonEscape(memo)}","category":"$category"}"""
        devCall(
            HttpRequest.newBuilder(URI.create("$devUrl/dev/transactions"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)),
        )
    }

    /** Developer API: the back office moves [amount] CNY between two of the demo customer's accounts. */
    fun moveFunds(fromAccountId: String, toAccountId: String, amount: String) {
        val json = """{"from_account_id":"$fromAccountId","to_account_id":"$toAccountId",""" +
            """"amount":"$amount","currency":"CNY"}"""
        devCall(
            HttpRequest.newBuilder(URI.create("$devUrl/dev/moves"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)),
        )
    }

    /**
     * Developer API: the answers to the next [count] transfers are cut short after the bank
     * decided, booked and stored them, as a connection lost on the way back to the phone.
     */
    fun loseTransferResponses(count: Int) {
        devCall(
            HttpRequest.newBuilder(URI.create("$devUrl/dev/faults/lose-transfer-responses"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""{"count":$count}""")),
        )
    }

    /**
     * Developer API: a new customer of this bank with one CNY current account holding
     * [openingBalance], for a test whose channels, limits, daily totals and suspension must be
     * its own. Bind a phone to it with its [Customer.id].
     */
    fun newCustomer(openingBalance: String = "20000.00"): Customer {
        val body = devCall(
            HttpRequest.newBuilder(URI.create("$devUrl/dev/customers/bulk"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""{"count":1,"opening_balance":"$openingBalance"}""")),
        )
        return Customer(id = jsonString(body, "customer_id"), accountId = jsonString(body, "account_id"))
    }

    /** Developer API: moves the bank's clock forward by [seconds] (the sandbox runs with `--test-clock`). */
    fun advanceClock(seconds: Long) {
        devCall(
            HttpRequest.newBuilder(URI.create("$devUrl/dev/clock/advance"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""{"seconds":$seconds}""")),
        )
    }

    /** Developer API: the bank suspends [customerId]'s e-banking, or lifts the suspension. */
    fun setSuspended(customerId: String, suspended: Boolean) {
        devCall(
            HttpRequest.newBuilder(URI.create("$devUrl/dev/customers/$customerId/suspension"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""{"suspended":$suspended}""")),
        )
    }

    /** Developer API: the QR code [merchantId]'s till shows, dynamic for [amount] or static without it. */
    fun merchantQr(merchantId: String, amount: String? = null): String {
        val query = amount?.let { "?amount=" + URLEncoder.encode(it, StandardCharsets.UTF_8) } ?: ""
        val body = devCall(HttpRequest.newBuilder(URI.create("$devUrl/dev/merchants/$merchantId/qr$query")).GET())
        return jsonString(body, "payload")
    }

    /** Developer API: the ledger's account of itself. */
    fun ledgerCheck(): LedgerCheck {
        val body = devCall(HttpRequest.newBuilder(URI.create("$devUrl/dev/ledger/check")).GET())
        return LedgerCheck(balanced = jsonScalar(body, "balanced") == "true", entries = jsonScalar(body, "entries").toLong())
    }

    /** Developer API: the outcome the bank recorded for [customerId]'s transfer [transferId]. */
    fun recordedOutcome(customerId: String, transferId: String): RecordedOutcome {
        val body = devCall(HttpRequest.newBuilder(URI.create("$devUrl/dev/transfers/$customerId/$transferId")).GET())
        return RecordedOutcome(receiptId = jsonString(body, "receipt_id"), outcome = jsonString(body, "outcome"))
    }

    private fun jsonEscape(text: String): String = text.replace("\\", "\\\\").replace("\"", "\\\"")

    private fun devCall(request: HttpRequest.Builder): String {
        val response = http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 200) { "dev API answered ${response.statusCode()}: ${response.body()}" }
        return response.body()
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor()
        dataDir.deleteRecursively()
    }

    data class IssuedCode(val code: String, val phone: String)

    /** A customer made for one test: its id and its one account, a CNY current account. */
    data class Customer(val id: String, val accountId: String)

    /** Whether every entry balances and every cached balance is its postings' sum; how many entries. */
    data class LedgerCheck(val balanced: Boolean, val entries: Long)

    /** The bank's signed receipt for a transfer, as it stored it: its id and `accepted` or `rejected`. */
    data class RecordedOutcome(val receiptId: String, val outcome: String)

    companion object {
        private val SMS_BODY = Regex(""""body"\s*:\s*"((?:[^"\\]|\\.)*)"""")
        private val OTP = Regex("""\b(\d{6})\b""")

        fun start(): SandboxProcess {
            val binary = File(System.getProperty("mobank.sandbox") ?: error("set -Dmobank.sandbox=path/to/mobank-sandbox"))
            check(binary.canExecute()) { "sandbox binary not found at $binary (run `make bindings` and `cargo build -p mobank-sandbox`)" }
            val dataDir = Files.createTempDirectory("mobank-sandbox").toFile()
            // The sandbox's log goes to a file, not into the test report; it is kept for debugging.
            val log = File(System.getProperty("java.io.tmpdir"), "mobank-sandbox-kotlin-tests.log")
            val process = ProcessBuilder(
                binary.path, "--data-dir", dataDir.path, "--listen", "127.0.0.1:0", "--dev-listen", "127.0.0.1:0",
                // The bank's clock keeps real time until a test moves it forward (`advanceClock`).
                "--test-clock",
            ).redirectError(ProcessBuilder.Redirect.to(log)).start()
            val stdout = BufferedReader(InputStreamReader(process.inputStream, StandardCharsets.UTF_8))
            val line = stdout.readLine()
            if (line == null) {
                process.destroyForcibly()
                error("the sandbox exited before printing its addresses; see $log")
            }
            // Keep reading so the sandbox never blocks on a full pipe.
            Thread { stdout.lineSequence().forEach { } }.apply { isDaemon = true }.start()
            return SandboxProcess(
                process, dataDir,
                baseUrl = jsonString(line, "base_url"),
                spkiPin = jsonString(line, "spki_pin"),
                receiptKey = jsonString(line, "receipt_public_key"),
                devUrl = jsonString(line, "dev_url"),
            )
        }

        /** One `true`, `false` or whole-number field of a JSON object, by a name used once in it. */
        private fun jsonScalar(json: String, field: String): String =
            Regex(""""$field"\s*:\s*(true|false|\d+)""").find(json)?.groupValues?.get(1)
                ?: error("no \"$field\" in $json")

        /** One string field of a flat JSON object; enough for the sandbox's small replies. */
        private fun jsonString(json: String, field: String): String =
            Regex(""""$field"\s*:\s*"([^"]*)"""").find(json)?.groupValues?.get(1)
                ?: error("no \"$field\" in $json")
    }
}
