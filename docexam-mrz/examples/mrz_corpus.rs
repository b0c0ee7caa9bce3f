//! Writes a synthetic MRZ corpus for benchmarks: `cargo run --release -p docexam-mrz
//! --example mrz_corpus -- LINES [--dense] > corpus.txt`.
//!
//! Deterministic (a fixed xorshift seed): TD1, TD2, TD3, MRV-A, MRV-B, French ID card and
//! driving licences in turn, one in eight with a damaged character, separated by blank lines
//! unless `--dense`. Stops once LINES lines are written.

use std::io::{BufWriter, Write};

use docexam_mrz::{FieldKind as K, MrzFormat, compose, name_field};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len() as u64) as usize)
            .copied()
            .unwrap_or("")
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| {
                char::from(
                    alphabet
                        .get(self.below(alphabet.len() as u64) as usize)
                        .copied()
                        .unwrap_or(b'<'),
                )
            })
            .collect()
    }

    fn date(&mut self, from_year: u64, years: u64) -> String {
        let y = (from_year + self.below(years)) % 100;
        format!("{y:02}{:02}{:02}", 1 + self.below(12), 1 + self.below(28))
    }
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const DIGITS: &[u8] = b"0123456789";
const STATES: &[&str] = &[
    "UTO", "FRA", "D", "NLD", "GBR", "ITA", "ESP", "POL", "SWE", "UNO",
];

fn one(rng: &mut Rng, n: u64) -> Option<Vec<String>> {
    let surname_len = 3 + rng.below(8) as usize;
    let surname = rng.chars(LETTERS, surname_len);
    let given_len = 3 + rng.below(6) as usize;
    let given = rng.chars(LETTERS, given_len);
    let number = rng.chars(ALNUM, 9);
    let birth = rng.date(1940, 85);
    let expiry = rng.date(2020, 15);
    let state = rng.pick(STATES);
    let nat = rng.pick(STATES);
    let sex = rng.pick(&["M", "F", "<"]);
    let name = name_field(&surname, &given);
    let icao = |format, code: &str| {
        compose(
            format,
            &[
                (K::DocumentCode, code),
                (K::IssuingState, state),
                (K::Name, &name),
                (K::DocumentNumber, &number),
                (K::Nationality, nat),
                (K::BirthDate, &birth),
                (K::Sex, sex),
                (K::ExpiryDate, &expiry),
            ],
        )
    };
    let lines = match n % 7 {
        0 => icao(MrzFormat::Td1, "ID"),
        1 => icao(MrzFormat::Td2, "I<"),
        2 | 3 => icao(MrzFormat::Td3, "P<"),
        4 => icao(MrzFormat::MrvA, "V<"),
        5 => icao(MrzFormat::MrvB, "V<"),
        _ => {
            let dl_number = format!("{}{}", rng.chars(DIGITS, 2), rng.chars(ALNUM, 7));
            compose(
                MrzFormat::FraDl,
                &[
                    (K::DocumentCode, "D"),
                    (K::BapConfiguration, "1"),
                    (K::IssuingState, "FRA"),
                    (K::DocumentNumber, &dl_number),
                    (K::ExpiryDate, &expiry),
                    (
                        K::Surname,
                        surname.get(..surname.len().min(8)).unwrap_or(""),
                    ),
                ],
            )
        }
    }
    .ok()?;
    let mut lines = lines;
    if rng.below(8) == 0 {
        // Damage one character, as a misprint or an alteration would.
        let line = rng.below(lines.len() as u64) as usize;
        if let Some(l) = lines.get_mut(line) {
            let col = rng.below(l.len() as u64) as usize;
            let c = rng.chars(ALNUM, 1);
            l.replace_range(col..col + 1, &c);
        }
    }
    Some(lines)
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let target: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dense = args.any(|a| a == "--dense");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut written = 0usize;
    let mut n = 0u64;
    while written < target {
        let Some(lines) = one(&mut rng, n) else {
            continue;
        };
        n += 1;
        for line in &lines {
            writeln!(out, "{line}")?;
        }
        written += lines.len();
        if !dense && written < target {
            writeln!(out)?;
            written += 1;
        }
    }
    out.flush()
}
