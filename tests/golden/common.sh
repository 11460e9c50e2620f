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
dissect() {
	set -- "$1" "$2" "$3" "captures/$1/$2.pcap"
	if [ -f "$ROOT/captures/$1/ikev2_decryption_table" ]; then
		set -- "$@" -k "captures/$1/ikev2_decryption_table"
	fi
	_o=$3
	shift 3
	(cd "$ROOT" && "$BIN" dissect -r "$@") >"$_o.txt" 2>"$_o.err" || {
		echo "golden: FAIL: ikescope dissect -r $* exited $?: $(tail -n 1 "$_o.err")"
		return 1
	}
	(cd "$ROOT" && "$BIN" dissect -r "$@" --json) >"$_o.json" 2>"$_o.err" || {
		echo "golden: FAIL: ikescope dissect -r $* --json exited $?: $(tail -n 1 "$_o.err")"
		return 1
	}
}
