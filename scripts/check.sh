#!/usr/bin/env bash
# What CI runs: formatting, lints, the library crates' dependency boundary, tests, docs and the fuzz
# targets' build. Run it before every commit; it must pass on a fresh Debian/Ubuntu machine.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "system packages"
scripts/install-deps.sh

step "lock files are current (workspace and fuzz targets)"
cargo metadata --locked --format-version 1 >/dev/null
cargo metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null

step "formatting"
cargo fmt --all -- --check

step "the library crates stay free of GUI and CLI crates"
# Their direction among themselves (each only on the layers below it) is docexam-core's
# tests/layers.rs, run with the tests.
for lib in docexam-base docexam-mrz docexam-ingest docexam-barcode docexam-chip docexam-evidence \
  docexam-specimen docexam-compare docexam-core; do
  forbidden=$(cargo tree -p "$lib" -e normal --prefix none --locked \
    | grep -E '^(egui|eframe|wgpu|winit|clap)([ _-]|$)' | sort -u || true)
  if [ -n "$forbidden" ]; then
    echo "$lib depends on: $forbidden" >&2
    exit 1
  fi
done

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests"
cargo test --workspace --locked

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "fuzz targets build"
RUSTFLAGS="--cfg fuzzing" cargo check --manifest-path fuzz/Cargo.toml --locked

echo
echo "all checks passed"
