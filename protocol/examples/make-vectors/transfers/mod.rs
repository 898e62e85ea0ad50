//! `vectors/transfers.json`: canonical transfers with their bytes, hash, operation text and the
//! device signatures over them; bytes and submissions a bank must refuse; signed receipts.

pub(crate) mod file;
mod invalid;
mod kept;
mod receipts;

use std::path::Path;

use mobank_protocol::assertion::{verify, verify_knowledge};
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::transfer::messages::SubmitTransferRequest;
use mobank_protocol::transfer::{
    account_number, operation_text, CanonicalTransfer, Channel, IdempotencyKey, Payee,
};
use mobank_protocol::vectors::{hex, Expected, Inputs, OwnedExpectation};
use mobank_protocol::{
    b64, signed_bytes, Assertion, Ceremony, Factor, FLAG_USER_PRESENT, FLAG_USER_VERIFIED,
};
use ring::digest::{digest, SHA256};

use crate::der;
use crate::fixtures::{build, challenge, Key, Keys, KnowledgeKey, KnowledgeKeys, Result, RP_ID};
use file::{TransferAssertion, TransferVectors, ValidTransfer};
use kept::KeptSignatures;

pub(crate) const MAGIC: &[u8] = b"MOBANK-TRANSFER";
pub(crate) const VERSION: u8 = 1;

/// The bank's receipt key of the vectors. Generated once (openssl, PKCS#8 v1) and fixed here.
/// A public test key: worthless outside tests.
const RECEIPT_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgaMWWwaQy_Z3Zvv5GnT-Kxhn2kUVmKqwL41dhpH--6-ehRANCAATMSu05QVdQNsNyIiExt-dR09CLfrmU7_F57ttlxtA2H5hL3VeSV9yQhMSfZLVHCrJNynKKNw0s1NSUHWsWalBY";

/// 2026-12-03 10:15:00 in Beijing (UTC+8), bank time of the first quote.
const FIRST_QUOTE_MS: u64 = 1_796_264_100_000;
const EXECUTION_DATE: &str = "2026-12-03";

/// `magic ‖ version ‖ (u32 big-endian length ‖ bytes)*`, written here without the crate's
/// encoder so that the vectors also hold bytes the crate would refuse to write.
pub(crate) fn encode(magic: &[u8], version: u8, fields: &[&[u8]]) -> Vec<u8> {
    let mut out = magic.to_vec();
    out.push(version);
    for field in fields {
        let length = u32::try_from(field.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(field);
    }
    out
}

/// The fourteen field texts of a transfer, in encoding order.
pub(crate) fn field_texts(t: &CanonicalTransfer) -> Vec<String> {
    vec![
        t.payer_account_id.clone(),
        t.payee.account_number.clone(),
        t.payee.bank_code.clone(),
        t.payee.name.clone(),
        t.amount.to_wire(),
        t.amount.currency().code().to_owned(),
        t.fee.clone(),
        t.memo.clone(),
        t.channel.code().to_owned(),
        t.execution_date.clone(),
        t.idempotency_key.to_hex(),
        b64::encode(&t.challenge),
        t.quoted_at_ms.to_string(),
        t.acknowledged_warnings.join(","),
    ]
}

pub(crate) fn encode_texts(texts: &[String]) -> Vec<u8> {
    let fields: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
    encode(MAGIC, VERSION, &fields)
}

/// An account number with its Luhn check digit appended.
fn account(body: &str) -> Result<String> {
    let digit = account_number::check_digit(body).ok_or("not a digit string")?;
    Ok(format!("{body}{digit}"))
}

struct Draft {
    label: &'static str,
    payer: &'static str,
    payee_body: &'static str,
    bank_code: &'static str,
    payee_name: &'static str,
    amount: &'static str,
    currency: Currency,
    fee: &'static str,
    memo: &'static str,
    channel: Channel,
    warnings: &'static [&'static str],
}

impl Draft {
    /// The transfer as the bank quotes it; challenge and idempotency key derive from the label.
    fn transfer(&self, index: u64) -> Result<CanonicalTransfer> {
        let mut key = [0u8; 16];
        key.copy_from_slice(&challenge(&format!("{} idempotency key", self.label))[..16]);
        let transfer = CanonicalTransfer {
            payer_account_id: self.payer.to_owned(),
            payee: Payee {
                account_number: account(self.payee_body)?,
                bank_code: self.bank_code.to_owned(),
                name: self.payee_name.to_owned(),
            },
            amount: Amount::parse_wire(self.amount, self.currency)?,
            fee: self.fee.to_owned(),
            memo: self.memo.to_owned(),
            channel: self.channel,
            execution_date: EXECUTION_DATE.to_owned(),
            idempotency_key: IdempotencyKey::from_bytes(key),
            challenge: challenge(&format!("{} challenge", self.label)),
            quoted_at_ms: FIRST_QUOTE_MS + 60_000 * index,
            acknowledged_warnings: self.warnings.iter().map(|w| (*w).to_owned()).collect(),
        };
        transfer.validate()?;
        Ok(transfer)
    }
}

/// The signer of one assertion and its counters.
pub(crate) enum Signer<'a> {
    Ecdsa(&'a Key, Factor),
    Knowledge(&'a KnowledgeKey),
}

pub(crate) fn transfer_inputs(
    transfer: &CanonicalTransfer,
    ceremony: Ceremony,
    flags: u8,
    sign_count: u32,
) -> Result<Inputs> {
    Ok(Inputs {
        rp_id: RP_ID.to_owned(),
        ceremony,
        challenge: transfer.challenge.clone(),
        flags,
        sign_count,
        operation: Some(operation_text(&transfer.hash()?)),
    })
}

/// What the bank expects, built from the transfer it is about to execute.
pub(crate) fn bank_expectation(
    transfer: &CanonicalTransfer,
    require_user_verified: bool,
    previous_sign_count: u32,
) -> Result<OwnedExpectation> {
    Ok(OwnedExpectation {
        rp_id: RP_ID.to_owned(),
        ceremony: Ceremony::Transfer,
        challenge: transfer.challenge.clone(),
        require_user_verified,
        previous_sign_count,
        operation: Some(operation_text(&transfer.hash()?)),
    })
}

fn signed(
    kept: &KeptSignatures,
    signer: &Signer<'_>,
    transfer: &CanonicalTransfer,
    sign_count: u32,
) -> Result<TransferAssertion> {
    let (factor, flags) = match signer {
        Signer::Ecdsa(_, Factor::Possession) => (Factor::Possession, FLAG_USER_PRESENT),
        Signer::Ecdsa(_, factor) => (*factor, FLAG_USER_PRESENT | FLAG_USER_VERIFIED),
        Signer::Knowledge(_) => (Factor::Knowledge, FLAG_USER_PRESENT | FLAG_USER_VERIFIED),
    };
    let inputs = transfer_inputs(transfer, Ceremony::Transfer, flags, sign_count)?;
    let (authenticator_data, client_data_json) = build(&inputs);
    let message = signed_bytes(&authenticator_data, &client_data_json);
    let expectation = bank_expectation(transfer, factor != Factor::Possession, sign_count - 1)?;
    let (key_name, assertion, verified, high_s) = match signer {
        Signer::Ecdsa(key, _) => {
            let assertion = Assertion {
                factor,
                signature: kept.sign(key, &message)?,
                authenticator_data: authenticator_data.clone(),
                client_data_json: client_data_json.clone(),
            };
            let verified = verify(&assertion, &key.public_key(), &expectation.borrow());
            let high_s = Some(der::is_high_s(&assertion.signature)?);
            (key.name, assertion, verified, high_s)
        }
        Signer::Knowledge(key) => {
            let assertion = key.assertion(&inputs);
            let verified = verify_knowledge(&assertion, &key.key, &expectation.borrow());
            (key.name, assertion, verified, None)
        }
    };
    let verified = verified.map_err(|e| format!("{key_name}: transfer assertion fails: {e}"))?;
    Ok(TransferAssertion {
        key: key_name.to_owned(),
        factor,
        flags,
        sign_count,
        authenticator_data_hex: hex(&authenticator_data),
        client_data_json_text: String::from_utf8(client_data_json)?,
        signed_bytes_hex: hex(&message),
        signature_hex: hex(&assertion.signature),
        high_s,
        assertion,
        expectation,
        expected: Expected {
            sign_count: verified.sign_count,
            user_verified: verified.user_verified,
        },
    })
}

fn valid_transfer(
    name: &str,
    description: &str,
    transfer: CanonicalTransfer,
    assertions: Vec<TransferAssertion>,
) -> Result<ValidTransfer> {
    let bytes = transfer.to_bytes()?;
    let texts = field_texts(&transfer);
    if encode_texts(&texts) != bytes {
        return Err(format!("{name}: the field texts do not encode to the canonical bytes").into());
    }
    let hash = transfer.hash()?;
    let request = SubmitTransferRequest {
        transfer: transfer.clone(),
        assertions: assertions.iter().map(|a| a.assertion.clone()).collect(),
    };
    Ok(ValidTransfer {
        name: name.to_owned(),
        description: description.to_owned(),
        field_texts: texts,
        canonical_hex: hex(&bytes),
        sha256_hex: hex(digest(&SHA256, &bytes).as_ref()),
        operation: operation_text(&hash),
        transfer,
        assertions,
        request,
    })
}

fn drafts() -> [(&'static str, &'static str, Draft, bool); 7] {
    let cny = |label, payee_body, bank_code, payee_name, amount, fee, memo| Draft {
        label,
        payer: "acct_current_01",
        payee_body,
        bank_code,
        payee_name,
        amount,
        currency: Currency::Cny,
        fee,
        memo,
        channel: Channel::MobileTransfer,
        warnings: &[],
    };
    [
        (
            "cny_own_account",
            "500.00 CNY from the current account to the customer's own savings account at this \
             bank (bank code MOBANK): no fee, so the fee is the currency's zero, \"0.00\".",
            cny(
                "cny own account",
                "621700000012345",
                "MOBANK",
                "李伟",
                "500.00",
                "0.00",
                "Savings for December",
            ),
            false,
        ),
        (
            "cny_other_bank_with_fee",
            "3200.00 CNY to another bank's customer: the flat 2.00 CNY fee of a transfer to \
             another bank. The payee name is what the payee's bank registered, never what the \
             customer typed.",
            cny(
                "cny other bank",
                "622848001234567890",
                "OTHERBANK1",
                "王芳",
                "3200.00",
                "2.00",
                "十二月房租 December rent",
            ),
            false,
        ),
        (
            "jpy_scale_0",
            "12000 JPY: a currency without minor units, so the amount has no decimal point and \
             the fee's zero is \"0\".",
            Draft {
                payer: "acct_jpy_01",
                currency: Currency::Jpy,
                ..cny(
                    "jpy scale 0",
                    "621700000054321",
                    "MOBANK",
                    "佐藤花子",
                    "12000",
                    "0",
                    "Souvenirs",
                )
            },
            false,
        ),
        (
            "memo_chinese_and_emoji",
            "A memo in Chinese with emoji (four-byte UTF-8 characters, each one code point): \
             the length prefix counts bytes, the 140 limit counts code points.",
            Draft {
                channel: Channel::QuickPay,
                ..cny(
                    "memo chinese and emoji",
                    "621700000067890",
                    "MOBANK",
                    "王芳",
                    "88.88",
                    "0.00",
                    "生日快乐🎂 Happy birthday 🎉",
                )
            },
            false,
        ),
        (
            "two_acknowledged_warnings",
            "50000.00 CNY to another bank after the customer acknowledged two warnings on the \
             confirmation: the codes ascending, joined by a comma.",
            Draft {
                warnings: &["repeat_payment", "unusual_amount"],
                ..cny(
                    "two acknowledged warnings",
                    "622848009876543210",
                    "OTHERBANK1",
                    "张伟",
                    "50000.00",
                    "2.00",
                    "Invoice 2026-118",
                )
            },
            false,
        ),
        (
            "empty_memo",
            "0.01 CNY by QR payment with an empty memo: the field is there with length 0.",
            Draft {
                channel: Channel::QrPayment,
                ..cny(
                    "empty memo",
                    "621700000024680",
                    "MOBANK",
                    "王芳",
                    "0.01",
                    "0.00",
                    "",
                )
            },
            false,
        ),
        (
            "pin_signed",
            "Signed with the PIN instead of the biometric key: possession and knowledge, \
             exactly as a PIN login.",
            cny(
                "pin signed",
                "621700000013579",
                "MOBANK",
                "王芳",
                "200.00",
                "0.00",
                "Lunch 午饭",
            ),
            true,
        ),
    ]
}

pub(crate) fn vectors(
    keys: &Keys,
    knowledge: &KnowledgeKeys,
    existing: &Path,
) -> Result<TransferVectors> {
    let kept = KeptSignatures::load(existing)?;
    // Counters continue from the other files' last signatures of the same keys.
    let (mut possession_count, mut uv_count, mut knowledge_count) = (20, 10, 5);
    let mut valid = Vec::new();
    for (index, (name, description, draft, with_pin)) in drafts().into_iter().enumerate() {
        let transfer = draft.transfer(index as u64)?;
        possession_count += 1;
        let mut assertions = vec![signed(
            &kept,
            &Signer::Ecdsa(&keys.possession, Factor::Possession),
            &transfer,
            possession_count,
        )?];
        if with_pin {
            knowledge_count += 1;
            let signer = Signer::Knowledge(&knowledge.current);
            assertions.push(signed(&kept, &signer, &transfer, knowledge_count)?);
        } else {
            uv_count += 1;
            let signer = Signer::Ecdsa(&keys.user_verified, Factor::UserVerified);
            assertions.push(signed(&kept, &signer, &transfer, uv_count)?);
        }
        valid.push(valid_transfer(name, description, transfer, assertions)?);
    }

    let receipt_key = Key::load(
        "receipt",
        "The bank's receipt key: signs receipts only, never TLS.",
        RECEIPT_PKCS8,
    )?;
    let invalid_canonical = invalid::canonical(&valid)?;
    let invalid_signatures = invalid::signatures(&valid, keys, &kept)?;
    let (receipts, invalid_receipts) = receipts::vectors(&valid, &receipt_key, &kept)?;

    Ok(TransferVectors {
        description: "Mobank transfer test vectors: canonical transfers byte for byte, their \
                      SHA-256 and operation text, the mobank.transfer assertions over them, \
                      bytes and submissions a bank must refuse, and signed receipts. Generated \
                      by protocol/examples/make-vectors/, checked by \
                      protocol/tests/transfer_vectors.rs; see docs/protocol.md section 11 and \
                      docs/decisions/0017-transfer-signing-ceremony.md."
            .to_owned(),
        notes: notes(),
        rp_id: RP_ID.to_owned(),
        receipt_key: receipts::test_key(&receipt_key),
        valid,
        invalid_canonical,
        invalid_signatures,
        receipts,
        invalid_receipts,
    })
}

fn notes() -> Vec<String> {
    [
        "canonical = \"MOBANK-TRANSFER\" 0x01, then the fourteen field_texts, each as a u32 \
         big-endian byte count followed by its UTF-8 bytes; nothing after the last.",
        "sha256_hex is SHA-256(canonical); operation is \"transfer:v1:\" + unpadded base64url of \
         those 32 bytes, and goes into the client data's operation field.",
        "The client data is {\"type\":\"mobank.transfer\",\"challenge\":<the transfer's \
         challenge>,\"rp_id\":...,\"operation\":...}; authenticator data and signatures are \
         built as in assertions.json (ECDSA) and knowledge.json (HMAC).",
        "key names a key of assertions.json (possession, user_verified) or knowledge.json \
         (knowledge); flags are 0x01 for possession and 0x05 for the other factors.",
        "A bank rebuilds the canonical bytes from the transfer fields it received (transfer), \
         never from anything the phone sent as bytes, and builds the expectation from them.",
        "invalid_canonical: expected_error names a mobank_protocol::transfer::CanonicalError \
         variant, field the broken field for Field; transfer_json, where present, carries the \
         same defect in the wire JSON.",
        "invalid_signatures: expected_error names a mobank_protocol::VerifyError variant; key is \
         the key the bank has on file.",
        "receipts: signed bytes = \"MOBANK-RECEIPT\" 0x01, then the thirteen field_texts, \
         length-prefixed the same way; signature_hex is DER ECDSA P-256 / SHA-256 by \
         receipt_key; key_id is hex of the first 8 bytes of SHA-256(public key).",
        "invalid_receipts: expected_error names a mobank_protocol::transfer::ReceiptError \
         variant.",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}
