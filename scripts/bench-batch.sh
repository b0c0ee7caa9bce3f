#!/usr/bin/env bash
# Measures `docexam batch` on N generated documents (default 1000; UTO-P-TD3 at 300 dpi, white,
# UV and IR captures, random capture conditions, 10% forged): throughput with 1 and 2 jobs and
# peak memory (GNU time's maximum resident set size). Usage: scripts/bench-batch.sh [N] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
dir=${2:-target/bench-batch}
cargo build --release --quiet -p docexam-cli
docexam=target/release/docexam
if [ ! -f "$dir/set-$n/labels.jsonl" ]; then
  "$docexam" specimen synth UTO-P-TD3 --genuine $((n * 9 / 10)) --forged $((n - n * 9 / 10)) \
    --seed 42 --dpi 300 --out "$dir/set-$n"
fi
for jobs in 1 2; do
  rm -rf "$dir/case-$jobs" "$dir/results-$jobs.jsonl"
  echo "== $n documents, --jobs $jobs"
  /usr/bin/time -f "wall %e s, max RSS %M KB" "$docexam" batch "$dir/set-$n" \
    --case "$dir/case-$jobs" --out "$dir/results-$jobs.jsonl" --jobs "$jobs" \
    --as-of 2026-12-03 > "$dir/summary-$jobs.txt" 2> "$dir/batch-$jobs.log"
  head -3 "$dir/summary-$jobs.txt"
  tail -1 "$dir/batch-$jobs.log"
done
