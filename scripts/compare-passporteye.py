#!/usr/bin/env python3
"""Reads the same generated document images with docexam and with PassportEye (Tesseract),
in one run, and prints accuracy and time per page for both.

    scripts/compare-passporteye.py [--n N] [--seed S] [--dpi D] [--dir DIR] [--docexam BIN]

Without --dir, generates N genuine documents of each Utopia specimen with
`docexam bench mrz --out`, then reads every white-light image of an MRZ side:
- docexam: `docexam bench mrz --dir DIR --json` (its per-image times are measured from the
  decoded pixels, one image at a time, on one core);
- PassportEye: `passporteye.read_mrz(path)` per image, timed from the file (it decodes the
  image itself), one image at a time.
A read is exact when every MRZ line equals the printed one (after docexam's check-digit
repair; PassportEye's text as it returns it, `aux['text']`); PassportEye's own success measure
(every check digit passing, `valid_score` 100) is printed too. Needs `pip install passporteye` and Debian's
`tesseract-ocr`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10, help="genuine documents per specimen")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dpi", type=int, default=None)
    ap.add_argument("--dir", default=None, help="read this labelled set instead of generating")
    ap.add_argument("--docexam", default="target/release/docexam")
    a = ap.parse_args()

    # PassportEye's dependencies warn about their own deprecations on every image.
    warnings.filterwarnings("ignore")
    try:
        from passporteye import read_mrz
    except ImportError:
        sys.exit("PassportEye is missing: pip install passporteye (and apt-get install tesseract-ocr)")

    tmp = None
    d = a.dir
    if d is None:
        tmp = tempfile.TemporaryDirectory()
        d = tmp.name
        cmd = [a.docexam, "bench", "mrz", "--n", str(a.n), "--seed", str(a.seed), "--out", d]
        if a.dpi:
            cmd += ["--dpi", str(a.dpi)]
        print("generating:", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    cmd = [a.docexam, "bench", "mrz", "--dir", d, "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    ours = json.loads(out)
    images = [i for i in ours["images"] if i["has_mrz"]]

    pe_exact = pe_found = pe_valid = 0
    pe_chars = pe_chars_ok = 0
    pe_ms = []
    for img in images:
        path = os.path.join(d, img["file"])
        start = time.perf_counter()
        mrz = read_mrz(path)
        pe_ms.append((time.perf_counter() - start) * 1000.0)
        expected = img["expected"]
        got = []
        if mrz is not None:
            pe_found += 1
            pe_valid += int(mrz.to_dict().get("valid_score") == 100)
            got = [line for line in (mrz.aux.get("text") or "").split("\n") if line.strip()]
        pe_exact += int(got == expected)
        for i, e in enumerate(expected):
            g = got[i] if i < len(got) else ""
            pe_chars += len(e)
            pe_chars_ok += sum(1 for x, y in zip(e, g) if x == y)

    dx_ms = [i["ms"] for i in images]
    dx_exact = sum(1 for i in images if i["exact"])
    dx_chars = sum(i["chars"] for i in images)
    dx_chars_ok = sum(i["chars_ok"] for i in images)
    n = len(images)

    def row(name, exact, chars_ok, chars, found, ms):
        print(
            f"{name:<12} {n:>6} {100.0 * exact / n:>8.1f}% {100.0 * chars_ok / max(chars, 1):>8.2f}% "
            f"{found:>6} {statistics.mean(ms):>9.1f} {statistics.median(ms):>9.1f} {max(ms):>9.1f}"
        )

    print(f"{'reader':<12} {'images':>6} {'exact':>9} {'chars':>9} {'found':>6} {'mean ms':>9} {'median':>9} {'max':>9}")
    row("docexam", dx_exact, dx_chars_ok, dx_chars, sum(1 for i in images if i["read"]), dx_ms)
    row("PassportEye", pe_exact, pe_chars_ok, pe_chars, pe_found, pe_ms)
    print(f"PassportEye: every check digit passing (its valid_score 100) on {pe_valid} of {n}")
    print(f"speed ratio (mean time PassportEye / docexam): {statistics.mean(pe_ms) / statistics.mean(dx_ms):.0f}x")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
