#!/usr/bin/env bash
# What CI runs: formatting, lints, the core's dependency boundary, tests, docs and the fuzz
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

step "docexam-core stays free of GUI and CLI crates"
forbidden=$(cargo tree -p docexam-core -e normal --prefix none --locked \
  | grep -E '^(egui|eframe|wgpu|winit|clap)([ _-]|$)' | sort -u || true)
if [ -n "$forbidden" ]; then
  echo "docexam-core depends on: $forbidden" >&2
  exit 1
fi

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
