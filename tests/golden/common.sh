# common.sh: sourced by run.sh and regen.sh. The captures are the *.pcap files of each scenario
# directory under captures/; the expected output of one is tests/golden/SCENARIO/VANTAGE.txt
# (ikescope dissect -r CAP -k KEYS) and VANTAGE.json (the same with --json).

[ $# -ge 1 ] || { echo "usage: $(basename "$0") BUILD_DIR [SCENARIO]..." >&2; exit 2; }
GOLDEN=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$GOLDEN/../.." && pwd)
BUILD=$(cd "$1" && pwd) || exit 2
shift
BIN=$BUILD/src/cli/ikescope
[ -x "$BIN" ] || { echo "golden: FAIL: $BIN is not built" >&2; exit 1; }
# the output must not depend on who runs it, or where
export LC_ALL=C TZ=UTC

# scenarios: every directory under captures/ that holds a capture
scenarios() {
	for d in "$ROOT"/captures/*/; do
		set -- "$d"*.pcap
		[ -f "$1" ] && basename "$d"
	done
	return 0
}

# dissect SCENARIO VANTAGE OUT_PREFIX: OUT_PREFIX.txt, .json, .err; paths as a user types them
# from the top of the tree, so that the output names the files the same way on every machine.
# With the scenario's keys (-k ikev2_decryption_table) when it has them: the decrypted view.
# Each run is made again on one core (taskset): dissect decodes and prints on two threads when it
# has two cores and on one otherwise, and the output must not show which.
dissect() {
	set -- "$1" "$2" "$3" "captures/$1/$2.pcap"
	if [ -f "$ROOT/captures/$1/ikev2_decryption_table" ]; then
		set -- "$@" -k "captures/$1/ikev2_decryption_table"
	fi
	_o=$3
	shift 3
	for _fmt in txt json; do
		_j=
		[ "$_fmt" = json ] && _j=--json
		(cd "$ROOT" && "$BIN" dissect -r "$@" $_j) >"$_o.$_fmt" 2>"$_o.err" || {
			echo "golden: FAIL: ikescope dissect -r $* $_j exited $?: $(tail -n 1 "$_o.err")"
			return 1
		}
		taskset -c 0 true 2>/dev/null || continue # no taskset, or CPU 0 not ours
		(cd "$ROOT" && taskset -c 0 "$BIN" dissect -r "$@" $_j) >"$_o.one.$_fmt" 2>"$_o.err" || {
			echo "golden: FAIL: on one core, ikescope dissect -r $* $_j exited $?: $(tail -n 1 "$_o.err")"
			return 1
		}
		cmp -s "$_o.$_fmt" "$_o.one.$_fmt" || {
			echo "golden: FAIL: ikescope dissect -r $* $_j: the output on one core differs:"
			diff -u "$_o.$_fmt" "$_o.one.$_fmt" | head -n 20
			rm -f "$_o.one.$_fmt"
			return 1
		}
		rm -f "$_o.one.$_fmt"
	done
}
