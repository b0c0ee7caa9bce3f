#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages docexam needs to build and test, skipping what is present.
# Idempotent; uses sudo when not run as root. Rust itself is expected to be installed (rustup).
set -euo pipefail

packages=(
  cmake            # zxing-cpp's bundled C++ build
  g++              # C++ compiler for zxing-cpp and libFuzzer
  pkg-config       # locating system libraries for -sys crates
  openssl          # the tests check that lab signatures verify outside docexam
  strace           # the tests inject failing system calls (cli_faults)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing missing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
