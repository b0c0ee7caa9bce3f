#![allow(missing_docs)] // criterion_group! generates undocumented items
//! MRZ parse + validate throughput (issue target: at least 2 million MRZs per second on one
//! core). Run: `cargo bench -p docexam-mrz --bench mrz`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use docexam_base::date::CivilDate;
use docexam_mrz::MrzParser;

const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
                   7408122F1204159UTO<<<<<<<<<<<6\n\
                   ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
const TD2: &str = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n\
                   D231458907UTO7408122F1204159<<<<<<<6";
const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                   L898902C36UTO7408122F1204159ZE184226B<<<<<10";
const TD3_GERMANY: &str = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\n\
                           C01X00T478D<<6408125F3108011<<<<<<<<<<<<<<<2";

fn parser(repair: bool) -> MrzParser {
    let as_of = CivilDate::new(2026, 11, 24).unwrap_or_else(CivilDate::today_utc);
    MrzParser::builder().as_of(as_of).repair(repair).build()
}

fn parse_validate(c: &mut Criterion) {
    let p = parser(false);
    let mut group = c.benchmark_group("mrz_parse_validate");
    group.throughput(Throughput::Elements(1));
    for (name, text) in [
        ("td1", TD1),
        ("td2", TD2),
        ("td3", TD3),
        ("td3_germany", TD3_GERMANY),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(p.parse(black_box(text)).map(|m| m.is_valid())))
        });
    }
    let mix = [TD1, TD2, TD3, TD3_GERMANY];
    group.throughput(Throughput::Elements(mix.len() as u64));
    group.bench_function("mix_td1_td2_td3", |b| {
        b.iter(|| {
            for text in mix {
                let _ = black_box(p.parse(black_box(text)).map(|m| m.is_valid()));
            }
        })
    });
    group.finish();
}

fn repair(c: &mut Criterion) {
    let p = parser(true);
    let damaged = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                   L8989O2C36UTO74O8122F1204159ZE184226B<<<<<1O";
    let mut group = c.benchmark_group("mrz_repair");
    group.throughput(Throughput::Elements(1));
    group.bench_function("td3_three_misreadings", |b| {
        b.iter(|| black_box(p.parse(black_box(damaged)).map(|m| m.repairs().len())))
    });
    group.finish();
}

criterion_group!(benches, parse_validate, repair);
criterion_main!(benches);
