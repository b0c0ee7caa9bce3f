#!/usr/bin/env bash
# Regenerates reference-specimens/samples/: questioned documents drawn by the specimen
# generator (300 dpi captures under white, UV and IR light, random capture conditions), named
# so that `docexam batch` groups them into documents. The same seeds give the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
out=reference-specimens/samples
docexam=(cargo run --release --quiet -p docexam-cli --)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"${docexam[@]}" specimen synth UTO-P-TD3 --genuine 1 --forged 5 --seed 11 --dpi 300 --out "$tmp/p"
"${docexam[@]}" specimen synth UTO-I-TD1 --genuine 1 --forged 8 --seed 5 --dpi 300 --out "$tmp/i"

take() { # take SOURCE-PREFIX NEW-NAME: copies every capture of one generated document
  local src=$1 name=$2 f rest
  for f in "$src"_*; do
    rest=${f#"$src"_}
    cp "$f" "$out/${name}_${rest}"
  done
}
rm -f "$out"/*.jpg
take "$tmp/p/uto-p-td3-0001-genuine" passport-genuine
take "$tmp/p/uto-p-td3-0002-photo-substitution" passport-photo-substituted
take "$tmp/p/uto-p-td3-0006-uv-missing" passport-ordinary-paper
take "$tmp/i/uto-i-td1-0001-genuine" idcard-genuine
take "$tmp/i/uto-i-td1-0009-barcode-mismatch" idcard-barcode-mismatch
ls -l "$out"
