#!/usr/bin/env bash
# Regenerates tests/data/trust/: X.509 / CMS TEST material for the fictional state Utopia (UT / UTO):
# a CSCA with document signers (valid, expired, revoked + CRL, wrong key usage, explicit EC parameters,
# brainpool, RSA), forgeries (self-signed look-alike, look-alike CSCA, signer issued by a non-CA), a CSCA
# key roll-over (link certificate), an RSA e=3 certificate, an EU DCC signer and ICAO master lists
# (valid, one flipped signature bit, 500 CSCAs). See tests/data/trust/README.md for the file list.
#
# Needs: openssl (tested with OpenSSL 3.0, Debian 12) and python3 with the `cryptography` package
# (tested with 48.0.0). If `import cryptography` fails, install it with:  pip install cryptography
#
# Re-runnable: every date (validity, CRL times, CMS signing-time) is fixed, so a re-run gives structurally
# identical files; only keys, and therefore SKI/AKI values and signatures, change from run to run.
# After generating, the script checks the result with openssl (verification at a fixed time, 2025-06-01)
# and exits non-zero if any check does not give the expected outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/data/trust
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! python3 -c 'import cryptography' 2>/dev/null; then
  echo "python3 package 'cryptography' is missing: pip install cryptography" >&2
  exit 1
fi

# Old outputs go (README.md stays).
find "$out" -maxdepth 1 -type f \( -name '*.der' -o -name '*.key.pem' \) -delete

# ds-explicit: a P-256 key whose PKCS#8 and SubjectPublicKeyInfo carry EXPLICIT domain parameters
# (SpecifiedECDomain). python-cryptography cannot write those, so openssl makes the key.
openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout \
  | openssl pkcs8 -topk8 -nocrypt -out "$out/ds-explicit.key.pem"
openssl pkey -in "$out/ds-explicit.key.pem" -pubout -outform DER -out "$tmp/ds-explicit.spki.der"
# The same private key with named-curve parameters, for signers that take only named curves.
openssl ec -in "$out/ds-explicit.key.pem" -param_enc named_curve 2>/dev/null \
  | openssl pkcs8 -topk8 -nocrypt -out "$out/ds-explicit-named.key.pem"

python3 - "$out" "$tmp" <<'PY'
import datetime
import hashlib
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier

out, tmp = sys.argv[1], sys.argv[2]
DER = serialization.Encoding.DER
UTC = datetime.timezone.utc


def day(y, m=1, d=1):
    return datetime.datetime(y, m, d, tzinfo=UTC)


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "UT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Utopia"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


CSCA_NAME = name("Utopia CSCA")
NO_USAGE = dict(digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False)


def usage(**kw):
    return x509.KeyUsage(**{**NO_USAGE, **kw})


SIGN = usage(digital_signature=True)
CERT_SIGN = usage(key_cert_sign=True)
CA_SIGN = usage(key_cert_sign=True, crl_sign=True)


def p256():
    return ec.generate_private_key(ec.SECP256R1())


def ski_of(pub):
    return x509.SubjectKeyIdentifier.from_public_key(pub).digest


def cert(subject, key, serial, not_before, not_after, *, issuer=None, issuer_key=None,
         issuer_ski=None, ca=None, pathlen=None, ku=SIGN, eku=None):
    """Certificate for `key`; self-signed (no AKI) when issuer is None, else AKI = issuer_ski."""
    pub = key.public_key()
    b = (x509.CertificateBuilder()
         .subject_name(subject).issuer_name(issuer or subject)
         .public_key(pub).serial_number(serial)
         .not_valid_before(not_before).not_valid_after(not_after))
    if ca is not None:
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen), critical=True)
    b = b.add_extension(ku, critical=True)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage([ObjectIdentifier(o) for o in eku]), critical=False)
    b = b.add_extension(x509.SubjectKeyIdentifier(ski_of(pub)), critical=False)
    if issuer_ski is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier(issuer_ski, None, None), critical=False)
    return b.sign(issuer_key or key, hashes.SHA256())


def save(base, crt=None, key=None):
    if crt is not None:
        with open(f"{out}/{base}.der", "wb") as f:
            f.write(crt if isinstance(crt, bytes) else crt.public_bytes(DER))
    if key is not None:
        with open(f"{out}/{base}.key.pem", "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))


# --- minimal DER writer / reader (for the master lists and the explicit-parameter certificate) ---
def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def seq(*items):
    return tlv(0x30, b"".join(items))


def set_of(*items):  # DER: SET OF elements sorted by their encodings
    return tlv(0x31, b"".join(sorted(items)))


def integer(n):
    return tlv(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))


def oid(dotted):
    p = [int(x) for x in dotted.split(".")]
    body = b""
    for v in [40 * p[0] + p[1]] + p[2:]:
        chunk = [v & 0x7F]
        v >>= 7
        while v:
            chunk.append(0x80 | (v & 0x7F))
            v >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, body)


def read_tlv(buf, off):
    """-> (tag, offset of content, content length) of the element at off."""
    tag, n = buf[off], buf[off + 1]
    if n < 0x80:
        return tag, off + 2, n
    k = n & 0x7F
    return tag, off + 2 + k, int.from_bytes(buf[off + 2:off + 2 + k], "big")


def children(buf, off):
    """Elements inside the constructed element at off: list of (tag, start, content start, length)."""
    _, cs, n = read_tlv(buf, off)
    res, pos = [], cs
    while pos < cs + n:
        tag, c, m = read_tlv(buf, pos)
        res.append((tag, pos, c, m))
        pos = c + m
    return res


def whole(buf, el):
    return buf[el[1]:el[2] + el[3]]


OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME = "1.2.840.113549.1.9.5"
OID_CSCA_MASTER_LIST = "2.23.136.1.1.2"
OID_ML_SIGNING_KEY = "2.23.136.1.1.3"
OID_DCC_VACCINATION = "1.3.6.1.4.1.1847.2021.1.2"


def master_list(csca_ders, signer_cert, signer_key, extra_certs):
    """ContentInfo(SignedData) over CscaMasterList {version 0, certList}, ICAO Doc 9303-12."""
    content = seq(integer(0), set_of(*csca_ders))
    attrs = set_of(
        seq(oid(OID_CONTENT_TYPE), set_of(oid(OID_CSCA_MASTER_LIST))),
        seq(oid(OID_SIGNING_TIME), set_of(tlv(0x17, b"250101000000Z"))),
        seq(oid(OID_MESSAGE_DIGEST), set_of(tlv(0x04, hashlib.sha256(content).digest()))),
    )
    signature = signer_key.sign(attrs, ec.ECDSA(hashes.SHA256()))  # over the SET OF encoding
    sha256 = seq(oid(OID_SHA256))
    signer_info = seq(
        integer(1),
        seq(signer_cert.issuer.public_bytes(), integer(signer_cert.serial_number)),
        sha256,
        b"\xa0" + attrs[1:],  # signedAttrs [0] IMPLICIT
        seq(oid(OID_ECDSA_SHA256)),
        tlv(0x04, signature),
    )
    certs = [signer_cert.public_bytes(DER)] + [c.public_bytes(DER) for c in extra_certs]
    signed_data = seq(
        integer(3),  # eContentType is not id-data
        set_of(sha256),
        seq(oid(OID_CSCA_MASTER_LIST), tlv(0xA0, tlv(0x04, content))),
        tlv(0xA0, b"".join(sorted(certs))),  # certificates [0] IMPLICIT SET OF
        set_of(signer_info),
    )
    return seq(oid(OID_SIGNED_DATA), tlv(0xA0, signed_data))


V2020, V2040 = day(2020), day(2040)
V2024, V2034 = day(2024), day(2034)

# 1. CSCA
csca_key = p256()
csca = cert(CSCA_NAME, csca_key, 1, V2020, V2040, ca=True, pathlen=1, ku=CA_SIGN)
csca_ski = ski_of(csca_key.public_key())
save("csca", csca, csca_key)


def by_csca(cn, key, serial, nb=V2024, na=V2034, **kw):
    return cert(name(cn), key, serial, nb, na, issuer=CSCA_NAME, issuer_key=csca_key,
                issuer_ski=csca_ski, **kw)


# 2-4, 6. document signers
for base, cn, serial, nb, na, ku in [
    ("ds", "UTTS", 0x1001, V2024, V2034, SIGN),
    ("ds-expired", "UTTX", 0x1002, day(2015), day(2016), SIGN),
    ("ds-revoked", "UTTR", 0x1003, V2024, V2034, SIGN),
    ("ds-no-digital-signature", "UTTK", 0x1004, V2024, V2034, CERT_SIGN),
]:
    k = p256()
    save(base, by_csca(cn, k, serial, nb, na, ku=ku), k)

# 5. CRL revoking ds-revoked
crl = (x509.CertificateRevocationListBuilder()
       .issuer_name(CSCA_NAME).last_update(day(2025)).next_update(day(2035))
       .add_revoked_certificate(x509.RevokedCertificateBuilder()
                                .serial_number(0x1003).revocation_date(day(2025)).build())
       .add_extension(x509.AuthorityKeyIdentifier(csca_ski, None, None), critical=False)
       .add_extension(x509.CRLNumber(1), critical=False)
       .sign(csca_key, hashes.SHA256()))
save("crl", crl.public_bytes(DER))

# 7. forger's self-signed look-alike of ds
k = p256()
save("forger-self", cert(name("UTTS"), k, 0x1001, V2024, V2034, ku=SIGN), k)

# 8. forger's look-alike CSCA and the signer it issued
fk = p256()
forger_csca = cert(CSCA_NAME, fk, 1, V2020, V2040, ca=True, pathlen=1, ku=CA_SIGN)
save("forger-csca", forger_csca, fk)
k = p256()
save("forger-ds", cert(name("UTTS"), k, 0x1001, V2024, V2034, issuer=CSCA_NAME, issuer_key=fk,
                       issuer_ski=ski_of(fk.public_key())), k)

# 9. signer issued by a certificate that is not a CA
nk = p256()
save("not-a-ca", cert(name("Utopia Not A CA"), nk, 0x3001, V2024, V2034, ca=False, ku=SIGN), nk)
k = p256()
save("ds-by-not-a-ca", cert(name("UTTN"), k, 0x1005, V2024, V2034, issuer=name("Utopia Not A CA"),
                            issuer_key=nk, issuer_ski=ski_of(nk.public_key())), k)

# 10. CSCA key roll-over
new_key = p256()
new_ski = ski_of(new_key.public_key())
link = by_csca("Utopia CSCA", new_key, 2, day(2025), V2040, ca=True, pathlen=1, ku=CA_SIGN)
csca_new = cert(CSCA_NAME, new_key, 3, day(2025), day(2045), ca=True, pathlen=1, ku=CA_SIGN)
save("link", link)
save("csca-new", csca_new, new_key)
k = p256()
save("ds-new", cert(name("UTTL"), k, 0x1006, V2024, V2034, issuer=CSCA_NAME, issuer_key=new_key,
                    issuer_ski=new_ski), k)
# A CRL signed with the NEW key revoking ds-revoked, which the OLD key issued: after a roll-over
# a CSCA signs its lists with its current key.
crl_new = (x509.CertificateRevocationListBuilder()
           .issuer_name(CSCA_NAME).last_update(day(2025, 2)).next_update(day(2035))
           .add_revoked_certificate(x509.RevokedCertificateBuilder()
                                    .serial_number(0x1003).revocation_date(day(2025, 2)).build())
           .add_extension(x509.AuthorityKeyIdentifier(new_ski, None, None), critical=False)
           .add_extension(x509.CRLNumber(2), critical=False)
           .sign(new_key, hashes.SHA256()))
save("crl-new-key", crl_new.public_bytes(DER))

# 11. RSA-3072 with public exponent 3, self-signed (sha256WithRSAEncryption)
k = rsa.generate_private_key(public_exponent=3, key_size=3072)
save("rsa-e3", cert(name("Utopia RSA e3"), k, 0x3002, V2024, V2034, ca=True,
                    ku=usage(digital_signature=True, key_cert_sign=True)), k)

# 12. RSA-3072 (e=65537) document signer
k = rsa.generate_private_key(public_exponent=65537, key_size=3072)
save("rsa-ds", by_csca("UTTP", k, 0x1007), k)

# 13. EU DCC signer for vaccination certificates
k = p256()
save("dcc-ds-vaccination", by_csca("Utopia DCC DSC", k, 0x1008, day(2021), day(2031),
                                   eku=[OID_DCC_VACCINATION]), k)

# 15. VDS signers, P-256 and brainpoolP256r1
k = p256()
save("vds-ds-p256", by_csca("UTTV", k, 0x100A), k)
k = ec.generate_private_key(ec.BrainpoolP256R1())
save("vds-ds-bp256", by_csca("UTTB", k, 0x100B), k)

# 16. signer whose SPKI has explicit P-256 parameters: issue for the same point with a named curve,
# swap the SubjectPublicKeyInfo in the TBSCertificate, sign again with the CSCA key.
with open(f"{out}/ds-explicit.key.pem", "rb") as f:
    ek = serialization.load_pem_private_key(f.read(), None)  # cryptography maps it to secp256r1
with open(f"{tmp}/ds-explicit.spki.der", "rb") as f:
    explicit_spki = f.read()
named = by_csca("UTTE", ek, 0x100C).public_bytes(DER)
top = children(named, 0)
tbs_parts = [whole(named, el) for el in children(named, top[0][1])]
named_spki = children(tbs_parts[6], 0)
exp_spki = children(explicit_spki, 0)
assert whole(tbs_parts[6], named_spki[1]) == whole(explicit_spki, exp_spki[1]), "same public point"
assert exp_spki[0][3] > 100, "explicit parameters expected"
tbs_parts[6] = explicit_spki
tbs = seq(*tbs_parts)
sig = csca_key.sign(tbs, ec.ECDSA(hashes.SHA256()))
save("ds-explicit", seq(tbs, whole(named, top[1]), tlv(0x03, b"\x00" + sig)))

# 14. master lists
mk = p256()
mls = by_csca("Utopia Master List Signer", mk, 0x2001, eku=[OID_ML_SIGNING_KEY])
save("mls", mls, mk)
ml = master_list([c.public_bytes(DER) for c in (csca, link, csca_new)], mls, mk, [csca])
save("masterlist", ml)

# flip the lowest bit of r inside the SignerInfo's signature value (keeps the DER well formed)
sd = children(ml, children(ml, 0)[1][1])[0]           # ContentInfo.content [0] -> SignedData
signer_infos = children(ml, sd[1])[-1]
assert signer_infos[0] == 0x31
sig_octets = children(ml, children(ml, signer_infos[1])[0][1])[-1]  # SignerInfo.signature
assert sig_octets[0] == 0x04
r = children(ml, sig_octets[2])[0]                     # ECDSA-Sig-Value.r
assert r[0] == 0x02 and r[3] > 1
pos = r[2] + r[3] - 1
flipped = bytearray(ml)
flipped[pos] ^= 0x01
save("masterlist-flipped", bytes(flipped))
print(f"masterlist-flipped: signature OCTET STRING at offset {sig_octets[1]} "
      f"(content {sig_octets[2]}..{sig_octets[2] + sig_octets[3]}), flipped bit 0 of byte {pos}")

many = [csca.public_bytes(DER)]
for i in range(1, 501):
    k = p256()
    many.append(cert(name(f"Utopia CSCA {i:03d}"), k, i, V2020, V2040, ca=True, ku=CERT_SIGN)
                .public_bytes(DER))
save("masterlist-500", master_list(many, mls, mk, [csca]))
PY

python3 - "$out" <<'PY'
# RSASSA-PSS: a 3072-bit RSA CSCA that signs with PSS (SHA-256, MGF1-SHA-256, salt 32), itself
# and a P-256 document signer: certificate signatures verified through RSASSA-PSS-params.
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

out = sys.argv[1]
UTC = datetime.timezone.utc
PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "UT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Utopia"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def usage(**kw):
    base = dict(digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False)
    return x509.KeyUsage(**{**base, **kw})


def save(base, crt, key):
    with open(f"{out}/{base}.der", "wb") as f:
        f.write(crt.public_bytes(serialization.Encoding.DER))
    with open(f"{out}/{base}.key.pem", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()).digest
ca = (x509.CertificateBuilder()
      .subject_name(name("Utopia RSA-PSS CSCA")).issuer_name(name("Utopia RSA-PSS CSCA"))
      .public_key(ca_key.public_key()).serial_number(0x3003)
      .not_valid_before(datetime.datetime(2020, 1, 1, tzinfo=UTC))
      .not_valid_after(datetime.datetime(2040, 1, 1, tzinfo=UTC))
      .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
      .add_extension(usage(key_cert_sign=True, crl_sign=True), critical=True)
      .add_extension(x509.SubjectKeyIdentifier(ca_ski), critical=False)
      .sign(ca_key, hashes.SHA256(), rsa_padding=PSS))
save("rsa-pss-csca", ca, ca_key)
ds_key = ec.generate_private_key(ec.SECP256R1())
ds = (x509.CertificateBuilder()
      .subject_name(name("UTTQ")).issuer_name(name("Utopia RSA-PSS CSCA"))
      .public_key(ds_key.public_key()).serial_number(0x100D)
      .not_valid_before(datetime.datetime(2024, 1, 1, tzinfo=UTC))
      .not_valid_after(datetime.datetime(2034, 1, 1, tzinfo=UTC))
      .add_extension(usage(digital_signature=True), critical=True)
      .add_extension(x509.AuthorityKeyIdentifier(ca_ski, None, None), critical=False)
      .sign(ca_key, hashes.SHA256(), rsa_padding=PSS))
save("rsa-pss-ds", ds, ds_key)
PY

# ------------------------------------------------------------------ checks
cd "$tmp"
for f in "$OLDPWD/$out"/*.der; do
  b=$(basename "$f" .der)
  case $b in crl | masterlist*) ;; *) openssl x509 -inform DER -in "$f" -out "$b.pem" ;; esac
done
openssl crl -inform DER -in "$OLDPWD/$out/crl.der" -out crl.pem
for b in masterlist masterlist-flipped masterlist-500; do cp "$OLDPWD/$out/$b.der" .; done
cat csca.pem link.pem >csca+link.pem

at=(-attime 1748736000) # 2025-06-01T00:00:00Z
bad=0
check() { # check ok|fail COMMAND...: runs COMMAND, compares exit status with the expectation
  local want=$1 got=ok res msg
  shift
  msg=$("$@" 2>&1) || got=fail
  if [ "$got" = "$want" ]; then res=PASS; else res=UNEXPECTED; bad=1; fi
  printf '%-10s expect %-4s got %-4s $ %s\n           -> %s\n' "$res" "$want" "$got" "$*" \
    "$(printf '%s' "$msg" | grep -v '^$' | tail -n 2 | tr '\n' ' ')"
}
sigcheck() { # sigcheck CERT ISSUER: name chaining + signature only (python-cryptography)
  python3 -c 'import sys; from cryptography import x509
c, i = (x509.load_pem_x509_certificate(open(p, "rb").read()) for p in sys.argv[1:])
c.verify_directly_issued_by(i); print("signature by issuer key OK")' "$@"
}

mlcount() { # mlcount FILE N: FILE is CscaMasterList { version 0, certList } holding N certificates
  python3 -c 'import sys
from cryptography import x509
b, want = open(sys.argv[1], "rb").read(), int(sys.argv[2])
def tlv(i):  # -> tag, content start, end
    n = b[i + 1]
    if n < 0x80:
        return b[i], i + 2, i + 2 + n
    k = n & 0x7F
    return b[i], i + 2 + k, i + 2 + k + int.from_bytes(b[i + 2:i + 2 + k], "big")
t, c, end = tlv(0)
assert t == 0x30 and end == len(b)
assert b[c:c + 3] == bytes([2, 1, 0]), "version 0"
t, i, end = tlv(c + 3)
assert t == 0x31 and end == len(b)
n = 0
while i < end:
    _, _, e = tlv(i)
    x509.load_der_x509_certificate(b[i:e])
    n, i = n + 1, e
print(n, "certificates, version 0")
assert n == want' "$@"
}
mlattrs() { # eContentType, content-type and signing-time attributes of a master list
  local a
  a=$(openssl asn1parse -inform DER -in "$1" | grep -E -A3 '^ *[0-9]+:d=3 .* SEQUENCE|:(contentType|signingTime) *$' |
    grep -E 'OBJECT|UTCTIME' | grep -v -E ':(sha256|messageDigest)$' | sed -E 's/^.*prim: *//' | tr -s ' ' | tr '\n' ' ')
  echo "$a"
  case $a in
    "OBJECT :2.23.136.1.1.2 OBJECT :contentType OBJECT :2.23.136.1.1.2 OBJECT :signingTime UTCTIME :250101000000Z "*) ;;
    *) return 1 ;;
  esac
}
flipcheck() { # the flipped byte must lie inside the SignerInfo's signature OCTET STRING
  local d o h l
  d=$(cmp -l masterlist.der masterlist-flipped.der | awk '{print $1 - 1}')
  [ "$(printf '%s\n' "$d" | wc -l)" = 1 ] || return 1
  read -r o h l < <(openssl asn1parse -inform DER -in masterlist.der | grep 'OCTET STRING' | tail -n 1 |
    sed -E 's/^ *([0-9]+):d=[0-9]+ +hl= *([0-9]+) +l= *([0-9]+).*/\1 \2 \3/')
  echo "signature OCTET STRING at $o (hl=$h l=$l); differing byte $d"
  [ "$d" -ge $((o + h)) ] && [ "$d" -lt $((o + h + l)) ]
}

echo "== certificate summaries"
for p in *.pem; do
  case $p in crl.pem | csca+link.pem) continue ;; esac
  echo "-- ${p%.pem}"
  openssl x509 -in "$p" -noout -subject -issuer -serial -startdate -enddate \
    -ext basicConstraints,keyUsage,extendedKeyUsage,subjectKeyIdentifier,authorityKeyIdentifier \
    | sed 's/^/   /'
  openssl x509 -in "$p" -noout -text \
    | grep -E 'Signature Algorithm|Public Key Algorithm|Public-Key:|ASN1 OID|NIST CURVE|Exponent|Field Type' \
    | sed 's/^ */   /' | sort -u
done
echo "-- crl"
openssl crl -in crl.pem -noout -text | grep -v -E '^ *([0-9a-f]{2}:)+[0-9a-f]{0,2}$' | sed 's/^/   /'

echo "== checks (openssl verify at 2025-06-01 unless noted)"
check ok openssl verify "${at[@]}" -CAfile csca.pem ds.pem
check fail openssl verify "${at[@]}" -CAfile csca.pem ds-expired.pem
# ds-expired (2015-2016) predates the CSCA (2020-2040): chain and signatures only, no time checks
check ok openssl verify -no_check_time -CAfile csca.pem ds-expired.pem
check ok openssl verify "${at[@]}" -CAfile csca.pem ds-revoked.pem
check fail openssl verify "${at[@]}" -crl_check -CRLfile crl.pem -CAfile csca.pem ds-revoked.pem
check ok openssl verify "${at[@]}" -crl_check -CRLfile crl.pem -CAfile csca.pem ds.pem
check ok openssl crl -in crl.pem -CAfile csca.pem -noout
check ok openssl verify "${at[@]}" -CAfile csca.pem ds-no-digital-signature.pem
check fail openssl verify "${at[@]}" -CAfile csca.pem forger-self.pem
check ok sigcheck forger-self.pem forger-self.pem
check fail openssl verify "${at[@]}" -CAfile csca.pem forger-ds.pem
check fail openssl verify "${at[@]}" -CAfile csca.pem forger-csca.pem
check ok openssl verify "${at[@]}" -CAfile forger-csca.pem forger-ds.pem
check fail openssl verify "${at[@]}" -CAfile not-a-ca.pem ds-by-not-a-ca.pem
check ok sigcheck ds-by-not-a-ca.pem not-a-ca.pem
check ok openssl verify "${at[@]}" -CAfile csca.pem link.pem
check fail openssl verify "${at[@]}" -CAfile csca.pem ds-new.pem
check ok openssl verify "${at[@]}" -CAfile csca.pem -untrusted link.pem ds-new.pem
check ok openssl verify "${at[@]}" -CAfile csca+link.pem ds-new.pem
check ok openssl verify "${at[@]}" -CAfile csca-new.pem ds-new.pem
check fail openssl verify "${at[@]}" -CAfile csca-new.pem ds.pem
check ok openssl verify "${at[@]}" -CAfile rsa-e3.pem rsa-e3.pem
check ok openssl verify "${at[@]}" -CAfile csca.pem rsa-ds.pem
check ok openssl verify "${at[@]}" -CAfile csca.pem dcc-ds-vaccination.pem
check ok openssl verify "${at[@]}" -CAfile csca.pem mls.pem
check ok openssl verify "${at[@]}" -CAfile csca.pem vds-ds-p256.pem
check ok openssl verify "${at[@]}" -CAfile csca.pem vds-ds-bp256.pem
# OpenSSL 3 refuses explicit EC parameters (error 94) even without -x509_strict; the signature is fine:
check fail openssl verify "${at[@]}" -CAfile csca.pem ds-explicit.pem
check ok sigcheck ds-explicit.pem csca.pem
check ok sh -c 'openssl x509 -in ds-explicit.pem -outform DER | openssl asn1parse -inform DER | grep -q prime-field'
check ok openssl cms -verify -noverify -inform DER -in masterlist.der -out masterlist.content
check fail openssl cms -verify -noverify -inform DER -in masterlist-flipped.der -out /dev/null
check ok openssl cms -verify "${at[@]}" -purpose any -CAfile csca.pem -inform DER -in masterlist.der -out /dev/null
check ok openssl cms -verify -noverify -inform DER -in masterlist-500.der -out masterlist-500.content
check ok mlattrs masterlist.der
# the master list content: CscaMasterList { version 0, certList } with 3 / 501 certificates
check ok mlcount masterlist.content 3
check ok mlcount masterlist-500.content 501
# exactly one byte differs, and it lies inside the last OCTET STRING (the SignerInfo signature)
check ok flipcheck
echo "== sizes"
cd "$OLDPWD"
ls -l "$out" | awk 'NR>1 {print $5, $9}'
du -sb "$out"
if [ "$bad" != 0 ]; then
  echo "some checks did not give the expected outcome" >&2
  exit 1
fi
