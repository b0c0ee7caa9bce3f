//! The EU DCC JSON schema (the official combined schemas, vendored here with their licence:
//! see README.md), and a validator for the part of JSON Schema 2020-12 they use: `type`,
//! `required`, `properties`, local `$ref`, `oneOf`, `anyOf`, `enum`, `const`, `items`,
//! `minItems`, `maxItems`, `minLength`, `maxLength`, `minimum`, `maximum`, `pattern` and the
//! formats `date` and `date-time`. Annotations (`title`, `description`, `examples`,
//! `valueset-uri`) are not assertions and are skipped.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

const SCHEMA_1_3_3: &str = include_str!("DCC.combined-schema.1.3.3.json");
const SCHEMA_1_0_0: &str = include_str!("DGC.combined-schema.1.0.0.json");

/// A schema and the compiled patterns it holds.
struct Schema {
    version: &'static str,
    root: Value,
    patterns: HashMap<String, Regex>,
}

fn load(version: &'static str, text: &str) -> Schema {
    let root: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let mut patterns = HashMap::new();
    collect(&root, &mut patterns);
    Schema {
        version,
        root,
        patterns,
    }
}

fn collect(v: &Value, out: &mut HashMap<String, Regex>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(p)) = o.get("pattern")
                && let Ok(r) = Regex::new(p)
            {
                out.insert(p.clone(), r);
            }
            o.values().for_each(|x| collect(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

static V133: LazyLock<Schema> = LazyLock::new(|| load("1.3.3", SCHEMA_1_3_3));
static V100: LazyLock<Schema> = LazyLock::new(|| load("1.0.0", SCHEMA_1_0_0));

/// Most violations reported for one certificate.
const MAX_VIOLATIONS: usize = 12;

/// Deepest nesting followed (the schemas nest four levels; `$ref` cycles would not end).
const MAX_DEPTH: usize = 24;

/// Validates a health certificate against the schema its `ver` names (1.0.x: the 1.0.0
/// schema; anything else: 1.3.3, which later versions keep compatible). Returns the schema
/// version used and each violation as `path: what`.
pub(super) fn validate(hcert: &Value) -> (&'static str, Vec<String>) {
    let ver = hcert.get("ver").and_then(Value::as_str).unwrap_or_default();
    let schema: &Schema = if ver.starts_with("1.0.") {
        &V100
    } else {
        &V133
    };
    let mut out = Vec::new();
    check(schema, &schema.root, hcert, "", &mut out, 0);
    out.truncate(MAX_VIOLATIONS);
    (schema.version, out)
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.as_f64().is_some_and(|x| x.fract() == 0.0),
        _ => true,
    }
}

/// Whether `s` has the shape of `pattern`: `9` stands for a digit, anything else for itself.
fn shaped(s: &str, pattern: &str) -> bool {
    s.len() == pattern.len()
        && s.bytes().zip(pattern.bytes()).all(|(c, p)| {
            if p == b'9' {
                c.is_ascii_digit()
            } else {
                c == p
            }
        })
}

/// RFC 3339 `date` and `date-time` (time to the second, optional fraction, `Z` or an offset).
fn format_ok(f: &str, s: &str) -> bool {
    let date_ok =
        |d: &str| shaped(d, "9999-99-99") && d.parse::<docexam_base::date::CivilDate>().is_ok();
    match f {
        "date" => date_ok(s),
        "date-time" => {
            let (Some(date), Some(time)) = (s.get(..10), s.get(10..)) else {
                return false;
            };
            let time = time.to_ascii_uppercase();
            let (clock, zone) = match time.strip_suffix('Z') {
                Some(t) => (t, ""),
                None => time.split_at(time.len().saturating_sub(6)),
            };
            let clock = clock.split('.').next().unwrap_or_default();
            date_ok(date)
                && shaped(clock, "T99:99:99")
                && (zone.is_empty() && time.ends_with('Z')
                    || shaped(zone, "+99:99")
                    || shaped(zone, "-99:99"))
        }
        _ => true,
    }
}

fn check(schema: &Schema, s: &Value, v: &Value, path: &str, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH || out.len() >= MAX_VIOLATIONS {
        return;
    }
    let Some(o) = s.as_object() else { return };
    let here = if path.is_empty() { "/" } else { path };
    if let Some(Value::String(r)) = o.get("$ref") {
        let target = r.strip_prefix('#').and_then(|ptr| schema.root.pointer(ptr));
        match target {
            Some(t) => check(schema, t, v, path, out, depth + 1),
            None => out.push(format!(
                "{here}: the schema's reference {r} is not in the schema"
            )),
        }
    }
    match o.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => {
            out.push(format!("{here}: must be {t}"));
            return;
        }
        Some(Value::Array(ts)) if !ts.iter().filter_map(Value::as_str).any(|t| type_ok(t, v)) => {
            out.push(format!("{here}: has none of the types allowed"));
            return;
        }
        _ => {}
    }
    if let Some(Value::Array(e)) = o.get("enum")
        && !e.contains(v)
    {
        out.push(format!("{here}: {v} is not one of the values allowed"));
    }
    if let Some(c) = o.get("const")
        && c != v
    {
        out.push(format!("{here}: must be {c}"));
    }
    // Which alternative applies first: the structural violation before the details.
    for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(Value::Array(alts)) = o.get(key) {
            let passing = alts
                .iter()
                .filter(|a| {
                    let mut inner = Vec::new();
                    check(schema, a, v, path, &mut inner, depth + 1);
                    inner.is_empty()
                })
                .count();
            if exactly_one && passing != 1 {
                out.push(format!(
                    "{here}: must match exactly one of {} alternatives (matches {passing})",
                    alts.len()
                ));
            } else if !exactly_one && passing == 0 {
                out.push(format!(
                    "{here}: matches none of its {} alternatives",
                    alts.len()
                ));
            }
        }
    }
    if let (Some(Value::Array(req)), Some(obj)) = (o.get("required"), v.as_object()) {
        for k in req.iter().filter_map(Value::as_str) {
            if !obj.contains_key(k) {
                out.push(format!("{here}: `{k}` is required"));
            }
        }
    }
    if let (Some(Value::Object(props)), Some(obj)) = (o.get("properties"), v.as_object()) {
        for (k, sub) in props {
            if let Some(x) = obj.get(k) {
                check(schema, sub, x, &format!("{path}/{k}"), out, depth + 1);
            }
        }
    }
    if let Some(a) = v.as_array() {
        let n = a.len() as u64;
        if let Some(min) = o.get("minItems").and_then(Value::as_u64)
            && n < min
        {
            out.push(format!("{here}: has {n} items, at least {min} required"));
        }
        if let Some(max) = o.get("maxItems").and_then(Value::as_u64)
            && n > max
        {
            out.push(format!("{here}: has {n} items, at most {max} allowed"));
        }
        if let Some(items) = o.get("items") {
            for (i, x) in a.iter().enumerate() {
                check(schema, items, x, &format!("{path}/{i}"), out, depth + 1);
            }
        }
    }
    if let Some(st) = v.as_str() {
        let n = st.chars().count() as u64;
        if let Some(max) = o.get("maxLength").and_then(Value::as_u64)
            && n > max
        {
            out.push(format!("{here}: {n} characters, at most {max} allowed"));
        }
        if let Some(min) = o.get("minLength").and_then(Value::as_u64)
            && n < min
        {
            out.push(format!("{here}: {n} characters, at least {min} required"));
        }
        if let Some(Value::String(p)) = o.get("pattern")
            && schema.patterns.get(p).is_some_and(|r| !r.is_match(st))
        {
            out.push(format!("{here}: {st:?} does not match the pattern {p}"));
        }
        if let Some(Value::String(f)) = o.get("format")
            && !format_ok(f, st)
        {
            out.push(format!("{here}: {st:?} is not a {f}"));
        }
    }
    if let Some(x) = v.as_f64() {
        if let Some(min) = o.get("minimum").and_then(Value::as_f64)
            && x < min
        {
            out.push(format!("{here}: {x} is below the minimum {min}"));
        }
        if let Some(max) = o.get("maximum").and_then(Value::as_f64)
            && x > max
        {
            out.push(format!("{here}: {x} is above the maximum {max}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vaccination() -> Value {
        json!({
            "ver": "1.3.0",
            "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"},
            "dob": "1964-08-12",
            "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
                   "dn": 2, "sd": 2, "dt": "2021-05-29", "co": "DE", "is": "Robert Koch-Institut",
                   "ci": "URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]
        })
    }

    #[test]
    fn dates_and_times_are_judged_by_rfc_3339_and_never_split_inside_a_character() {
        assert!(format_ok("date", "2021-05-29"));
        assert!(!format_ok("date", "2021-02-30"));
        assert!(format_ok("date-time", "2021-05-29T10:00:00Z"));
        assert!(format_ok("date-time", "2021-05-29T10:00:00.123+02:00"));
        assert!(!format_ok("date-time", "2021-05-29 10:00"));
        assert!(!format_ok("date-time", "2021-05-2é10:00:00Z"));
    }

    #[test]
    fn a_well_formed_certificate_passes_both_schema_versions() {
        let (ver, errs) = validate(&vaccination());
        assert_eq!(ver, "1.3.3");
        assert!(errs.is_empty(), "{errs:?}");
        let mut old = vaccination();
        old["ver"] = json!("1.0.0");
        let (ver, _) = validate(&old);
        assert_eq!(ver, "1.0.0");
    }

    #[test]
    fn missing_groups_several_groups_and_bad_values_are_named_where_they_are() {
        let (_, errs) = validate(&json!({"ver": "1.3.0"}));
        assert!(errs.iter().any(|e| e.contains("exactly one")), "{errs:?}");
        let mut both = vaccination();
        both["t"] = json!([{}]);
        both["r"] = json!([{}]);
        let (_, errs) = validate(&both);
        assert!(
            errs.iter()
                .any(|e| e.contains("matches 0") || e.contains("exactly one")),
            "{errs:?}"
        );
        let mut bad = vaccination();
        bad["dob"] = json!("12.08.1964");
        bad["v"][0]["dn"] = json!(0);
        let (_, errs) = validate(&bad);
        assert!(errs.iter().any(|e| e.starts_with("/dob:")), "{errs:?}");
        assert!(errs.iter().any(|e| e.starts_with("/v/0/dn:")), "{errs:?}");
    }
}
