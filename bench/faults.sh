#!/usr/bin/env bash
# bench/faults.sh — the full reliability suite of issue #9 (SECURITY.md).
#
#   bench/faults.sh              full: 1,000-device fault matrix, long floods,
#                                every tests/ package with -long, then each
#                                fuzz target for $FUZZTIME (default 2m)
#   bench/faults.sh --race       the same under the race detector (slower)
#   bench/faults.sh --no-fuzz    skip the fuzzing pass
#   FUZZTIME=30m bench/faults.sh a long fuzzing campaign
#
# `go test ./...` (and .ci/run) already runs the quick versions: 100 devices,
# short floods, 3 s of fuzzing per target.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

RACE=()
FUZZ=1
while [ $# -gt 0 ]; do
	case "$1" in
	--race) RACE=(-race) ;;
	--no-fuzz) FUZZ=0 ;;
	*) echo "usage: $0 [--race] [--no-fuzz]" >&2; exit 2 ;;
	esac
	shift
done
FUZZTIME="${FUZZTIME:-2m}"

echo "== fault matrix, cleanup, hostile devices, secrets (-long)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
go test "${RACE[@]}" -count=1 -timeout 60m -v ./tests/... -args -long >"$log" 2>&1 || status=$?
grep -E '^(--- |PASS|FAIL|ok|panic)|^\s+--- |matrix_test.go:(9|10|11)[0-9]:|flood_test.go:[0-9]+: (huge|endless|prompt|debug)' "$log" || true
if [ "$status" != 0 ]; then
	echo "---- full log ----"; cat "$log"
	exit "$status"
fi

echo "== fault tests inside packages"
go test "${RACE[@]}" -count=1 -run 'Fault|ConnectionLost|GoneAfter|CancelledAfter|DebugCapture' ./fleet/ ./device/

if [ "$FUZZ" = 1 ]; then
	echo "== fuzzing, $FUZZTIME per target"
	for pkg in $(go list ./...); do
		dir=$(go list -f '{{.Dir}}' "$pkg")
		for t in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/func //' | sort -u); do
			echo "-- $pkg $t"
			go test -run='^$' -fuzz="^${t}\$" -fuzztime="$FUZZTIME" "$pkg"
		done
	done
fi
echo "== faults: ok"
