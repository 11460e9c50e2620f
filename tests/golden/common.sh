# common.sh: sourced by run.sh and regen.sh. The captures are the *.pcap files of each scenario
# directory under captures/; the expected output of one is tests/golden/SCENARIO/VANTAGE.txt
# (ikescope dissect) and VANTAGE.json (ikescope dissect --json).

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
# from the top of the tree, so that the output names the file the same way on every machine
dissect() {
	(cd "$ROOT" && "$BIN" dissect -r "captures/$1/$2.pcap") >"$3.txt" 2>"$3.err" || {
		echo "golden: FAIL: ikescope dissect -r captures/$1/$2.pcap exited $?: $(tail -n 1 "$3.err")"
		return 1
	}
	(cd "$ROOT" && "$BIN" dissect -r "captures/$1/$2.pcap" --json) >"$3.json" 2>"$3.err" || {
		echo "golden: FAIL: ikescope dissect -r captures/$1/$2.pcap --json exited $?: $(tail -n 1 "$3.err")"
		return 1
	}
}
