#!/usr/bin/env bash
# Times the workstation under Xvfb (DOCEXAM_GUI_TIMING=1): start to first frame, start to the
# examination shown, and, with PAN=1, the CPU time of frames while the page is dragged at 1:1.
# Usage: [PAN=1] scripts/bench-gui.sh LOG FILES...   (Debian: xvfb, libgl1-mesa-dri, xdotool)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$1
shift
cargo build --release --quiet -p docexam-gui
display=:78
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display DOCEXAM_GUI_TIMING=1
XDG_CONFIG_HOME=$(mktemp -d)
XDG_DATA_HOME=$(mktemp -d)
export XDG_CONFIG_HOME XDG_DATA_HOME
target/release/docexam-gui "$@" 2>"$log" &
app=$!
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
win=""
for _ in $(seq 60); do
  win=$(xdotool search --name "docexam" 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  sleep 0.2
done
sleep 8 # the examination
if [ "${PAN:-0}" = 1 ]; then
  xdotool windowsize "$win" 1600 1000 windowmove "$win" 0 0
  sleep 1
  xdotool mousemove 500 300 click 1 key equal # actual pixels
  sleep 1
  left=() right=()
  for _ in $(seq 150); do
    left+=(mousemove_relative -- -4 -3 sleep 0.008)
    right+=(mousemove_relative -- 4 3 sleep 0.008)
  done
  for _ in 1 2 3; do
    xdotool mousemove 700 400 mousedown 1 "${left[@]}" mouseup 1
    xdotool mousemove 100 100 mousedown 1 "${right[@]}" mouseup 1
  done
  sleep 1
fi
grep timing "$log"
