# shellcheck shell=bash
# Timing and logging shared by the image scripts. Set LOG_TAG, then source this file.

now_ms() { date +%s%3N; }
since() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
log() { echo "[$LOG_TAG] $*"; }
die() { echo "[$LOG_TAG] error: $*" >&2; exit 1; }
# step NAME CMD...: runs CMD and prints how long it took.
step() {
  local name=$1 t0
  shift
  t0=$(now_ms)
  log "$name ..."
  "$@"
  log "$name done in $(since "$t0")"
}
