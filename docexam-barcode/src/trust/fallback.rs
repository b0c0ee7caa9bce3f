//! ECDSA verification for the named curves that travel documents use and no RustCrypto crate
//! covers: secp224r1, brainpoolP224r1, brainpoolP320r1 and brainpoolP512r1. Only these named
//! curves reach it (explicit parameters must first match one exactly, see
//! [`super::explicit`]), so every number it computes on is at most 521 bits.
//!
//! Verification handles only public values (key, message, signature), so the arithmetic does
//! not need to be constant-time; it is plain Jacobian double-and-add with Shamir's trick, and
//! it is tested against the Wycheproof vectors of those curves.

use der::Decode;
use der::asn1::UintRef;
use num_bigint::BigUint;

use super::curves::NamedCurve;
use super::key::EcCurve;

/// The parameters of a prime curve `y² = x³ + ax + b (mod p)` with base point `g` of order `n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Domain {
    p: BigUint,
    a: BigUint,
    b: BigUint,
    gx: BigUint,
    gy: BigUint,
    n: BigUint,
}

fn hex(s: &str) -> BigUint {
    BigUint::parse_bytes(s.as_bytes(), 16).unwrap_or_default()
}

impl Domain {
    fn from_curve(c: &NamedCurve) -> Self {
        Self {
            p: hex(c.p),
            a: hex(c.a),
            b: hex(c.b),
            gx: hex(c.gx),
            gy: hex(c.gy),
            n: hex(c.n),
        }
    }

    /// The domain of a named curve.
    pub fn of(curve: EcCurve) -> Self {
        Self::from_curve(curve.params())
    }

    /// Bytes of one coordinate.
    fn field_len(&self) -> usize {
        usize::try_from(self.p.bits().div_ceil(8)).unwrap_or(0)
    }

    fn on_curve(&self, x: &BigUint, y: &BigUint) -> bool {
        let p = &self.p;
        if x >= p || y >= p {
            return false;
        }
        let lhs = y * y % p;
        let rhs = (x * x % p * x + &self.a * x + &self.b) % p;
        lhs == rhs
    }

    /// Decodes an SEC 1 point (uncompressed `04‖x‖y`, or compressed `02/03‖x` on curves whose
    /// prime is 3 mod 4) and checks that it lies on the curve.
    pub fn decode_point(&self, bytes: &[u8]) -> Option<(BigUint, BigUint)> {
        let len = self.field_len();
        let (&form, rest) = bytes.split_first()?;
        let (x, y) = match form {
            0x04 if rest.len() == 2 * len => {
                let (x, y) = rest.split_at(len);
                (BigUint::from_bytes_be(x), BigUint::from_bytes_be(y))
            }
            0x02 | 0x03 if rest.len() == len && self.p.bit(0) && self.p.bit(1) => {
                let p = &self.p;
                let x = BigUint::from_bytes_be(rest);
                let rhs = (&x * &x % p * &x + &self.a * &x + &self.b) % p;
                let mut y = rhs.modpow(&((p + 1u32) >> 2), p);
                if y.bit(0) != (form == 0x03) {
                    y = (p - &y) % p;
                }
                (x, y)
            }
            _ => return None,
        };
        self.on_curve(&x, &y).then_some((x, y))
    }

    /// Verifies an ECDSA signature `(r, s)` over a message digest with the public key given as
    /// an SEC 1 point. The digest is truncated to the order's bit length, as ECDSA requires.
    pub fn verify(&self, public_point: &[u8], digest: &[u8], r: &[u8], s: &[u8]) -> bool {
        let Some(q) = self.decode_point(public_point) else {
            return false;
        };
        let (r, s) = (BigUint::from_bytes_be(r), BigUint::from_bytes_be(s));
        let n = &self.n;
        if (r.bits() == 0) || (s.bits() == 0) || &r >= n || &s >= n {
            return false;
        }
        let mut e = BigUint::from_bytes_be(digest);
        let digest_bits = u64::try_from(digest.len()).unwrap_or(0) * 8;
        if digest_bits > n.bits() {
            e >>= digest_bits - n.bits();
        }
        let w = s.modpow(&(n - 2u32), n);
        let u1 = e * &w % n;
        let u2 = &r * &w % n;
        let g = Jacobian::affine(self.gx.clone(), self.gy.clone());
        let q = Jacobian::affine(q.0, q.1);
        let sum = self.shamir(&u1, &g, &u2, &q);
        match self.to_affine_x(&sum) {
            Some(x) => x % n == r,
            None => false,
        }
    }

    fn shamir(&self, u1: &BigUint, g: &Jacobian, u2: &BigUint, q: &Jacobian) -> Jacobian {
        let gq = self.add(g, q);
        let mut acc = Jacobian::infinity();
        let bits = u1.bits().max(u2.bits());
        for i in (0..bits).rev() {
            acc = self.double(&acc);
            acc = match (u1.bit(i), u2.bit(i)) {
                (true, true) => self.add(&acc, &gq),
                (true, false) => self.add(&acc, g),
                (false, true) => self.add(&acc, q),
                (false, false) => acc,
            };
        }
        acc
    }

    fn sub(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a + &self.p - b) % &self.p
    }

    fn double(&self, pt: &Jacobian) -> Jacobian {
        let p = &self.p;
        if (pt.z.bits() == 0) || (pt.y.bits() == 0) {
            return Jacobian::infinity();
        }
        let yy = &pt.y * &pt.y % p;
        let s = (&pt.x * &yy % p) * 4u32 % p;
        let zz = &pt.z * &pt.z % p;
        let m = (&pt.x * &pt.x % p * 3u32 + &self.a * (&zz * &zz % p)) % p;
        let x3 = self.sub(&(&m * &m % p), &(&s * 2u32 % p));
        let y3 = self.sub(&(&m * self.sub(&s, &x3) % p), &(&yy * &yy % p * 8u32 % p));
        let z3 = &pt.y * &pt.z % p * 2u32 % p;
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn add(&self, a: &Jacobian, b: &Jacobian) -> Jacobian {
        let p = &self.p;
        if a.z.bits() == 0 {
            return b.clone();
        }
        if b.z.bits() == 0 {
            return a.clone();
        }
        let z1z1 = &a.z * &a.z % p;
        let z2z2 = &b.z * &b.z % p;
        let u1 = &a.x * &z2z2 % p;
        let u2 = &b.x * &z1z1 % p;
        let s1 = &a.y * &b.z % p * &z2z2 % p;
        let s2 = &b.y * &a.z % p * &z1z1 % p;
        if u1 == u2 {
            return if s1 == s2 {
                self.double(a)
            } else {
                Jacobian::infinity()
            };
        }
        let h = self.sub(&u2, &u1);
        let r = self.sub(&s2, &s1);
        let hh = &h * &h % p;
        let hhh = &hh * &h % p;
        let u1hh = &u1 * &hh % p;
        let x3 = self.sub(&self.sub(&(&r * &r % p), &hhh), &(&u1hh * 2u32 % p));
        let y3 = self.sub(&(&r * self.sub(&u1hh, &x3) % p), &(&s1 * &hhh % p));
        let z3 = &h * &a.z % p * &b.z % p;
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn to_affine_x(&self, pt: &Jacobian) -> Option<BigUint> {
        if pt.z.bits() == 0 {
            return None;
        }
        let p = &self.p;
        let zinv = pt.z.modpow(&(p - 2u32), p);
        Some(&pt.x * (&zinv * &zinv % p) % p)
    }
}

#[derive(Clone, Debug)]
struct Jacobian {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

impl Jacobian {
    fn affine(x: BigUint, y: BigUint) -> Self {
        Self {
            x,
            y,
            z: BigUint::from(1u32),
        }
    }

    fn infinity() -> Self {
        Self {
            x: BigUint::from(1u32),
            y: BigUint::from(1u32),
            z: BigUint::ZERO,
        }
    }
}

/// `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`.
#[derive(der::Sequence)]
struct EcdsaSigValue<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

/// Splits a DER `ECDSA-Sig-Value` into `r` and `s` (strict DER, nothing after it).
pub(crate) fn der_signature(sig: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let v = EcdsaSigValue::from_der(sig).ok()?;
    Some((v.r.as_bytes().to_vec(), v.s.as_bytes().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::curves::CURVES;

    #[test]
    fn every_named_base_point_lies_on_its_curve() {
        for c in CURVES {
            let d = Domain::from_curve(c);
            assert!(d.on_curve(&d.gx, &d.gy), "{}", c.name);
        }
    }

    #[test]
    fn a_p256_test_vector_verifies_and_a_changed_digest_does_not() {
        // RFC 6979 A.2.5, P-256, SHA-256, message "sample".
        let d = Domain::of(EcCurve::P256);
        let q = [
            "04",
            "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6",
            "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299",
        ]
        .concat();
        let q = hex(&q).to_bytes_be();
        let digest =
            hex("af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf").to_bytes_be();
        let r =
            hex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716").to_bytes_be();
        let s =
            hex("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8").to_bytes_be();
        assert!(d.verify(&q, &digest, &r, &s));
        let mut other = digest.clone();
        other[0] ^= 1;
        assert!(!d.verify(&q, &other, &r, &s));
        assert!(!d.verify(&q, &digest, &s, &r));
    }
}
