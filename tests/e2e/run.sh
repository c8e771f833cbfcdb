#!/usr/bin/env bash
# End-to-end: run `ftktui demo` in tmux, type the keys of spec §8 as an admin
# would, and assert on what the screen shows. Finally check (via the demo's
# --state-out) that quitting left every simulated device with debug reset.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v tmux >/dev/null || { echo "e2e: tmux is required (apt-get install tmux)"; exit 1; }
work=$(mktemp -d)
sock="ftke2e$$"
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/ftktui" ./cmd/ftktui

screen() { T capture-pane -t e2e -p; }
fail() {
  echo "e2e FAIL: $*"
  echo "---- screen ----"; screen || true; echo "----------------"
  exit 1
}
# wait_for TEXT [SECONDS]: poll the screen until it shows TEXT.
wait_for() {
  local text=$1 secs=${2:-20} i
  for ((i = 0; i < secs * 10; i++)); do
    if screen | grep -qF -- "$text"; then return 0; fi
    sleep 0.1
  done
  fail "did not see '$text' within ${secs}s"
}
key() { T send-keys -t e2e "$@"; sleep 0.3; }

T new-session -d -s e2e -x 180 -y 50 \
  "NO_COLOR=1 '$work/ftktui' demo --audit-log '$work/audit.jsonl' --state-out '$work/state.json'; echo \"DEMO-EXIT=\$?\" > '$work/exit'; sleep 60"

echo "e2e: the fleet appears"
wait_for "12 devices" 20
wait_for "lisbon-fw1" 20
wait_for "host key" 30   # the hostkey-rotated device is refused, not trusted

echo "e2e: filter to the pending-activation device and open it"
key /
T send-keys -t e2e -l "lisbon"; sleep 0.3
key Enter
key Enter
wait_for "NEEDS_ACTIVATION" 20

echo "e2e: the debug pane shows forticldd/fortitoken lines"
key d
wait_for "Debug · lisbon-fw1" 10
wait_for "cldd" 15
key Tab
key Tab
screen | grep -q "Debug · lisbon-fw1" || fail "debug pane closed unexpectedly"

echo "e2e: activate the first token and watch it verify"
key a
wait_for "execute fortitoken activate FTK" 15
wait_for "one-time" 5
key y
wait_for "verified" 30
screen | grep -q "✓ verified" || fail "activation did not verify"
key Escape

echo "e2e: the debug pane of a quiet device shows forticldd and fortitoken lines"
key d                      # disarm lisbon-fw1's pane
key Escape                 # back to the fleet list
key /
key C-u
T send-keys -t e2e -l "prague"; sleep 0.3
key Enter
key d
wait_for "Debug · prague-fw1" 10
wait_for "│ftk │" 15
wait_for "│cldd│" 15

echo "e2e: help lists the keys"
key "?"
wait_for "delete & re-add" 5
key Escape

echo "e2e: quit disarms every debug stream"
key q
for ((i = 0; i < 200; i++)); do [ -f "$work/exit" ] && break; sleep 0.1; done
[ -f "$work/exit" ] || fail "ftktui did not exit within 20s of q"
grep -q "DEMO-EXIT=0" "$work/exit" || fail "demo exit status: $(cat "$work/exit")"
[ -s "$work/state.json" ] || fail "no state written"
python3 - "$work/state.json" <<'PY' || fail "debug left on a simulated device"
import json, sys
devs = json.load(open(sys.argv[1]))
bad = [d["name"] for d in devs if not d["debug_clean"] or d["debug_enabled"]]
armed = [d for d in devs if d["name"] == "lisbon-fw1"][0]
assert armed["reset_count"] >= 1, "lisbon-fw1 never received diagnose debug reset"
if bad:
    print("debug still on:", bad); sys.exit(1)
print(f"e2e: {len(devs)} simulated devices, debug disabled and reset on all")
PY
if grep -Eq 'activation-code "[A-Z0-9]{16}"|ENC [A-Za-z0-9+/=]{20,}' "$work/audit.jsonl"; then
  fail "audit log holds a secret"
fi
echo "e2e: ok"
