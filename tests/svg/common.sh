# common.sh: sourced by run.sh and regen.sh. The ladder of a scenario is what
# `ikescope exchanges -r local.pcap -r isp.pcap -r peer.pcap -k ikev2_decryption_table --svg`
# draws from its captures (those it has, in that order; the keys when it has them);
# its expected form is tests/svg/golden/SCENARIO.svg.

[ $# -ge 1 ] || { echo "usage: $(basename "$0") BUILD_DIR [SCENARIO]..." >&2; exit 2; }
SVGDIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SVGDIR/../.." && pwd)
BUILD=$(cd "$1" && pwd) || exit 2
shift
BIN=$BUILD/src/cli/ikescope
[ -x "$BIN" ] || { echo "svg: FAIL: $BIN is not built" >&2; exit 1; }
export LC_ALL=C TZ=UTC

scenarios() {
	for d in "$ROOT"/captures/*/; do
		set -- "$d"*.pcap
		[ -f "$1" ] && basename "$d"
	done
	return 0
}

# draw SCENARIO OUT.svg: paths as a user types them from the top of the tree
draw() {
	_s=$1 _o=$2
	set --
	for v in local isp peer; do
		[ -f "$ROOT/captures/$_s/$v.pcap" ] && set -- "$@" -r "captures/$_s/$v.pcap"
	done
	[ -f "$ROOT/captures/$_s/ikev2_decryption_table" ] && set -- "$@" -k "captures/$_s/ikev2_decryption_table"
	(cd "$ROOT" && "$BIN" exchanges "$@" --svg "$_o") >/dev/null 2>"$_o.err" || {
		echo "svg: FAIL: ikescope exchanges $* --svg exited $?: $(tail -n 1 "$_o.err")"
		return 1
	}
}
