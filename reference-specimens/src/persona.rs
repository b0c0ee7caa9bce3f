//! The personal data printed on a document, and its MRZ (ICAO 9303 Parts 4–7) with every check
//! digit computed.

use docexam_core::date::CivilDate;
use docexam_core::mrz::check_digit_of;
use docexam_core::specimen::SizeClass;
use rand::Rng;
use serde::Serialize;

/// What a personalisation prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Persona {
    /// Family name, in MRZ letters (A–Z and spaces).
    pub surname: String,
    /// Given names, in MRZ letters.
    pub given_names: String,
    /// Document number (up to 9 characters A–Z, 0–9).
    pub document_number: String,
    /// Nationality (MRZ code).
    pub nationality: String,
    /// Date of birth.
    pub birth_date: CivilDate,
    /// `M`, `F` or `<`.
    pub sex: char,
    /// Date of issue.
    pub issue_date: CivilDate,
    /// Date of expiry.
    pub expiry_date: CivilDate,
    /// Place of birth.
    pub place_of_birth: String,
    /// Issuing authority.
    pub authority: String,
    /// Personal number (optional data), up to 14 characters.
    pub personal_number: String,
    /// Seed of the drawn portrait.
    pub portrait_seed: u64,
}

fn date(y: i32, m: u8, d: u8) -> CivilDate {
    CivilDate::new(y, m, d).unwrap_or_else(CivilDate::today_utc)
}

impl Persona {
    /// The specimen personalisation ICAO Doc 9303 uses for Utopia.
    pub fn specimen() -> Self {
        Persona {
            surname: "ERIKSSON".into(),
            given_names: "ANNA MARIA".into(),
            document_number: "L898902C3".into(),
            nationality: "UTO".into(),
            birth_date: date(1974, 8, 12),
            sex: 'F',
            issue_date: date(2026, 4, 16),
            expiry_date: date(2036, 4, 15),
            place_of_birth: "ZENITH".into(),
            authority: "UTOPIA CITY".into(),
            personal_number: "ZE184226B".into(),
            portrait_seed: 1,
        }
    }

    /// Random but valid data.
    pub fn random(rng: &mut impl Rng) -> Self {
        const SURNAMES: &[&str] = &[
            "ERIKSSON",
            "OKONKWO",
            "NAKAMURA",
            "DELACROIX",
            "SZYMANSKA",
            "MBEKI",
            "LINDQVIST",
            "ALVAREZ",
            "HAKIMI",
            "OSTROVSKY",
            "VAN DER BERG",
            "O NEILL",
            "FITZGERALD",
            "WOLFESCHLEGELSTEINHAUSEN",
            "NGUYEN",
            "PAPADOPOULOS",
            "SANTOS",
            "KOWALCZYK",
        ];
        const GIVEN: &[&str] = &[
            "ANNA",
            "MARIA",
            "JOHN",
            "AMARA",
            "KENJI",
            "LUCIE",
            "PIOTR",
            "THABO",
            "INGRID",
            "DIEGO",
            "LEILA",
            "IVAN",
            "SEAN",
            "MARGARETHE",
            "LINH",
            "ELENI",
            "JOAO",
            "ZOFIA",
        ];
        const PLACES: &[&str] = &[
            "ZENITH", "NADIR", "AURORA", "MERIDIAN", "HORIZON", "ECLIPSE",
        ];
        let pick = |rng: &mut dyn rand::RngCore, list: &[&str]| {
            list[rng.random_range(0..list.len())].to_string()
        };
        let surname = pick(rng, SURNAMES);
        let mut given_names = pick(rng, GIVEN);
        if rng.random_bool(0.5) {
            given_names.push(' ');
            given_names.push_str(&pick(rng, GIVEN));
        }
        let letters = b"ABCDEFGHJKLMNPRSTUVWXYZ";
        let mut document_number = String::new();
        document_number.push(char::from(letters[rng.random_range(0..letters.len())]));
        for _ in 0..8 {
            let v = rng.random_range(0..36u8);
            document_number.push(char::from(if v < 10 { b'0' + v } else { b'A' + v - 10 }));
        }
        let by = rng.random_range(1940..2008);
        let birth_date = date(by, rng.random_range(1..=12), rng.random_range(1..=28));
        let iy = rng.random_range(2020..2027);
        let (im, id) = (rng.random_range(1..=12), rng.random_range(1..=28));
        let issue_date = date(iy, im, id);
        let expiry_date = date(iy + 10, im, id.saturating_sub(1).max(1));
        let personal_number: String = (0..9)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect();
        Persona {
            surname,
            given_names,
            document_number,
            nationality: "UTO".into(),
            birth_date,
            sex: if rng.random_bool(0.5) { 'F' } else { 'M' },
            issue_date,
            expiry_date,
            place_of_birth: pick(rng, PLACES),
            authority: "UTOPIA CITY".into(),
            personal_number,
            portrait_seed: rng.random(),
        }
    }
}

/// `s` as MRZ characters (spaces and hyphens as `<`), padded or cut to `n`.
pub fn field(s: &str, n: usize) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            'A'..='Z' | '0'..='9' => c,
            _ => '<',
        })
        .take(n)
        .collect();
    while out.len() < n {
        out.push('<');
    }
    out
}

/// The name field: `SURNAME<<GIVEN<NAMES`, padded or cut to `n`.
pub fn name_field(p: &Persona, n: usize) -> String {
    field(
        &format!("{}<<{}", field(&p.surname, p.surname.len()), p.given_names),
        n,
    )
}

/// `YYMMDD`.
pub fn yymmdd(d: CivilDate) -> String {
    format!(
        "{:02}{:02}{:02}",
        d.year().rem_euclid(100),
        d.month(),
        d.day()
    )
}

fn cd(s: &str) -> char {
    check_digit_of(s.as_bytes()).map_or('<', |d| char::from(b'0' + d))
}

/// The MRZ lines for a document of `size` with MRZ document code `code` issued by `state`.
pub fn mrz_lines(size: SizeClass, code: &str, state: &str, p: &Persona) -> Vec<String> {
    let num = field(&p.document_number, 9);
    let num_cd = format!("{num}{}", cd(&num));
    let dob = yymmdd(p.birth_date);
    let dob_cd = format!("{dob}{}", cd(&dob));
    let exp = yymmdd(p.expiry_date);
    let exp_cd = format!("{exp}{}", cd(&exp));
    let nat = field(&p.nationality, 3);
    let sex = p.sex;
    let code2 = field(code, 2);
    let state = field(state, 3);
    match size {
        SizeClass::Td1 => {
            let opt1 = field(&p.personal_number, 15);
            let l1 = format!("{code2}{state}{num_cd}{opt1}");
            let opt2 = field("", 11);
            let head = format!("{dob_cd}{sex}{exp_cd}{nat}{opt2}");
            let composite = format!(
                "{}{}{}{}",
                &l1[5..30],
                &head[0..7],
                &head[8..15],
                &head[18..29]
            );
            vec![l1, format!("{head}{}", cd(&composite)), name_field(p, 30)]
        }
        SizeClass::Td2 | SizeClass::MrvB if code.starts_with('V') => {
            let l1 = format!("{code2}{state}{}", name_field(p, 31));
            let opt = field(&p.personal_number, 8);
            vec![l1, format!("{num_cd}{nat}{dob_cd}{sex}{exp_cd}{opt}")]
        }
        SizeClass::Td2 | SizeClass::MrvB => {
            let l1 = format!("{code2}{state}{}", name_field(p, 31));
            let opt = field(&p.personal_number, 7);
            let composite = format!("{num_cd}{dob_cd}{exp_cd}{opt}");
            vec![
                l1,
                format!("{num_cd}{nat}{dob_cd}{sex}{exp_cd}{opt}{}", cd(&composite)),
            ]
        }
        SizeClass::MrvA => {
            let l1 = format!("{code2}{state}{}", name_field(p, 39));
            let opt = field(&p.personal_number, 16);
            vec![l1, format!("{num_cd}{nat}{dob_cd}{sex}{exp_cd}{opt}")]
        }
        SizeClass::Td3 => {
            let l1 = format!("{code2}{state}{}", name_field(p, 39));
            let opt = field(&p.personal_number, 14);
            let opt_cd = format!("{opt}{}", cd(&opt));
            let composite = format!("{num_cd}{dob_cd}{exp_cd}{opt_cd}");
            vec![
                l1,
                format!(
                    "{num_cd}{nat}{dob_cd}{sex}{exp_cd}{opt_cd}{}",
                    cd(&composite)
                ),
            ]
        }
    }
}
