//! An amount in Chinese capital numerals (大写), shown on the confirmation next to the figures
//! so that 5000 typed for 500 reads 伍仟元整, not 伍佰元整.
//!
//! The rules are the ones banks apply to cheques and payment slips: the People's Bank of
//! China's 《支付结算办法》 (银发〔1997〕393号), 附件一《正确填写票据和结算凭证的基本规定》
//! (cited below as 规定), and the Ministry of Finance's 《会计基础工作规范》 第五十二条:
//!
//! - Digits 零壹贰叁肆伍陆柒捌玖, places 拾佰仟, groups 万, 亿 and 万亿 (规定 一). 拾 is always
//!   written with its digit, 壹拾 for 10, as banks do, so that no digit can be put before it.
//! - A run of zeros inside the number is one 零 (规定 五(一)(二): ¥6,007.14 → 陆仟零柒元壹角肆分),
//!   also when it spans whole groups (壹亿零壹元整) or starts a group (壹拾万零壹拾元整). Zeros
//!   that end a group are carried by its 万 or 亿 and get no 零: 规定 五(三) allows both
//!   壹拾万柒仟元 and 壹拾万零柒仟元 for ¥107,000.53, and this takes the first.
//! - When the 元 digit is 0 and 角 is not, 元 is followed by 零: 规定 五(三) allows both, and
//!   its first example, ¥1,680.32 → 壹仟陆佰捌拾元零叁角贰分, is the form taken here. When 角
//!   is 0 and 分 is not, the 零 is required (五(四): ¥325.04 → 叁佰贰拾伍元零肆分).
//! - 整 follows 元 when there are no 角 or 分 (规定 三). After 角 the PBOC rule makes it optional
//!   and the accounting rule (第五十二条(三)) requires it, so it is written: ¥1.10 → 壹元壹角整,
//!   which satisfies both. Nothing follows 分.
//! - An amount below one 元 starts at its first non-zero unit, with neither 元 nor 零:
//!   0.50 → 伍角整, 0.05 → 伍分.
//! - The customer's own currency, 人民币, is the confirmation's label and is not repeated;
//!   other currencies are named first and keep 元/角/分 as the names of their units, as Chinese
//!   banks write foreign-currency amounts: 美元伍佰元整, 日元壹仟贰佰元整.

use mobank_protocol::money::{Amount, Currency};

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];
/// The four-digit groups of a 15-digit integer, highest first, and the unit after each.
const GROUPS: [(i64, &str); 4] = [
    (1_0000_0000_0000, "万"),
    (1_0000_0000, "亿"),
    (1_0000, "万"),
    (1, ""),
];

/// The amount in capital numerals: `伍佰元整`, `壹仟贰佰叁拾肆元伍角陆分`, `美元伍佰元整`.
pub fn capital_numerals(amount: &Amount) -> String {
    let currency = amount.currency();
    let per_major = 10_i64.pow(currency.minor_digits());
    let major = amount.minor_units() / per_major;
    // Every currency held has 2 minor digits (角 and 分) or none; a third would need 厘.
    let cents = amount.minor_units() % per_major;
    let (jiao, fen) = (cents / 10, cents % 10);

    let mut text = String::new();
    if currency != Currency::Cny {
        text.push_str(currency.name_zh());
    }
    if major > 0 {
        push_integer(major, &mut text);
        text.push('元');
    }
    match (jiao, fen) {
        (0, 0) => text.push('整'),
        (0, fen) => {
            if major > 0 {
                text.push('零');
            }
            push_digit(fen, "分", &mut text);
        }
        (jiao, fen) => {
            if major % 10 == 0 && major > 0 {
                text.push('零');
            }
            push_digit(jiao, "角", &mut text);
            if fen == 0 {
                text.push('整');
            } else {
                push_digit(fen, "分", &mut text);
            }
        }
    }
    text
}

/// `number` is between 1 and 15 digits long.
fn push_integer(number: i64, text: &mut String) {
    let mut written = false;
    // Set by a zero after something was written; becomes a 零 only if a digit follows.
    let mut zero_pending = false;
    for (index, (group_value, group_unit)) in GROUPS.into_iter().enumerate() {
        let group = number / group_value % 1_0000;
        if group == 0 {
            zero_pending |= written;
            // 壹万亿: with the 亿 group empty, the 万亿 group still needs its 亿.
            if index == 1 && written {
                text.push('亿');
            }
            continue;
        }
        for place in (0..4).rev() {
            let digit = group / 10_i64.pow(place) % 10;
            if digit == 0 {
                zero_pending |= written;
                continue;
            }
            if zero_pending {
                text.push('零');
                zero_pending = false;
            }
            push_digit(digit, PLACES[place as usize], text);
            written = true;
        }
        text.push_str(group_unit);
        // Zeros that end a group are carried by its unit: 壹拾万柒仟, not 壹拾万零柒仟.
        zero_pending = false;
    }
}

fn push_digit(digit: i64, unit: &str, text: &mut String) {
    text.push(DIGITS[digit.clamp(0, 9) as usize]);
    text.push_str(unit);
}
