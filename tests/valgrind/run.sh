#!/bin/sh
# run.sh BUILD_DIR SCENARIO | --advisories: the golden commands of one scenario (tests/golden: dissect with the
# scenario's keys, as text and as JSON) under valgrind memcheck, all of the scenario's captures in
# one run each (valgrind's start-up is most of the cost). Fails on any memcheck error or leak
# (--error-exitcode), on a non-zero exit, and when the output differs from the same command run
# without valgrind.
set -u
BIN=$(cd "$1" && pwd)/src/cli/ikescope
S=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export LC_ALL=C TZ=UTC
command -v valgrind >/dev/null || { echo "valgrind: not installed (tests/setup-deps.sh)"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-valgrind.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 1

fail=0
# vg ARGS...: ikescope dissect ARGS under memcheck, then without it, the outputs compared
vg() {
	valgrind -q --error-exitcode=1 --leak-check=full --log-file="$T/vg" "$BIN" dissect "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" != 0 ] || [ -s "$T/vg" ]; then
		echo "valgrind $S: FAIL: ikescope dissect $* exited $rc under valgrind:"
		cat "$T/vg" "$T/err"
		fail=1
		return
	fi
	"$BIN" dissect "$@" >"$T/plain" 2>/dev/null
	cmp -s "$T/out" "$T/plain" || { echo "valgrind $S: FAIL: dissect $* prints otherwise under valgrind"; fail=1; }
}

# --advisories: each rebuilt advisory input of tests/hostile (damaged on purpose), with the full
# payload tree and as JSON
if [ "$S" = --advisories ]; then
	n=0
	for cap in tests/hostile/advisories/*.pcap; do
		set -- -r "$cap"
		[ -f "${cap%.pcap}.keys" ] && set -- "$@" -k "${cap%.pcap}.keys"
		vg "$@" -V
		vg "$@" --json
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || { echo "valgrind $S: no file under tests/hostile/advisories"; exit 1; }
	[ "$fail" = 0 ] && echo "valgrind $S: ok (memcheck clean, tree and JSON, $n advisory inputs)"
	exit "$fail"
fi

set --
n=0
for cap in captures/"$S"/*.pcap; do
	[ -f "$cap" ] && set -- "$@" -r "$cap" && n=$((n + 1))
done
[ $# -gt 0 ] || { echo "valgrind $S: no capture under captures/$S"; exit 1; }
[ -f "captures/$S/ikev2_decryption_table" ] && set -- "$@" -k "captures/$S/ikev2_decryption_table"
vg "$@"
vg "$@" --json
[ "$fail" = 0 ] && echo "valgrind $S: ok (memcheck clean, text and JSON, $n captures)"
exit "$fail"
