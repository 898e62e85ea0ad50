//! Scan to pay: EMVCo merchant-presented payloads as published, tampered, and broken in every
//! way the parser must notice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mobank_core::qr::{
    crc16_ccitt_false, CustomerDataRequest, DataObject, EncodeError, Initiation, Label,
    MerchantAccount, MerchantPayment, Percentage, QrError, Tag, Template, Tip, Within,
    MAX_PAYLOAD_CHARS,
};
use mobank_protocol::money::{Amount, Currency};
use mobank_protocol::text::TextError;

/// The example payload of the EMV® QR Code Specification for Payment Systems, Merchant-Presented
/// Mode (v1.0, July 2017, and v1.1, November 2020), in its appendix, with the CRC it prints.
const EMVCO_EXAMPLE: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

/// The static BR Code example of Banco Central do Brasil's "Manual de Padrões para Iniciação do
/// Pix", the specification of Brazil's instant-payment network (an EMVCo merchant-presented
/// profile), with the CRC it prints.
const PIX_MANUAL_EXAMPLE: &str = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";

const ACCOUNT_NUMBER: &str = "6222020200112233";

fn object(id: u8, value: &str) -> String {
    assert!(
        value.chars().count() <= 99,
        "a test value too long for its length"
    );
    format!("{id:02}{:02}{value}", value.chars().count())
}

/// `body` followed by its CRC data object.
fn seal(body: &str) -> String {
    let body = format!("{body}6304");
    let crc = crc16_ccitt_false(body.as_bytes());
    format!("{body}{crc:04X}")
}

/// A static noodle-shop code with every mandatory data object once; tests change one thing.
fn objects() -> Vec<(u8, String)> {
    [
        (0, "01".to_owned()),
        (1, "11".to_owned()),
        (
            26,
            object(0, "com.example.pay") + &object(1, ACCOUNT_NUMBER),
        ),
        (52, "5812".to_owned()),
        (53, "156".to_owned()),
        (58, "CN".to_owned()),
        (59, "LAO WANG NOODLES".to_owned()),
        (60, "SHANGHAI".to_owned()),
    ]
    .into()
}

fn body(objects: &[(u8, String)]) -> String {
    objects
        .iter()
        .map(|(id, value)| object(*id, value))
        .collect()
}

fn payload(objects: &[(u8, String)]) -> String {
    seal(&body(objects))
}

/// The base payment with `id` set to `value` (replaced in place, or added at the end).
fn with(id: u8, value: &str) -> String {
    let mut objects = objects();
    match objects.iter_mut().find(|(existing, _)| *existing == id) {
        Some(object) => object.1 = value.to_owned(),
        None => objects.push((id, value.to_owned())),
    }
    payload(&objects)
}

fn without(id: u8) -> String {
    let mut objects = objects();
    objects.retain(|(existing, _)| *existing != id);
    payload(&objects)
}

fn parse(payload: &str) -> Result<MerchantPayment, QrError> {
    MerchantPayment::parse(payload)
}

fn wire(text: &str, currency: Currency) -> Amount {
    Amount::parse_wire(text, currency).unwrap()
}

fn data(id: u8, value: &str) -> DataObject {
    DataObject {
        id,
        value: value.to_owned(),
    }
}

#[test]
fn crc_16_ccitt_false_gives_its_standard_check_value() {
    assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
}

#[test]
fn the_emvco_example_carries_the_crc_the_specification_prints() {
    let covered = &EMVCO_EXAMPLE[..EMVCO_EXAMPLE.len() - 4];
    assert!(covered.ends_with("6304"));
    assert_eq!(crc16_ccitt_false(covered.as_bytes()), 0xA13A);
}

#[test]
fn the_emvco_specification_example_parses_to_its_fields() {
    let payment = parse(EMVCO_EXAMPLE).unwrap();
    assert_eq!(payment.initiation, Some(Initiation::Dynamic));
    assert_eq!(
        payment.merchant_accounts,
        [
            MerchantAccount::Template(Template {
                id: 29,
                guid: "D15600000000".to_owned(),
                data: vec![data(5, "A93FO3230Q")],
            }),
            MerchantAccount::Template(Template {
                id: 31,
                guid: "D15600000001".to_owned(),
                data: vec![data(3, "12345678")],
            }),
        ]
    );
    assert_eq!(payment.mcc.code(), 4111);
    assert_eq!(payment.mcc.to_string(), "4111");
    assert_eq!(payment.currency, Currency::Cny);
    assert_eq!(payment.amount, Some(wire("23.72", Currency::Cny)));
    assert_eq!(payment.tip, Some(Tip::AskCustomer));
    assert_eq!(payment.country.as_str(), "CN");
    assert_eq!(payment.merchant_name, "BEST TRANSPORT");
    assert_eq!(payment.merchant_city, "BEIJING");
    assert_eq!(payment.postal_code, None);

    let additional = payment.additional_data.unwrap();
    assert_eq!(
        additional.store_label,
        Some(Label::Given("1234".to_owned()))
    );
    assert_eq!(additional.customer_label, Some(Label::AskCustomer));
    assert_eq!(
        additional.terminal_label,
        Some(Label::Given("A6008667".to_owned()))
    );
    assert_eq!(
        additional.customer_data_request,
        Some(CustomerDataRequest {
            address: false,
            mobile: true,
            email: true,
        })
    );
    assert_eq!(additional.bill_number, None);
    assert_eq!(additional.reference_label, None);

    let language = payment.alternate_language.unwrap();
    assert_eq!(language.language, "ZH");
    assert_eq!(language.merchant_name, "最佳运输");
    assert_eq!(language.merchant_city.as_deref(), Some("北京"));

    assert_eq!(
        payment.unreserved_templates,
        [Template {
            id: 91,
            guid: "A011223344998877".to_owned(),
            data: vec![data(7, "12345678")],
        }]
    );
    assert!(payment.reserved.is_empty());
}

#[test]
fn the_pix_manual_example_passes_every_check_but_its_currency() {
    // Brazilian reais are not a currency Mobank holds: everything before 53 was read.
    assert_eq!(parse(PIX_MANUAL_EXAMPLE), Err(QrError::UnknownCurrency));

    // The same code in US dollars (its CRC recomputed) reads completely.
    let body = &PIX_MANUAL_EXAMPLE[..PIX_MANUAL_EXAMPLE.len() - 8];
    let dollars = seal(&body.replace("5303986", "5303840"));
    let payment = parse(&dollars).unwrap();
    assert_eq!(payment.initiation, None);
    assert_eq!(
        payment.merchant_accounts,
        [MerchantAccount::Template(Template {
            id: 26,
            guid: "br.gov.bcb.pix".to_owned(),
            data: vec![data(1, "123e4567-e12b-12d1-a456-426655440000")],
        })]
    );
    assert_eq!(payment.mcc.code(), 0);
    assert_eq!(payment.currency, Currency::Usd);
    assert_eq!(payment.amount, None);
    assert_eq!(payment.country.as_str(), "BR");
    assert_eq!(payment.merchant_name, "Fulano de Tal");
    assert_eq!(payment.merchant_city, "BRASILIA");
    assert_eq!(
        payment.additional_data.unwrap().reference_label,
        Some(Label::AskCustomer)
    );
}

#[test]
fn an_amount_changed_after_the_crc_was_computed_is_refused() {
    let tampered = EMVCO_EXAMPLE.replace("540523.72", "540593.72");
    assert_ne!(tampered, EMVCO_EXAMPLE);
    assert_eq!(parse(&tampered), Err(QrError::CrcMismatch));
}

#[test]
fn every_one_character_change_of_the_example_is_refused() {
    let mut changed = 0;
    for (index, original) in EMVCO_EXAMPLE.char_indices() {
        if !original.is_ascii_alphanumeric() {
            continue;
        }
        let replacement = if original == '7' { '8' } else { '7' };
        let mut tampered = EMVCO_EXAMPLE.to_owned();
        tampered.replace_range(index..index + 1, &replacement.to_string());
        assert!(parse(&tampered).is_err(), "change at {index} accepted");
        changed += 1;
    }
    assert!(changed > 200, "only {changed} positions tried");
}

#[test]
fn a_crc_recomputed_over_a_tampered_payload_parses_because_a_crc_is_no_signature() {
    // Whoever edits a code can recompute its CRC. What protects the customer is the
    // confirmation, which shows the amount and the payee name the bank returns.
    let body = &EMVCO_EXAMPLE[..EMVCO_EXAMPLE.len() - 8];
    let forged = seal(&body.replace("540523.72", "540593.72"));
    let payment = parse(&forged).unwrap();
    assert_eq!(payment.amount, Some(wire("93.72", Currency::Cny)));
    assert_eq!(payment.merchant_name, "BEST TRANSPORT");
}

#[test]
fn a_minimal_static_code_parses_and_keeps_the_account_data_as_read() {
    let payment = parse(&payload(&objects())).unwrap();
    assert_eq!(payment.initiation, Some(Initiation::Static));
    assert_eq!(payment.amount, None);
    assert_eq!(payment.tip, None);
    assert_eq!(payment.additional_data, None);
    assert_eq!(payment.alternate_language, None);
    assert_eq!(
        payment.merchant_accounts,
        [MerchantAccount::Template(Template {
            id: 26,
            guid: "com.example.pay".to_owned(),
            data: vec![data(1, ACCOUNT_NUMBER)],
        })]
    );
}

#[test]
fn a_card_network_account_in_ids_02_to_25_is_one_identifier() {
    let mut objects = objects();
    objects[2] = (2, "4000123456789010".to_owned());
    let payment = parse(&payload(&objects)).unwrap();
    assert_eq!(
        payment.merchant_accounts,
        [MerchantAccount::Network {
            id: 2,
            value: "4000123456789010".to_owned(),
        }]
    );
    assert_eq!(payment.merchant_accounts[0].id(), 2);
}

#[test]
fn a_dynamic_code_without_an_amount_is_accepted_for_the_customer_to_enter_it() {
    let payment = parse(&with(1, "12")).unwrap();
    assert_eq!(payment.initiation, Some(Initiation::Dynamic));
    assert_eq!(payment.amount, None);
}

#[test]
fn the_point_of_initiation_is_optional_but_only_11_or_12() {
    assert_eq!(parse(&without(1)).unwrap().initiation, None);
    for value in ["10", "13", "1", "21"] {
        assert_eq!(
            parse(&with(1, value)),
            Err(QrError::InvalidValue(Tag::root(1))),
            "{value}"
        );
    }
}

#[test]
fn an_empty_payload_is_refused() {
    assert_eq!(parse(""), Err(QrError::Empty));
}

#[test]
fn a_payload_of_512_characters_parses_and_one_more_is_too_long() {
    let base = body(&objects());
    // 8 characters of CRC, 4 of header for the filler (a reserved data object).
    let filler = |chars: usize| "X".repeat(chars);
    let mut fitting = objects();
    let room = MAX_PAYLOAD_CHARS - base.chars().count() - 8;
    // Split into two reserved objects of at most 99 characters each, as lengths require.
    let mut left = room;
    for id in 65..=79 {
        if left == 0 {
            break;
        }
        let value_len = (left - 4).min(99);
        fitting.push((id, filler(value_len)));
        left -= value_len + 4;
    }
    let exact = payload(&fitting);
    assert_eq!(exact.chars().count(), MAX_PAYLOAD_CHARS);
    assert!(parse(&exact).is_ok());

    let last = fitting.len() - 1;
    fitting[last].1.push('X');
    let over = payload(&fitting);
    assert_eq!(over.chars().count(), MAX_PAYLOAD_CHARS + 1);
    assert_eq!(
        parse(&over),
        Err(QrError::TooLong {
            max_chars: MAX_PAYLOAD_CHARS
        })
    );
}

#[test]
fn a_ten_kilobyte_payload_is_refused_as_too_long_whatever_it_contains() {
    let long_but_well_formed = object(65, &"X".repeat(99)).repeat(100);
    assert!(long_but_well_formed.len() > 10_000);
    let too_long = Err(QrError::TooLong {
        max_chars: MAX_PAYLOAD_CHARS,
    });
    assert_eq!(parse(&long_but_well_formed), too_long);
    assert_eq!(parse(&"最".repeat(3_500)), too_long);
    // Few bytes per character or many, 513 characters are too many.
    assert_eq!(parse(&"最".repeat(513)), too_long);
}

#[test]
fn a_data_object_cut_short_is_truncated() {
    let root = Within(None);
    assert_eq!(parse("00020"), Err(QrError::Truncated { within: root }));
    assert_eq!(
        parse("0002015204411"),
        Err(QrError::Truncated { within: root })
    );
    let cut = &EMVCO_EXAMPLE[..EMVCO_EXAMPLE.len() - 1];
    assert_eq!(parse(cut), Err(QrError::Truncated { within: root }));
    // Inside a template: 26's value announces more than it holds.
    assert_eq!(
        parse(&with(26, "0015com.example")),
        Err(QrError::Truncated {
            within: Within(Some(Tag::root(26)))
        })
    );
}

#[test]
fn an_id_or_length_that_is_not_two_digits_is_refused() {
    let root = Within(None);
    for broken in ["0A0201", "000A01", "00 201", "0x0201"] {
        assert_eq!(
            parse(&seal(broken)),
            Err(QrError::NotDigits { within: root }),
            "{broken}"
        );
    }
    assert_eq!(
        parse(&with(62, "05-3abc")),
        Err(QrError::NotDigits {
            within: Within(Some(Tag::root(62)))
        })
    );
}

#[test]
fn a_length_of_00_is_refused() {
    let zero_length = seal(&format!("{}6100", body(&objects())));
    assert_eq!(parse(&zero_length), Err(QrError::EmptyValue(Tag::root(61))));
}

#[test]
fn a_payload_without_a_crc_is_refused() {
    let body = &EMVCO_EXAMPLE[..EMVCO_EXAMPLE.len() - 8];
    assert_eq!(parse(body), Err(QrError::CrcMissing));
}

#[test]
fn a_crc_that_is_not_the_last_data_object_is_refused() {
    let after = format!("{EMVCO_EXAMPLE}{}", object(61, "100000"));
    assert_eq!(parse(&after), Err(QrError::CrcNotLast));
}

#[test]
fn a_crc_written_in_lower_case_is_refused() {
    let lower = EMVCO_EXAMPLE.replace("6304A13A", "6304a13a");
    assert_eq!(parse(&lower), Err(QrError::CrcLowerCase));
}

#[test]
fn a_crc_that_is_not_four_hex_digits_is_refused() {
    let body = &EMVCO_EXAMPLE[..EMVCO_EXAMPLE.len() - 8];
    for crc in ["6304G13A", "6303A13", "6305A13A0", "6304 13A", "6304北京AA"] {
        assert_eq!(
            parse(&format!("{body}{crc}")),
            Err(QrError::CrcMalformed),
            "{crc}"
        );
    }
}

#[test]
fn a_crc_of_another_payload_is_a_mismatch() {
    let wrong = EMVCO_EXAMPLE.replace("6304A13A", "6304A13B");
    assert_eq!(parse(&wrong), Err(QrError::CrcMismatch));
}

#[test]
fn the_payload_format_indicator_must_be_first_and_01() {
    assert_eq!(parse(&without(0)), Err(QrError::FormatIndicatorMissing));
    let mut moved = objects();
    moved.swap(0, 1);
    assert_eq!(
        parse(&payload(&moved)),
        Err(QrError::FormatIndicatorNotFirst)
    );
    assert_eq!(parse(&with(0, "02")), Err(QrError::UnsupportedFormat));
    assert_eq!(parse(&with(0, "1")), Err(QrError::UnsupportedFormat));
}

#[test]
fn a_data_object_twice_is_refused() {
    let mut amounts = objects();
    amounts.push((54, "10".to_owned()));
    amounts.push((54, "1000".to_owned()));
    assert_eq!(
        parse(&payload(&amounts)),
        Err(QrError::Duplicate(Tag::root(54)))
    );

    let mut accounts = objects();
    accounts.push((26, object(0, "com.other.pay") + &object(1, "1")));
    assert_eq!(
        parse(&payload(&accounts)),
        Err(QrError::Duplicate(Tag::root(26)))
    );

    assert_eq!(
        parse(&with(62, &(object(5, "A") + &object(5, "B")))),
        Err(QrError::Duplicate(Tag::nested(62, 5)))
    );
    assert_eq!(
        parse(&with(
            26,
            &(object(0, "com.example.pay") + &object(0, "com.other.pay"))
        )),
        Err(QrError::Duplicate(Tag::nested(26, 0)))
    );
}

#[test]
fn each_mandatory_data_object_is_required() {
    for id in [52, 53, 58, 59, 60] {
        assert_eq!(
            parse(&without(id)),
            Err(QrError::Missing(Tag::root(id))),
            "{id}"
        );
    }
    assert_eq!(parse(&without(26)), Err(QrError::NoMerchantAccount));
}

#[test]
fn the_merchant_category_code_is_exactly_four_digits() {
    assert_eq!(parse(&with(52, "0000")).unwrap().mcc.to_string(), "0000");
    for mcc in ["581", "58120", "58A2", "５８１２", "-581"] {
        assert_eq!(parse(&with(52, mcc)), Err(QrError::InvalidMcc), "{mcc}");
    }
}

#[test]
fn the_currency_is_a_three_digit_code_mobank_holds() {
    let table = [
        ("156", Currency::Cny),
        ("840", Currency::Usd),
        ("978", Currency::Eur),
        ("344", Currency::Hkd),
        ("392", Currency::Jpy),
    ];
    for (code, currency) in table {
        assert_eq!(parse(&with(53, code)).unwrap().currency, currency);
    }
    for code in ["826", "000", "986"] {
        assert_eq!(parse(&with(53, code)), Err(QrError::UnknownCurrency));
    }
    for code in ["15", "1560", "CNY", "15a"] {
        assert_eq!(
            parse(&with(53, code)),
            Err(QrError::InvalidCurrency),
            "{code}"
        );
    }
}

#[test]
fn the_country_is_two_upper_case_letters() {
    assert_eq!(parse(&with(58, "HK")).unwrap().country.as_str(), "HK");
    for country in ["cn", "Cn", "C1", "CHN", "C"] {
        assert_eq!(
            parse(&with(58, country)),
            Err(QrError::InvalidCountry),
            "{country}"
        );
    }
}

#[test]
fn emvco_amounts_are_read_at_the_currency_scale() {
    let table = [
        ("500", "500.00"),
        ("500.", "500.00"),
        ("500.5", "500.50"),
        ("500.50", "500.50"),
        ("0500.50", "500.50"),
        ("0.01", "0.01"),
        ("0000000000.1", "0.10"),
        ("9999999999999", "9999999999999.00"),
        ("9999999999.99", "9999999999.99"),
    ];
    for (emvco, expected) in table {
        let payment = parse(&with(54, emvco)).unwrap();
        assert_eq!(
            payment.amount,
            Some(wire(expected, Currency::Cny)),
            "{emvco}"
        );
    }
    let mut yen = objects();
    yen[4].1 = "392".to_owned();
    yen.push((54, "1200.".to_owned()));
    assert_eq!(
        parse(&payload(&yen)).unwrap().amount,
        Some(wire("1200", Currency::Jpy))
    );
}

#[test]
fn anything_but_an_emvco_amount_is_refused() {
    for text in [
        "5,00",
        "-5",
        "+5",
        "5e2",
        " 5",
        "5 ",
        ".5",
        ".",
        "1.2.3",
        "12345678901234",
        "NaN",
        "５００",
        "1_000",
        "0x10",
    ] {
        assert_eq!(
            parse(&with(54, text)),
            Err(QrError::NotAnAmount(Tag::root(54))),
            "{text}"
        );
    }
}

#[test]
fn an_amount_more_precise_than_its_currency_is_refused() {
    assert_eq!(
        parse(&with(54, "500.505")),
        Err(QrError::TooPrecise {
            tag: Tag::root(54),
            minor_digits: 2
        })
    );
    let mut yen = objects();
    yen[4].1 = "392".to_owned();
    yen.push((54, "1200.0".to_owned()));
    assert_eq!(
        parse(&payload(&yen)),
        Err(QrError::TooPrecise {
            tag: Tag::root(54),
            minor_digits: 0
        })
    );
}

#[test]
fn a_zero_amount_is_refused() {
    for text in ["0", "0.00", "000", "0."] {
        assert_eq!(
            parse(&with(54, text)),
            Err(QrError::ZeroAmount(Tag::root(54))),
            "{text}"
        );
    }
}

#[test]
fn tips_and_convenience_fees_come_with_their_indicator() {
    assert_eq!(parse(&with(55, "01")).unwrap().tip, Some(Tip::AskCustomer));

    let mut fixed = objects();
    fixed.extend([(55, "02".to_owned()), (56, "1.5".to_owned())]);
    assert_eq!(
        parse(&payload(&fixed)).unwrap().tip,
        Some(Tip::FixedFee(wire("1.50", Currency::Cny)))
    );

    let mut percentage = objects();
    percentage.extend([(55, "03".to_owned()), (57, "5.5".to_owned())]);
    assert_eq!(
        parse(&payload(&percentage)).unwrap().tip,
        Some(Tip::PercentageFee(
            Percentage::from_hundredths(550).unwrap()
        ))
    );

    let mismatches: [&[(u8, &str)]; 6] = [
        &[(56, "1.50")],
        &[(57, "5")],
        &[(55, "02")],
        &[(55, "03")],
        &[(55, "01"), (57, "5")],
        &[(55, "03"), (56, "1.50")],
    ];
    for extra in mismatches {
        let mut objects = objects();
        objects.extend(extra.iter().map(|(id, value)| (*id, (*value).to_owned())));
        assert_eq!(
            parse(&payload(&objects)),
            Err(QrError::ConvenienceFeeMismatch),
            "{extra:?}"
        );
    }
    assert_eq!(
        parse(&with(55, "04")),
        Err(QrError::InvalidValue(Tag::root(55)))
    );
}

#[test]
fn a_percentage_fee_lies_between_0_01_and_99_99() {
    for (text, hundredths) in [("0.01", 1), ("99.99", 9999), ("05.5", 550), ("12", 1200)] {
        let mut objects = objects();
        objects.extend([(55, "03".to_owned()), (57, text.to_owned())]);
        assert_eq!(
            parse(&payload(&objects)).unwrap().tip,
            Some(Tip::PercentageFee(
                Percentage::from_hundredths(hundredths).unwrap()
            )),
            "{text}"
        );
    }
    for text in ["0", "0.00", "100", "0.001", "5%", ".5", "123.4"] {
        let mut objects = objects();
        objects.extend([(55, "03".to_owned()), (57, text.to_owned())]);
        assert_eq!(
            parse(&payload(&objects)),
            Err(QrError::InvalidValue(Tag::root(57))),
            "{text}"
        );
    }
}

#[test]
fn a_fixed_fee_follows_the_amount_rules() {
    let fee = |text: &str| {
        let mut objects = objects();
        objects.extend([(55, "02".to_owned()), (56, text.to_owned())]);
        parse(&payload(&objects))
    };
    assert_eq!(fee("0"), Err(QrError::ZeroAmount(Tag::root(56))));
    assert_eq!(fee("1,5"), Err(QrError::NotAnAmount(Tag::root(56))));
    assert_eq!(
        fee("1.505"),
        Err(QrError::TooPrecise {
            tag: Tag::root(56),
            minor_digits: 2
        })
    );
}

#[test]
fn the_merchant_name_and_city_are_printable_ascii_within_their_lengths() {
    let payment = parse(&with(59, "  LAO WANG  ")).unwrap();
    assert_eq!(payment.merchant_name, "LAO WANG");
    for name in [
        "老王面馆",
        "LAO\u{7}WANG",
        "LAO\tWANG",
        "CAFÉ",
        "LAO\u{202E}WANG",
    ] {
        assert_eq!(
            parse(&with(59, name)),
            Err(QrError::NotAlphanumericSpecial(Tag::root(59))),
            "{name:?}"
        );
    }
    assert_eq!(
        parse(&with(59, &"N".repeat(26))),
        Err(QrError::Text {
            tag: Tag::root(59),
            reason: TextError::TooLong { max_chars: 25 }
        })
    );
    assert_eq!(
        parse(&with(60, &"C".repeat(16))),
        Err(QrError::Text {
            tag: Tag::root(60),
            reason: TextError::TooLong { max_chars: 15 }
        })
    );
    assert_eq!(
        parse(&with(59, "   ")),
        Err(QrError::Text {
            tag: Tag::root(59),
            reason: TextError::Empty
        })
    );
    assert_eq!(
        parse(&with(61, "200000")).unwrap().postal_code.as_deref(),
        Some("200000")
    );
}

fn language(name: &str) -> String {
    with(64, &(object(0, "ZH") + &object(1, name)))
}

#[test]
fn the_alternate_language_name_may_be_any_script_but_nothing_that_hides_or_reorders() {
    let payment = parse(&language("老王面馆")).unwrap();
    assert_eq!(
        payment.alternate_language.unwrap().merchant_name,
        "老王面馆"
    );
    // Decomposed text is stored composed: one visible name, one byte string.
    let payment = parse(&language("Rene\u{301}")).unwrap();
    assert_eq!(
        payment.alternate_language.unwrap().merchant_name,
        "Ren\u{e9}"
    );

    let name = Tag::nested(64, 1);
    let refusals = [
        ("老王\u{202E}面馆", TextError::Bidi),
        ("老王\u{200F}面馆", TextError::Bidi),
        ("老王\u{200B}面馆", TextError::Invisible),
        ("老王\u{FEFF}面馆", TextError::Invisible),
        ("老王\n面馆", TextError::Control),
        ("老王\u{85}面馆", TextError::Control),
        ("   ", TextError::Empty),
    ];
    for (text, reason) in refusals {
        assert_eq!(
            parse(&language(text)),
            Err(QrError::Text { tag: name, reason }),
            "{text:?}"
        );
    }
    assert_eq!(
        parse(&language(&"面".repeat(26))),
        Err(QrError::Text {
            tag: name,
            reason: TextError::TooLong { max_chars: 25 }
        })
    );
}

#[test]
fn the_alternate_language_template_needs_its_language_and_name() {
    assert_eq!(
        parse(&with(64, &object(1, "老王面馆"))),
        Err(QrError::Missing(Tag::nested(64, 0)))
    );
    assert_eq!(
        parse(&with(64, &object(0, "ZH"))),
        Err(QrError::Missing(Tag::nested(64, 1)))
    );
    assert_eq!(
        parse(&with(64, &(object(0, "Z1") + &object(1, "老王")))),
        Err(QrError::InvalidValue(Tag::nested(64, 0)))
    );
}

#[test]
fn a_merchant_account_template_needs_its_globally_unique_identifier() {
    assert_eq!(
        parse(&with(26, &object(1, ACCOUNT_NUMBER))),
        Err(QrError::Missing(Tag::nested(26, 0)))
    );
    assert_eq!(
        parse(&with(26, &object(0, &"G".repeat(33)))),
        Err(QrError::InvalidValue(Tag::nested(26, 0)))
    );
    assert_eq!(
        parse(&with(26, &object(0, "com.例子.pay"))),
        Err(QrError::NotAlphanumericSpecial(Tag::nested(26, 0)))
    );
    assert_eq!(
        parse(&with(
            26,
            &(object(0, "com.example.pay") + &object(1, "62\u{202E}22"))
        )),
        Err(QrError::Text {
            tag: Tag::nested(26, 1),
            reason: TextError::Bidi
        })
    );
}

#[test]
fn data_inside_a_merchant_account_template_is_read_one_level_and_never_deeper() {
    // A value that looks like more data objects stays one opaque value: the specification
    // nests nothing inside a merchant account template's data.
    let nested = object(26, &object(26, &object(26, "0003abc")));
    let payment = parse(&with(
        26,
        &(object(0, "com.example.pay") + &object(1, &nested)),
    ))
    .unwrap();
    assert_eq!(
        payment.merchant_accounts,
        [MerchantAccount::Template(Template {
            id: 26,
            guid: "com.example.pay".to_owned(),
            data: vec![data(1, &nested)],
        })]
    );
}

#[test]
fn the_additional_data_template_reads_labels_requests_and_payment_system_templates() {
    let value = [
        object(1, "INV-0001"),
        object(5, "***"),
        object(8, "LUNCH"),
        object(9, "AME"),
        object(10, "91310000MA1K"),
        object(11, "520"),
        object(20, "future"),
        object(50, &(object(0, "com.ex.loyalty") + &object(1, "GOLD"))),
    ]
    .concat();
    let additional = parse(&with(62, &value)).unwrap().additional_data.unwrap();
    assert_eq!(
        additional.bill_number,
        Some(Label::Given("INV-0001".to_owned()))
    );
    assert_eq!(additional.reference_label, Some(Label::AskCustomer));
    assert_eq!(additional.purpose, Some(Label::Given("LUNCH".to_owned())));
    assert_eq!(
        additional.customer_data_request,
        Some(CustomerDataRequest {
            address: true,
            mobile: true,
            email: true,
        })
    );
    assert_eq!(additional.merchant_tax_id.as_deref(), Some("91310000MA1K"));
    assert_eq!(additional.merchant_channel.as_deref(), Some("520"));
    assert_eq!(additional.reserved, [data(20, "future")]);
    assert_eq!(
        additional.payment_system_templates,
        [Template {
            id: 50,
            guid: "com.ex.loyalty".to_owned(),
            data: vec![data(1, "GOLD")],
        }]
    );
}

#[test]
fn additional_data_values_outside_the_specification_are_refused() {
    for (value, tag) in [
        (object(9, "AA"), Tag::nested(62, 9)),
        (object(9, "X"), Tag::nested(62, 9)),
        (object(11, "52"), Tag::nested(62, 11)),
        (object(50, &object(1, "GOLD")), Tag::nested(62, 50)),
    ] {
        let result = parse(&with(62, &value));
        assert!(
            matches!(result, Err(QrError::InvalidValue(t) | QrError::Missing(t)) if t == tag),
            "{value}: {result:?}"
        );
    }
    assert_eq!(
        parse(&with(62, &object(1, &"B".repeat(26)))),
        Err(QrError::Text {
            tag: Tag::nested(62, 1),
            reason: TextError::TooLong { max_chars: 25 }
        })
    );
    assert_eq!(
        parse(&with(62, &object(3, "店"))),
        Err(QrError::NotAlphanumericSpecial(Tag::nested(62, 3)))
    );
}

#[test]
fn reserved_and_unreserved_data_objects_are_kept_as_read() {
    let mut objects = objects();
    objects.push((70, "RFU VALUE".to_owned()));
    objects.push((85, object(0, "com.example.extra") + &object(3, "X1")));
    let payment = parse(&payload(&objects)).unwrap();
    assert_eq!(payment.reserved, [data(70, "RFU VALUE")]);
    assert_eq!(
        payment.unreserved_templates,
        [Template {
            id: 85,
            guid: "com.example.extra".to_owned(),
            data: vec![data(3, "X1")],
        }]
    );
}

#[test]
fn refusals_never_repeat_the_payload() {
    let secret_name = "SECRETSHOPNAME";
    let cases = [
        with(59, &format!("{secret_name}\u{7}")),
        with(
            26,
            &(object(0, "com.example.pay") + &object(1, "62\u{202E}22")),
        ),
        with(54, &format!("{ACCOUNT_NUMBER}9")),
        with(53, "999"),
        with(59, &format!("{secret_name}{}", "X".repeat(20))),
        EMVCO_EXAMPLE.replace("6304A13A", "6304a13a"),
    ];
    for payload in cases {
        let error = parse(&payload).unwrap_err();
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains(secret_name), "{shown}");
            assert!(!shown.contains("622202"), "{shown}");
            assert!(!shown.contains("a13a"), "{shown}");
        }
    }
}

#[test]
fn a_payment_in_a_log_shows_no_account_number() {
    let mut objects = objects();
    objects.insert(2, (2, "4000123456789010".to_owned()));
    objects.push((62, object(2, "13800138000")));
    let payment = parse(&payload(&objects)).unwrap();
    let logged = format!("{payment:?}");
    assert!(!logged.contains(ACCOUNT_NUMBER), "{logged}");
    assert!(!logged.contains("4000123456789010"), "{logged}");
    assert!(!logged.contains("13800138000"), "{logged}");
    assert!(logged.contains("LAO WANG NOODLES"), "{logged}");
}

/// A payment that uses every data object the parser reads, templates inside templates included.
fn every_field() -> String {
    let mut objects = objects();
    objects[1].1 = "12".to_owned();
    objects.insert(2, (2, "4000123456789010".to_owned()));
    let additional = [
        object(1, "INV-0001"),
        object(2, "***"),
        object(9, "ME"),
        object(11, "520"),
        object(20, "RFU"),
        object(50, &(object(0, "com.ex.club") + &object(1, "GOLD"))),
        object(51, &(object(0, "com.ex.tax") + &object(2, "T"))),
    ]
    .concat();
    let language = object(0, "zh") + &object(1, " 老王 ") + &object(2, "上海") + &object(7, "x");
    objects.extend([
        (54, "088.80".to_owned()),
        (55, "02".to_owned()),
        (56, "1.5".to_owned()),
        (61, "200000".to_owned()),
        (62, additional),
        (64, language),
        (70, "RFU VALUE".to_owned()),
        (85, object(0, "com.example.extra") + &object(3, "X1")),
    ]);
    payload(&objects)
}

#[test]
fn what_parses_is_written_back_to_a_payload_that_parses_to_the_same_payment() {
    for original in [EMVCO_EXAMPLE.to_owned(), payload(&objects()), every_field()] {
        let payment = parse(&original).unwrap();
        let written = payment.to_payload().unwrap();
        assert_eq!(parse(&written), Ok(payment), "{written}");
    }
}

#[test]
fn a_template_inside_the_additional_data_is_written_with_its_own_ids() {
    let payment = parse(&every_field()).unwrap();
    let templates = &payment
        .additional_data
        .as_ref()
        .unwrap()
        .payment_system_templates;
    assert_eq!(
        templates,
        &[
            Template {
                id: 50,
                guid: "com.ex.club".to_owned(),
                data: vec![data(1, "GOLD")],
            },
            Template {
                id: 51,
                guid: "com.ex.tax".to_owned(),
                data: vec![data(2, "T")],
            },
        ]
    );
    let written = payment.to_payload().unwrap();
    assert!(written.contains("50230011com.ex.club0104GOLD"), "{written}");
}

#[test]
fn the_encoder_writes_amounts_and_percentages_in_their_shortest_form() {
    let mut payment = parse(&payload(&objects())).unwrap();
    payment.amount = Some(wire("500.50", Currency::Cny));
    payment.tip = Some(Tip::PercentageFee(
        Percentage::from_hundredths(550).unwrap(),
    ));
    let written = payment.to_payload().unwrap();
    assert!(written.contains("5405500.5"), "{written}");
    assert!(written.contains("55020357035.5"), "{written}");
    assert!(written.starts_with("000201010211"), "{written}");
    assert_eq!(parse(&written), Ok(payment));

    let mut whole = parse(&payload(&objects())).unwrap();
    whole.amount = Some(wire("500.00", Currency::Cny));
    assert!(whole.to_payload().unwrap().contains("5403500"));
}

#[test]
fn the_encoder_refuses_what_no_payload_can_hold() {
    let base = parse(&payload(&objects())).unwrap();

    let mut long_name = base.clone();
    long_name.merchant_name = "N".repeat(26);
    assert_eq!(
        long_name.to_payload(),
        Err(EncodeError::Length(Tag::root(59)))
    );

    let mut misplaced = base.clone();
    misplaced.merchant_accounts = vec![MerchantAccount::Network {
        id: 30,
        value: "1".to_owned(),
    }];
    assert_eq!(misplaced.to_payload(), Err(EncodeError::Id(Tag::root(30))));

    let mut dollars = base.clone();
    dollars.amount = Some(wire("5.00", Currency::Usd));
    assert_eq!(dollars.to_payload(), Err(EncodeError::CurrencyMismatch));

    let mut huge = base.clone();
    huge.amount = Some(wire("99999999999999.00", Currency::Cny));
    assert_eq!(huge.to_payload(), Err(EncodeError::Length(Tag::root(54))));

    let mut crowded = base;
    crowded.reserved = (65..=70).map(|id| data(id, &"R".repeat(99))).collect();
    assert_eq!(
        crowded.to_payload(),
        Err(EncodeError::TooLong {
            max_chars: MAX_PAYLOAD_CHARS
        })
    );
}

/// Mobank's merchant account template: the account number in 01, the bank code in 02.
fn mobank_template(guid: &str, account: &str, bank: &str) -> String {
    object(0, guid) + &object(1, account) + &object(2, bank)
}

const SHOP_ACCOUNT: &str = "6222027777000011";

#[test]
fn the_mobank_template_names_the_account_and_bank_paid() {
    let payment = parse(&with(
        27,
        &mobank_template("cn.mobank", SHOP_ACCOUNT, "MOBANK"),
    ))
    .unwrap();
    let payee = payment.mobank_payee().unwrap();
    assert_eq!(payee.account_number, SHOP_ACCOUNT);
    assert_eq!(payee.bank_code, "MOBANK");
    assert!(!format!("{payee:?}").contains(SHOP_ACCOUNT));
    // The identifier is a domain name: its case does not matter.
    let shouted = parse(&with(
        26,
        &mobank_template("CN.MOBANK", SHOP_ACCOUNT, "MOBANK"),
    ))
    .unwrap();
    assert_eq!(shouted.mobank_payee().unwrap(), payee);
}

#[test]
fn a_code_of_another_payment_system_parses_but_names_no_mobank_account() {
    assert_eq!(
        parse(EMVCO_EXAMPLE).unwrap().mobank_payee(),
        Err(QrError::NoMobankAccount)
    );
    assert_eq!(
        parse(&payload(&objects())).unwrap().mobank_payee(),
        Err(QrError::NoMobankAccount)
    );
}

#[test]
fn two_mobank_accounts_in_one_code_are_refused_rather_than_chosen_between() {
    let mut objects = objects();
    objects.push((27, mobank_template("cn.mobank", SHOP_ACCOUNT, "MOBANK")));
    objects.push((28, mobank_template("cn.mobank", SHOP_ACCOUNT, "MOBANK")));
    objects.sort_by_key(|(id, _)| *id);
    assert_eq!(
        parse(&payload(&objects)).unwrap().mobank_payee(),
        Err(QrError::MobankAccountAmbiguous)
    );
}

#[test]
fn a_mobank_template_missing_or_mangling_its_account_or_bank_is_refused() {
    let mut wrong_digit = SHOP_ACCOUNT.to_owned();
    wrong_digit.pop();
    wrong_digit.push('2');
    // Templates nested inside the account number: the specification nests no deeper, and the
    // value is read as what it must be, an account number.
    let nested = object(26, &object(26, &object(26, &object(26, SHOP_ACCOUNT))));
    let cases = [
        (mobank_template("cn.mobank", &wrong_digit, "MOBANK"), 1),
        (mobank_template("cn.mobank", &nested, "MOBANK"), 1),
        (mobank_template("cn.mobank", "6222 0277", "MOBANK"), 1),
        (mobank_template("cn.mobank", SHOP_ACCOUNT, "mobank"), 2),
        (mobank_template("cn.mobank", SHOP_ACCOUNT, "M"), 2),
        (object(0, "cn.mobank") + &object(2, "MOBANK"), 1),
        (object(0, "cn.mobank") + &object(1, SHOP_ACCOUNT), 2),
    ];
    for (template, id) in cases {
        assert_eq!(
            parse(&with(27, &template)).unwrap().mobank_payee(),
            Err(QrError::MobankAccountInvalid(Tag::nested(27, id))),
            "{template}"
        );
    }
}
