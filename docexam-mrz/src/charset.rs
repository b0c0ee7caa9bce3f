//! The MRZ character set, character classes and the ICAO 9303 check digit.

/// The filler character `<`.
pub const FILLER: u8 = b'<';

/// Marks a byte outside the MRZ set in [`VALUES`].
const INVALID: u8 = 0xFF;

/// Check-digit value of every byte ([`INVALID`] outside the MRZ set).
#[allow(clippy::indexing_slicing)] // a byte always indexes a 256-entry table
const VALUES: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            FILLER => 0,
            _ => INVALID,
        };
        c += 1;
    }
    t
};

/// Value of an MRZ character in check-digit arithmetic (ICAO 9303-3 §4.9): `0`–`9` count as
/// 0–9, `A`–`Z` as 10–35 and the filler `<` as 0. `None` for anything outside the MRZ set.
#[allow(clippy::indexing_slicing)] // a byte always indexes a 256-entry table
pub const fn char_value(c: u8) -> Option<u8> {
    match VALUES[c as usize] {
        INVALID => None,
        v => Some(v),
    }
}

/// Whether `c` belongs to the MRZ character set (`A`–`Z`, `0`–`9`, `<`).
#[allow(clippy::indexing_slicing)] // a byte always indexes a 256-entry table
pub const fn is_mrz_char(c: u8) -> bool {
    VALUES[c as usize] != INVALID
}

/// Running state of a check-digit computation over several pieces of text taken as one
/// string (the composite check digit spans several fields).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CheckSum {
    /// Sums of the values at positions 0, 1 and 2 modulo 3 (weights 7, 3 and 1).
    sums: [u32; 3],
    /// Position of the next character modulo 3.
    phase: usize,
    invalid: bool,
}

impl CheckSum {
    /// Adds the next characters.
    #[allow(clippy::indexing_slicing)] // a byte always indexes a 256-entry table
    pub(crate) fn push(&mut self, chars: &[u8]) {
        let mut sums = [0u32; 3];
        let mut phase = self.phase;
        let mut invalid = false;
        for &c in chars {
            let v = VALUES[usize::from(c)];
            invalid |= v == INVALID;
            if let Some(s) = sums.get_mut(phase) {
                *s += u32::from(v);
            }
            phase = if phase == 2 { 0 } else { phase + 1 };
        }
        for (acc, s) in self.sums.iter_mut().zip(sums) {
            *acc += s;
        }
        self.phase = phase;
        self.invalid |= invalid;
    }

    /// The check digit, or `None` if a character was outside the MRZ set.
    pub(crate) fn digit(self) -> Option<u8> {
        let [a, b, c] = self.sums;
        (!self.invalid).then_some(((7 * a + 3 * b + c) % 10) as u8)
    }
}

/// The ICAO 9303 check digit (weights 7, 3, 1 repeating, sum modulo 10) over `chars`, taken
/// in order as one string. `None` if a character is outside the MRZ set.
pub fn check_digit<I>(chars: I) -> Option<u8>
where
    I: IntoIterator<Item = u8>,
{
    let mut sum = CheckSum::default();
    for c in chars {
        sum.push(&[c]);
    }
    sum.digit()
}

/// [`check_digit`] over a byte string.
pub fn check_digit_of(chars: &[u8]) -> Option<u8> {
    let mut sum = CheckSum::default();
    sum.push(chars);
    sum.digit()
}

/// What a field may hold, for validation and for OCR repair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CharClass {
    /// Letters and fillers: names, codes, sex.
    Alpha,
    /// Digits only: check digits and numeric fields.
    Numeric,
    /// Digits and fillers: dates (fillers mark unknown parts) and similar numeric fields.
    NumericOrFiller,
    /// Letters, digits and fillers: document numbers, optional data.
    AlphaNumeric,
}

/// Kind bits of every byte: letter, digit, filler (0 outside the MRZ set).
#[allow(clippy::indexing_slicing)] // a byte always indexes a 256-entry table
const KINDS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = match b {
            b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            FILLER => FILL,
            _ => 0,
        };
        c += 1;
    }
    t
};
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const FILL: u8 = 4;

impl CharClass {
    const fn mask(self) -> u8 {
        match self {
            CharClass::Alpha => LETTER | FILL,
            CharClass::Numeric => DIGIT,
            CharClass::NumericOrFiller => DIGIT | FILL,
            CharClass::AlphaNumeric => LETTER | DIGIT | FILL,
        }
    }

    /// Whether this class admits `c`.
    #[allow(clippy::indexing_slicing)] // a byte always indexes a 256-entry table
    pub const fn allows(self, c: u8) -> bool {
        KINDS[c as usize] & self.mask() != 0
    }

    /// Whether this class admits every character of `chars`.
    #[allow(clippy::indexing_slicing)] // a byte always indexes a 256-entry table
    pub fn allows_all(self, chars: &[u8]) -> bool {
        let mask = self.mask();
        // Branch-free: fields are short and usually clean, so scanning to the end is cheaper
        // than testing for an early exit at every character.
        chars
            .iter()
            .fold(true, |ok, &c| ok & (KINDS[c as usize] & mask != 0))
    }
}

/// Characters OCR-B readers confuse with each other, as (letter or filler, digit or filler)
/// pairs. Used by repair to propose substitutions; every pair is listed once.
pub const CONFUSABLE_PAIRS: &[(u8, u8)] = &[
    (b'O', b'0'),
    (b'Q', b'0'),
    (b'D', b'0'),
    (b'I', b'1'),
    (b'L', b'1'),
    (b'Z', b'2'),
    (b'A', b'4'),
    (b'S', b'5'),
    (b'G', b'6'),
    (b'T', b'7'),
    (b'B', b'8'),
    (b'K', FILLER),
    (b'C', FILLER),
];

/// Characters that `c` may have been misread from, restricted to `class`, in table order.
pub fn confusable_with(c: u8, class: CharClass) -> impl Iterator<Item = u8> {
    CONFUSABLE_PAIRS
        .iter()
        .filter_map(move |&(a, b)| {
            if a == c {
                Some(b)
            } else if b == c {
                Some(a)
            } else {
                None
            }
        })
        .filter(move |&alt| class.allows(alt))
}

/// Whether substituting `a` for `b` (or back) leaves every ICAO check digit unchanged: their
/// values are congruent modulo 10, and the weights 7, 3 and 1 are prime to 10.
pub const fn is_check_digit_blind(a: u8, b: u8) -> bool {
    match (char_value(a), char_value(b)) {
        (Some(x), Some(y)) => x % 10 == y % 10,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_icao() {
        assert_eq!(char_value(b'0'), Some(0));
        assert_eq!(char_value(b'9'), Some(9));
        assert_eq!(char_value(b'A'), Some(10));
        assert_eq!(char_value(b'Z'), Some(35));
        assert_eq!(char_value(b'<'), Some(0));
        assert_eq!(char_value(b'a'), None);
        assert_eq!(char_value(b' '), None);
    }

    #[test]
    fn check_digits_of_icao_examples() {
        // ICAO 9303-3 §4.9 worked example: date 520727 has check digit 3.
        assert_eq!(check_digit_of(b"520727"), Some(3));
        // Document number of the ICAO TD3 specimen.
        assert_eq!(check_digit_of(b"L898902C3"), Some(6));
        assert_eq!(check_digit_of(b"AB2134<<<"), Some(5));
        assert_eq!(check_digit_of(b""), Some(0));
        assert_eq!(check_digit_of(b"AB 2"), None);
    }

    #[test]
    fn letters_can_hide_behind_a_passing_check_digit() {
        // B counts 11: "BB" and "88" differ by 3*7 + 3*3 = 30, a multiple of 10.
        assert_eq!(check_digit_of(b"BB0911"), check_digit_of(b"880911"));
    }

    #[test]
    fn blind_pairs_are_exactly_those_congruent_mod_10() {
        let blind: Vec<(u8, u8)> = CONFUSABLE_PAIRS
            .iter()
            .copied()
            .filter(|&(a, b)| is_check_digit_blind(a, b))
            .collect();
        assert_eq!(blind, vec![(b'L', b'1'), (b'G', b'6'), (b'K', FILLER)]);
    }

    #[test]
    fn confusables_respect_the_class() {
        assert_eq!(
            confusable_with(b'O', CharClass::Numeric).collect::<Vec<_>>(),
            vec![b'0']
        );
        assert_eq!(
            confusable_with(b'0', CharClass::Alpha).collect::<Vec<_>>(),
            b"OQD".to_vec()
        );
        assert_eq!(
            confusable_with(b'K', CharClass::NumericOrFiller).collect::<Vec<_>>(),
            vec![FILLER]
        );
        assert_eq!(confusable_with(b'X', CharClass::AlphaNumeric).count(), 0);
    }
}
