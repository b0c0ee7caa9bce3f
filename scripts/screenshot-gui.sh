#!/usr/bin/env bash
# Takes a screenshot of the workstation under Xvfb: three bundled sample documents imported
# (listed with their verdicts), the one with anomalies shown, its first failed feature selected
# (key N). Usage: scripts/screenshot-gui.sh [OUT.png] [SAMPLE]
# Needs the Debian packages xvfb, libgl1-mesa-dri, imagemagick and xdotool.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/images/workstation.png}
sample=${2:-passport-photo-substituted}
cargo build --release --quiet -p docexam-gui
display=:77
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 40); do # until the display accepts clients
  [ -S /tmp/.X11-unix/X77 ] && break
  sleep 0.25
done
export DISPLAY=$display
export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)  # no remembered state
samples=reference-specimens/samples
target/release/docexam-gui "$samples"/idcard-genuine_* "$samples"/passport-genuine_* \
  "$samples"/"$sample"_front_*.jpg &
app=$!
for _ in $(seq 60); do
  win=$(xdotool search --name "docexam" 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  sleep 0.5
done
sleep 12  # the import's examinations, then the one shown, on worker threads
xdotool windowsize "$win" 1600 1000 windowmove "$win" 0 0
xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 1
xdotool key --window "$win" n
sleep 2
mkdir -p "$(dirname "$out")"
import -window root "$out"
echo "wrote $out"
