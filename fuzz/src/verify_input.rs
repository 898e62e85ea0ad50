//! Input of the `verify` target: which fixed verification case to run, and the assertion's
//! fields as raw bytes, so the fuzzer mutates the bytes the bank decodes from base64url rather
//! than fighting JSON and base64 first.
//!
//! Layout: `case (1) ‖ factor (1) ‖ len (1) ‖ authenticator_data ‖ len (2, LE) ‖
//! client_data_json ‖ signature (the rest)`. A short input is read as far as it goes, with the
//! missing fields empty, so every input reaches the verifier.

use mobank_protocol::{Assertion, Factor};

use crate::cases::{cases, Case};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyInput {
    pub case: u8,
    pub assertion: Assertion,
}

impl VerifyInput {
    pub fn case(&self) -> &'static Case {
        let all = cases();
        &all[usize::from(self.case) % all.len()]
    }

    pub fn from_bytes(mut data: &[u8]) -> Self {
        let case = take(&mut data, 1).first().copied().unwrap_or(0);
        let factor = match take(&mut data, 1).first().copied().unwrap_or(0) % 3 {
            0 => Factor::Possession,
            1 => Factor::UserVerified,
            _ => Factor::Knowledge,
        };
        let ad_len = take(&mut data, 1).first().copied().unwrap_or(0);
        let authenticator_data = take(&mut data, usize::from(ad_len)).to_vec();
        let cdj_len = match take(&mut data, 2) {
            [lo, hi] => u16::from_le_bytes([*lo, *hi]),
            [lo] => u16::from(*lo),
            _ => 0,
        };
        let client_data_json = take(&mut data, usize::from(cdj_len)).to_vec();
        Self {
            case,
            assertion: Assertion {
                factor,
                authenticator_data,
                client_data_json,
                signature: data.to_vec(),
            },
        }
    }

    /// `None` if a field is longer than the layout can say.
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        let a = &self.assertion;
        let ad_len = u8::try_from(a.authenticator_data.len()).ok()?;
        let cdj_len = u16::try_from(a.client_data_json.len()).ok()?;
        let factor = match a.factor {
            Factor::Possession => 0,
            Factor::UserVerified => 1,
            Factor::Knowledge => 2,
        };
        let mut out = vec![self.case, factor, ad_len];
        out.extend_from_slice(&a.authenticator_data);
        out.extend_from_slice(&cdj_len.to_le_bytes());
        out.extend_from_slice(&a.client_data_json);
        out.extend_from_slice(&a.signature);
        Some(out)
    }
}

fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, rest) = data.split_at(n.min(data.len()));
    *data = rest;
    head
}
