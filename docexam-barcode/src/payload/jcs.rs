//! JSON canonicalisation (RFC 8785, JCS): object members sorted by their UTF-16 code units, no
//! whitespace, strings escaped minimally, numbers in their shortest ECMAScript form. VDS-NC
//! signs the canonical form of its `data` member.

use serde_json::Value;

/// The canonical text of a JSON value.
pub(crate) fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            let mut members: Vec<(&String, &Value)> = o.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (k, x)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                write(x, out);
            }
            out.push('}');
        }
    }
}

fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        return "0".into();
    }
    let a = f.abs();
    if (1e-6..1e21).contains(&a) {
        // Rust's shortest round-trip digits, without an exponent, as ECMAScript prints them.
        let s = format!("{f}");
        return s.strip_suffix(".0").map(str::to_string).unwrap_or(s);
    }
    let s = format!("{f:e}");
    match s.split_once('e') {
        Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_members_and_drops_whitespace() {
        let v: Value = serde_json::from_str(
            r#"{ "b": [1, 2.5, "x\u000f"], "a": {"d": null, "c": true}, "\u20ac": 1e21 }"#,
        )
        .unwrap();
        assert_eq!(
            canonical(&v),
            r#"{"a":{"c":true,"d":null},"b":[1,2.5,"x\u000f"],"€":1e+21}"#
        );
    }
}
