#!/usr/bin/env bash
# bench/run.sh — reproduces every scan figure of BENCHMARKS.md (issue #8).
#
#   bench/run.sh            full run (3 repetitions, ~10-15 min on 2 cores)
#   bench/run.sh --quick    1 repetition, smaller fleets (~3-4 min): a smoke test
#   bench/run.sh --reps 5 --only scan1000,latency
#
# Every repetition runs the compared tools back to back against the same
# simulated fleet (ftktui, then the peer, then the floor), so ratios are
# taken side by side within one repetition and then the median is reported.
# Set FTKTUI_ALT=/path/to/ftktui to add a second ftktui build to every
# comparison (e.g. a patched build against the committed one), and
# FTKTUI_BIN=/path/to/ftktui to measure a prebuilt binary as "ftktui".
# Results: $OUT/raw.tsv (every run), $OUT/summary.md (medians), logs beside.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/ftktui-bench}
REPS=3
QUICK=0
ONLY="startup,scan1000,scale,slow,latency,wan"
CONC=32
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) QUICK=1; REPS=1 ;;
	--reps) REPS=$2; shift ;;
	--only) ONLY=$2; shift ;;
	--out) OUT=$2; shift ;;
	--concurrency) CONC=$2; shift ;;
	*) echo "usage: $0 [--quick] [--reps N] [--only LIST] [--out DIR] [--concurrency N]" >&2; exit 2 ;;
	esac
	shift
done
if [ "$QUICK" = 1 ]; then
	# 10 slow devices would fit in 32 slots: 4 slots still show whether
	# slow devices serialise the others.
	N=200; SCALE="10 100 200"; SLOWN=100; SLOWCONC=4
else
	N=1000; SCALE="10 100 1000 3000"; SLOWN=1000; SLOWCONC=$CONC
fi
want() { case ",$ONLY," in *",$1,"*) return 0 ;; esac; return 1; }

# The simulator holds one listening socket per device plus the scans' connections.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

need_apt=()
command -v parallel-ssh >/dev/null || need_apt+=(pssh)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || need_apt+=(openssh-client)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
	apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

rm -rf "$OUT"
mkdir -p "$OUT/bin" "$OUT/logs"
echo "building into $OUT/bin" >&2
(cd "$REPO" && go build -o "$OUT/bin/ftktui" ./cmd/ftktui && go build -o "$OUT/bin/benchsim" ./bench/benchsim &&
	go build -o "$OUT/bin/floor" ./bench/floor && go build -o "$OUT/bin/latproxy" ./bench/latproxy)
if [ -n "${FTKTUI_BIN:-}" ]; then cp "$FTKTUI_BIN" "$OUT/bin/ftktui"; fi
ssh-keygen -q -t ed25519 -N '' -C ftktui-bench -f "$OUT/peer_key"
printf '%s\n' "$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo unknown)" >"$OUT/commit"
RAW="$OUT/raw.tsv"
printf 'scenario\ttool\trep\telapsed_s\trss_kb\tuser_s\tsys_s\trc\n' >"$RAW"

PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# start_bg NAME READYDIR CMD... starts a helper and waits for READYDIR/ready.
start_bg() {
	local name=$1 dir=$2
	shift 2
	"$@" >"$OUT/logs/$name.out" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	for _ in $(seq 600); do
		[ -f "$dir/ready" ] && { LAST_PID=$pid; return 0; }
		kill -0 "$pid" 2>/dev/null || { cat "$OUT/logs/$name.out" >&2; return 1; }
		sleep 0.1
	done
	echo "$name did not become ready" >&2
	return 1
}
stop_bg() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# measure SCENARIO TOOL REP CMD... runs CMD under /usr/bin/time -v.
measure() {
	local sc=$1 tool=$2 rep=$3
	shift 3
	local log="$OUT/logs/$sc.$tool.$rep"
	local rc=0
	/usr/bin/time -v -o "$log.time" "$@" >"$log.out" 2>"$log.err" || rc=$?
	python3 - "$log.time" "$sc" "$tool" "$rep" "$rc" >>"$RAW" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def g(k):
    m = re.search(re.escape(k) + r': (.*)', t)
    return m.group(1).strip() if m else ''
el = g('Elapsed (wall clock) time (h:mm:ss or m:ss)')
parts = [float(x) for x in el.split(':')]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
print('\t'.join([sys.argv[2], sys.argv[3], sys.argv[4], '%.3f' % secs, g('Maximum resident set size (kbytes)'),
                 g('User time (seconds)'), g('System time (seconds)'), sys.argv[5]]))
PY
	printf '  %-14s %-16s rep %s: %ss rc=%s\n' "$sc" "$tool" "$rep" "$(tail -1 "$RAW" | cut -f4)" "$rc" >&2
}

scan() { # scan SCENARIO TOOL REP DIR BIN [extra args]
	local sc=$1 tool=$2 rep=$3 dir=$4 bin=$5
	shift 5
	FTKTUI_PASSWORD=$(cat "$dir/password") measure "$sc" "$tool" "$rep" "$bin" scan -i "$dir/inventory.yaml" --json \
		--concurrency "$CONC" --timeout 5m --audit-log "$OUT/logs/audit.jsonl" "$@"
}
floor() { # floor SCENARIO REP DIR (FLOOR_CMD: the one command; default get system status)
	measure "$1" floor "$2" "$OUT/bin/floor" -hosts "$3/hosts.txt" -known-hosts "$3/known_hosts" \
		-password-file "$3/password" -concurrency "$CONC" -command "${FLOOR_CMD:-get system status}"
}
peer() { # peer SCENARIO REP DIR: parallel-ssh, same commands as one exec request per device
	local sc=$1 rep=$2 dir=$3
	rm -rf "$OUT/logs/pssh-out"
	measure "$sc" parallel-ssh "$rep" parallel-ssh -h "$dir/hosts.txt" -l admin -p "$CONC" -t 300 \
		-o "$OUT/logs/pssh-out" -O UserKnownHostsFile="$dir/known_hosts" -O StrictHostKeyChecking=yes \
		-O IdentityFile="$OUT/peer_key" -O IdentitiesOnly=yes -O BatchMode=yes -O PasswordAuthentication=no \
		"$(cat "$OUT/peer_commands.txt")"
}
both() { # both SCENARIO REP DIR [extra scan args]: ftktui (+ alt) side by side
	local sc=$1 rep=$2 dir=$3
	shift 3
	scan "$sc" ftktui "$rep" "$dir" "$OUT/bin/ftktui" "$@"
	if [ -n "${FTKTUI_ALT:-}" ]; then scan "$sc" ftktui-alt "$rep" "$dir" "$FTKTUI_ALT" "$@"; fi
}
(cd "$REPO" && go run ./bench/scanbench/peercmds) >"$OUT/peer_commands.txt"

fleet() { # fleet NAME benchsim-args...: starts a fleet, sets FLEET_DIR and FLEET_PID
	local name=$1
	shift
	FLEET_DIR="$OUT/fleets/$name"
	start_bg "sim-$name" "$FLEET_DIR" "$OUT/bin/benchsim" -out "$FLEET_DIR" -authorized-key "$OUT/peer_key.pub" "$@"
	FLEET_PID=$LAST_PID
	sed 's/^/  sim: /' "$OUT/logs/sim-$name.out" >&2
}

if want startup; then
	echo "== startup: $N idle simulated devices (issue #3)" >&2
	for rep in $(seq "$REPS"); do
		fleet "startup$rep" -devices "$N" -tokens 20 -seed "$rep"
		printf 'startup-%s\tbenchsim\t%s\t%s\n' "$N" "$rep" "$(cat "$OUT/logs/sim-startup$rep.out")" >>"$OUT/startup.tsv"
		stop_bg "$FLEET_PID"
	done
fi

if want scan1000; then
	echo "== scan of $N devices, 20 tokens each: ftktui vs parallel-ssh vs floor" >&2
	fleet scan -devices "$N" -tokens 20
	for rep in $(seq "$REPS"); do
		both "scan$N" "$rep" "$FLEET_DIR"
		peer "scan$N" "$rep" "$FLEET_DIR"
		floor "scan$N" "$rep" "$FLEET_DIR"
	done
	stop_bg "$FLEET_PID"
fi

if want scale; then
	echo "== scaling at concurrency $CONC" >&2
	for n in $SCALE; do
		fleet "scale$n" -devices "$n" -tokens 20
		for rep in $(seq "$REPS"); do
			both "scale$n" "$rep" "$FLEET_DIR"
			floor "scale$n" "$rep" "$FLEET_DIR"
		done
		stop_bg "$FLEET_PID"
	done
fi

if want slow; then
	echo "== $SLOWN devices, 10% slow (2 s per command), concurrency $SLOWCONC" >&2
	fleet slow -devices "$SLOWN" -tokens 20 -slow-pct 10
	one_slow=$(grep -m1 -B3 'tags: \[slow\]' "$FLEET_DIR/inventory.yaml" | sed -n 's/.*name: //p')
	for rep in $(seq "$REPS"); do
		# ftktui only: each repetition takes minutes, and the round-trip
		# savings of an alternative build do not change how slots are held.
		CONC=$SLOWCONC scan "slow-all" ftktui "$rep" "$FLEET_DIR" "$OUT/bin/ftktui"
		CONC=$SLOWCONC scan "slow-healthy" ftktui "$rep" "$FLEET_DIR" "$OUT/bin/ftktui" --tag healthy
		CONC=$SLOWCONC scan "slow-one" ftktui "$rep" "$FLEET_DIR" "$OUT/bin/ftktui" --device "$one_slow"
	done
	stop_bg "$FLEET_PID"
fi

if want latency; then
	echo "== $N devices behind a 50 ms round-trip proxy" >&2
	fleet lat -devices "$N" -tokens 20
	start_bg proxy "$OUT/fleets/lat-rtt50" "$OUT/bin/latproxy" -in "$FLEET_DIR" -out "$OUT/fleets/lat-rtt50" -rtt 50ms
	PROXY_PID=$LAST_PID
	for rep in $(seq "$REPS"); do
		both "rtt50" "$rep" "$OUT/fleets/lat-rtt50"
		peer "rtt50" "$rep" "$OUT/fleets/lat-rtt50"
		floor "rtt50" "$rep" "$OUT/fleets/lat-rtt50"
	done
	stop_bg "$PROXY_PID"
	stop_bg "$FLEET_PID"
fi

if want wan; then
	# Issue 13: a WAN inside the simulator (-rtt/-jitter, every byte each
	# way, key exchange included) and FortiOS's clock (-timing real:
	# execute ping = 5 packets 1 s apart, debug reset 1.5 s, reads in
	# tenths of seconds). The floor is the least a scanner can do on that
	# wire and clock: a bare handshake plus the longest read the KB needs
	# (diagnose test application forticldd 7), at the same concurrency.
	WN=$N; BIG=5000
	if [ "$QUICK" = 1 ]; then BIG=1000; fi
	longest="diagnose test application forticldd 7"
	echo "== wan: $WN devices, 100 ms RTT, instant timing, concurrency 50 for every tool" >&2
	fleet wani -devices "$WN" -tokens 20 -rtt 100ms
	for rep in $(seq "$REPS"); do
		CONC=50 both "wan-instant" "$rep" "$FLEET_DIR"
		CONC=50 peer "wan-instant" "$rep" "$FLEET_DIR"
		CONC=50 floor "wan-instant" "$rep" "$FLEET_DIR"
	done
	stop_bg "$FLEET_PID"
	echo "== wan: $WN devices, 100 ms RTT, real timing, concurrency 50 for every tool" >&2
	fleet wanr -devices "$WN" -tokens 20 -rtt 100ms -timing real
	for rep in $(seq "$REPS"); do
		CONC=50 both "wan-real" "$rep" "$FLEET_DIR"
		CONC=50 peer "wan-real" "$rep" "$FLEET_DIR"
		CONC=50 FLOOR_CMD=$longest floor "wan-real" "$rep" "$FLEET_DIR"
	done
	stop_bg "$FLEET_PID"
	echo "== wan: $WN devices, 100 ms ± 30 ms RTT, real timing, default settings" >&2
	fleet wanj -devices "$WN" -tokens 20 -rtt 100ms -jitter 30ms -timing real
	for rep in $(seq "$REPS"); do
		CONC=0 scan "wan-jitter-default" ftktui "$rep" "$FLEET_DIR" "$OUT/bin/ftktui"
		CONC=1000 FLOOR_CMD=$longest floor "wan-jitter-default" "$rep" "$FLEET_DIR"
	done
	stop_bg "$FLEET_PID"
	echo "== wan: $BIG devices, 50 ms RTT, real timing, default settings" >&2
	fleet wanbig -devices "$BIG" -tokens 20 -rtt 50ms -timing real
	for rep in $(seq "$REPS"); do
		CONC=0 scan "wan-$BIG-default" ftktui "$rep" "$FLEET_DIR" "$OUT/bin/ftktui"
		CONC=1000 FLOOR_CMD=$longest floor "wan-$BIG-default" "$rep" "$FLEET_DIR"
	done
	stop_bg "$FLEET_PID"
fi

python3 "$REPO/bench/summarize.py" "$OUT" | tee "$OUT/summary.md"
