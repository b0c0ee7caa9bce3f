#!/usr/bin/env bash
# Times the workstation under Xvfb (DOCEXAM_GUI_TIMING=1): start to first frame, start to the
# examination shown, and, with PAN=SECONDS, the frames per second drawn while the page is
# panned at 1:1 for that long (DOCEXAM_GUI_PAN: the view moves every frame, a new frame is
# asked for at once, and the window closes at the end); with REOPEN=1, the document is opened a
# second time once shown, timing an open with its specimen ready; FILES of several documents are
# imported (each examined in turn) and the import's documents per minute printed, WAIT=SECONDS
# (default 12) giving it time.
# DOCEXAM_GUI_VSYNC=0 in the environment presents frames without waiting for the refresh.
# Usage: [PAN=SECONDS] [REOPEN=1] [WAIT=SECONDS] scripts/bench-gui.sh LOG FILES...   (Debian: xvfb, libgl1-mesa-dri, xdotool)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$1
shift
cargo build --release --quiet -p docexam-gui
display=:78
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 40); do # until the display accepts clients
  [ -S /tmp/.X11-unix/X78 ] && break
  sleep 0.25
done
export DISPLAY=$display DOCEXAM_GUI_TIMING=1 DOCEXAM_GUI_REOPEN=${REOPEN:-0}
if [ "${PAN:-0}" != 0 ]; then
  export DOCEXAM_GUI_PAN=$PAN
fi
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
if [ "${PAN:-0}" = 0 ]; then
  sleep "${WAIT:-12}" # the examinations
else
  wait $app || true # the pan closes the window when it is done
fi
grep timing "$log"
