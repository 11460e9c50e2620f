#!/bin/sh
# run.sh: the benchmark of issue 9. Generates the large inputs from captures/ (tests/bench/gen),
# then runs every tool on the same files, output to /dev/null, and prints one table: wall time,
# messages/s, MB/s, peak RSS, and each ikescope figure against tshark and the bare libpcap loop.
#
#   run.sh [--short] [--build DIR] [--out DIR] [--msgs N] [--slice N] [--isp-bytes N]
#          [--isp-slice-bytes N] [--log-bytes N] [--keep]
#
# --short: small files, a few seconds; checks only that every tool ran and the table printed.
# tshark runs on the first --slice messages of the IKE-dense file (and --isp-slice-bytes of the
# ISP-style file, the same frames as the start of the full one) and its time is scaled linearly;
# the table says so. Exit status: 0 when every tool ran, 1 otherwise.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build
OUT=""
SHORT=0
KEEP=0
MSGS=1000000
SLICE=100000
ISP_BYTES=2000000000
ISP_SLICE=200000000
LOG_BYTES=1000000000
# The key table stays within one keyring (IKE_KEYRING_MAX_SAS in include/ikescope/keys.h): later
# copies of an IKE SA reuse the SPIs of earlier ones, so every message still decrypts.
MAXKEYS=$(sed -n 's/^#define IKE_KEYRING_MAX_SAS \([0-9]*\).*/\1/p' "$ROOT/include/ikescope/keys.h")

die() { echo "run.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--short) SHORT=1; MSGS=2000; SLICE=2000; ISP_BYTES=2000000; ISP_SLICE=2000000; LOG_BYTES=1000000 ;;
	--build) BUILD=$2; shift ;;
	--out) OUT=$2; shift ;;
	--msgs) MSGS=$2; shift ;;
	--slice) SLICE=$2; shift ;;
	--isp-bytes) ISP_BYTES=$2; shift ;;
	--isp-slice-bytes) ISP_SLICE=$2; shift ;;
	--log-bytes) LOG_BYTES=$2; shift ;;
	--keep) KEEP=1 ;;
	*) die "unknown option '$1'" ;;
	esac
	shift
done
[ "$SLICE" -le "$MSGS" ] || SLICE=$MSGS
[ "$ISP_SLICE" -le "$ISP_BYTES" ] || ISP_SLICE=$ISP_BYTES

IKESCOPE=$BUILD/src/cli/ikescope
GEN=$BUILD/tests/bench/gen
BARE=$BUILD/tests/bench/bareloop
for b in "$IKESCOPE" "$GEN" "$BARE"; do [ -x "$b" ] || die "$b not built (ninja -C $BUILD)"; done
for p in tshark tcpdump /usr/bin/time; do
	command -v "$p" >/dev/null 2>&1 || die "$p missing (tests/setup-deps.sh installs it)"
done

if [ -z "$OUT" ]; then
	OUT=$(mktemp -d /tmp/ikescope-bench.XXXXXX)
	[ "$KEEP" = 1 ] || trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT"
RES=$OUT/results
: >"$RES"

# --- generate ---------------------------------------------------------------------------------
set --
for d in "$ROOT"/captures/*/; do
	[ -f "$d/local.pcap" ] && [ -f "$d/ikev2_decryption_table" ] && set -- "$@" "${d%/}"
done
[ $# -gt 0 ] || die "no scenario with local.pcap and ikev2_decryption_table under captures/"

echo "generating into $OUT" >&2
field() { sed -n "s/.*\\<$1=\\([0-9]*\\).*/\\1/p"; }
ike_info=$("$GEN" ike "$OUT/ike.pcap" "$OUT/ike.table" "$MSGS" "$MAXKEYS" "$@" 2>"$OUT/gen.err") ||
	die "gen ike failed: $(cat "$OUT/gen.err")"
if [ "$SLICE" -lt "$MSGS" ]; then
	slice_info=$("$GEN" ike "$OUT/ike-slice.pcap" "$OUT/ike-slice.table" "$SLICE" "$MAXKEYS" "$@" 2>/dev/null) ||
		die "gen ike (slice) failed"
else
	slice_info=$ike_info
	ln -sf ike.pcap "$OUT/ike-slice.pcap"
	ln -sf ike.table "$OUT/ike-slice.table"
fi
# many.pcap: as many messages, but every copy of an IKE SA is a new one (no key table, so no wrap):
# the file on which exchanges must stay within its memory bound however many SAs go by
many_info=$("$GEN" ike "$OUT/many.pcap" /dev/null "$MSGS" 0 "$@" 2>/dev/null) || die "gen ike (many) failed"
if [ "$SLICE" -lt "$MSGS" ]; then
	many_slice_info=$("$GEN" ike "$OUT/many-slice.pcap" /dev/null "$SLICE" 0 "$@" 2>/dev/null) ||
		die "gen ike (many, slice) failed"
else
	many_slice_info=$many_info
	ln -sf many.pcap "$OUT/many-slice.pcap"
fi
isp_info=$("$GEN" isp "$OUT/isp.pcap" "$ISP_BYTES" "$OUT/ike.pcap") || die "gen isp failed"
if [ "$ISP_SLICE" -lt "$ISP_BYTES" ]; then
	isp_slice_info=$("$GEN" isp "$OUT/isp-slice.pcap" "$ISP_SLICE" "$OUT/ike.pcap") ||
		die "gen isp (slice) failed"
else
	isp_slice_info=$isp_info
	ln -sf isp.pcap "$OUT/isp-slice.pcap"
fi
log_info=$("$GEN" log "$OUT/vedge.log" "$LOG_BYTES" "$ROOT"/captures/*/local.log) || die "gen log failed"

IKE_MSGS=$(echo "$ike_info" | field ike)
IKE_FRAMES=$(echo "$ike_info" | field frames)
IKE_SLICE_MSGS=$(echo "$slice_info" | field ike)
ISP_FRAMES=$(echo "$isp_info" | field frames)
ISP_IKE=$(echo "$isp_info" | field ike)
ISP_SLICE_FRAMES=$(echo "$isp_slice_info" | field frames)
size() { wc -c <"$1" | tr -d ' '; }
IKE_SIZE=$(size "$OUT/ike.pcap")
IKE_SLICE_SIZE=$(size "$OUT/ike-slice.pcap")
ISP_SIZE=$(size "$OUT/isp.pcap")
ISP_SLICE_SIZE=$(size "$OUT/isp-slice.pcap")
LOG_SIZE=$(size "$OUT/vedge.log")
MANY_MSGS=$(echo "$many_info" | field ike)
MANY_COPIES=$(echo "$many_info" | field copies)
MANY_SIZE=$(size "$OUT/many.pcap")
MANY_SLICE_MSGS=$(echo "$many_slice_info" | field ike)
MANY_SLICE_SIZE=$(size "$OUT/many-slice.pcap")
LOG_LINES=$(echo "$log_info" | field lines)

# A throw-away Wireshark profile holding only the key table, as in captures/lab/lab.sh.
WS_KEYS=$OUT/ws-keys WS_NOKEYS=$OUT/ws-nokeys
mkdir -p "$WS_KEYS/.config/wireshark" "$WS_NOKEYS/.config/wireshark"
cp "$OUT/ike-slice.table" "$WS_KEYS/.config/wireshark/ikev2_decryption_table"

# --- measure ----------------------------------------------------------------------------------
FAILED=0
now() { date +%s%N; }

# measure TOOL FILE-LABEL FILE MSGS BYTES SCALE CMD...: one results line
# "tool file wall_us msgs bytes rss_kb scale cpu_s"; the command's stdout goes to /dev/null.
measure() {
	local tool=$1 label=$2 file=$3 msgs=$4 bytes=$5 scale=$6 t0 t1 rc
	shift 6
	echo "  $tool on $label" >&2
	t0=$(now)
	rc=0
	/usr/bin/time -f "%M %U %S" -o "$OUT/rss" "$@" "$file" >/dev/null 2>"$OUT/err" || rc=$?
	t1=$(now)
	if [ "$rc" -ne 0 ]; then
		echo "run.sh: $tool on $label exited $rc: $(tail -n 3 "$OUT/err")" >&2
		FAILED=1
		echo "$tool $label - $msgs $bytes - $scale -" >>"$RES"
		return 0
	fi
	# user + system CPU seconds: on a shared machine wall time also counts the others' load
	set -- $(tail -n 1 "$OUT/rss")
	echo "$tool $label $(( (t1 - t0) / 1000 )) $msgs $bytes $1 $scale $(awk -v u="$2" -v s="$3" 'BEGIN { print u + s }')" >>"$RES"
}

K="-k $OUT/ike.table"
SCALE_IKE=$(awk -v a="$IKE_MSGS" -v b="$IKE_SLICE_MSGS" 'BEGIN { printf "%.6f", a / b }')
SCALE_ISP=$(awk -v a="$ISP_SIZE" -v b="$ISP_SLICE_SIZE" 'BEGIN { printf "%.6f", a / b }')
SCALE_MANY=$(awk -v a="$MANY_MSGS" -v b="$MANY_SLICE_MSGS" 'BEGIN { printf "%.6f", a / b }')
TS_FIELDS="-e frame.number -e frame.time_epoch -e isakmp.ispi -e isakmp.rspi -e isakmp.exchangetype
	-e isakmp.flags -e isakmp.messageid -e isakmp.nextpayload -e isakmp.enc.decrypted"

for f in ike isp; do
	if [ $f = ike ]; then
		msgs=$IKE_MSGS bytes=$IKE_SIZE sl_msgs=$IKE_SLICE_MSGS sl_bytes=$IKE_SLICE_SIZE scale=$SCALE_IKE
	else
		msgs=$ISP_FRAMES bytes=$ISP_SIZE sl_msgs=$ISP_SLICE_FRAMES sl_bytes=$ISP_SLICE_SIZE scale=$SCALE_ISP
	fi
	file=$OUT/$f.pcap slice=$OUT/$f-slice.pcap
	measure bareloop $f "$file" "$msgs" "$bytes" 1 "$BARE"
	# shellcheck disable=SC2086
	measure "dissect--json" $f "$file" "$msgs" "$bytes" 1 "$IKESCOPE" dissect --json -r
	# shellcheck disable=SC2086
	measure "dissect--json-k" $f "$file" "$msgs" "$bytes" 1 "$IKESCOPE" dissect --json $K -r
	measure "exchanges" $f "$file" "$msgs" "$bytes" 1 "$IKESCOPE" exchanges -r
	# shellcheck disable=SC2086
	measure "exchanges-k" $f "$file" "$msgs" "$bytes" 1 "$IKESCOPE" exchanges $K -r
	measure "tcpdump-vv" $f "$file" "$msgs" "$bytes" 1 tcpdump -n -vv -r
	measure "tshark-json" $f "$slice" "$sl_msgs" "$sl_bytes" "$scale" \
		env HOME="$WS_NOKEYS" XDG_CONFIG_HOME="$WS_NOKEYS/.config" tshark -n -Y isakmp -T json -r
	measure "tshark-json-k" $f "$slice" "$sl_msgs" "$sl_bytes" "$scale" \
		env HOME="$WS_KEYS" XDG_CONFIG_HOME="$WS_KEYS/.config" tshark -n -Y isakmp -T json -r
	# shellcheck disable=SC2086
	measure "tshark-fields-k" $f "$slice" "$sl_msgs" "$sl_bytes" "$scale" \
		env HOME="$WS_KEYS" XDG_CONFIG_HOME="$WS_KEYS/.config" tshark -n -Y isakmp -T fields $TS_FIELDS -r
done
measure bareloop many "$OUT/many.pcap" "$MANY_MSGS" "$MANY_SIZE" 1 "$BARE"
measure "exchanges" many "$OUT/many.pcap" "$MANY_MSGS" "$MANY_SIZE" 1 "$IKESCOPE" exchanges -r
# many.pcap has no key table: tshark -T fields without one is what exchanges is set against there
# shellcheck disable=SC2086
measure "tshark-fields" many "$OUT/many-slice.pcap" "$MANY_SLICE_MSGS" "$MANY_SLICE_SIZE" "$SCALE_MANY" \
	env HOME="$WS_NOKEYS" XDG_CONFIG_HOME="$WS_NOKEYS/.config" tshark -n -Y isakmp -T fields $TS_FIELDS -r
# correlate over the log alone measures the log reader; compare reads the ISP-style capture as two
# vantage points of one path (the same file twice: every message is matched, none is lost).
measure "correlate" log "$OUT/vedge.log" "$LOG_LINES" "$LOG_SIZE" 1 "$IKESCOPE" correlate -l
measure "compare" isp "$OUT/isp.pcap" "$(( 2 * ISP_FRAMES ))" "$(( 2 * ISP_SIZE ))" 1 \
	"$IKESCOPE" compare -r "$OUT/isp.pcap" -r
# shellcheck disable=SC2086
measure "compare-k" isp "$OUT/isp.pcap" "$(( 2 * ISP_FRAMES ))" "$(( 2 * ISP_SIZE ))" 1 \
	"$IKESCOPE" compare $K -r "$OUT/isp.pcap" -r

# --- table ------------------------------------------------------------------------------------
echo
echo "ike.pcap: $IKE_MSGS IKE messages ($IKE_FRAMES frames), $(( IKE_SIZE / 1000000 )) MB, key table $(wc -l <"$OUT/ike.table" | tr -d ' ') rows"
echo "isp.pcap: $ISP_FRAMES frames ($ISP_IKE IKE), $(( ISP_SIZE / 1000000 )) MB"
echo "many.pcap: $MANY_MSGS IKE messages, $(( MANY_SIZE / 1000000 )) MB, $MANY_COPIES copies of the scenarios with IKE SAs all distinct"
echo "vedge.log: $LOG_LINES lines, $(( LOG_SIZE / 1000000 )) MB"
echo "tshark ran on the first $IKE_SLICE_MSGS messages of ike.pcap and many.pcap and the first $(( ISP_SLICE_SIZE / 1000000 )) MB of isp.pcap; its times are scaled (x$SCALE_IKE, x$SCALE_MANY, x$SCALE_ISP), marked *, its RSS is the slice's"
echo
awk '
function ref(f, t) { return (f SUBSEP t) in wall ? wall[f, t] : -1 }
{
	tool[NR] = $1; file[NR] = $2; n = NR
	if ($3 != "-") wall[$2, $1] = $3 / 1e6 * $7
	msgs[NR] = $4; bytes[NR] = $5; rss[NR] = $6; scale[NR] = $7; cpu[NR] = $8
}
END {
	fmt = "| %-16s | %-4s | %10s | %8s | %12s | %8s | %8s | %12s | %10s |\n"
	printf fmt, "tool", "file", "wall s", "cpu s", "msg/s", "MB/s", "RSS MB", "x vs tshark", "x bare loop"
	printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "------------------", "------", "------------", "----------",
		"--------------", "----------", "----------", "--------------", "------------"
	for (i = 1; i <= n; i++) {
		t = tool[i]; f = file[i]
		if (!((f SUBSEP t) in wall)) {
			printf fmt, t, f, "FAILED", "", "", "", "", "", ""
			continue
		}
		w = wall[f, t]; star = scale[i] != 1 ? "*" : ""
		full = msgs[i] * scale[i]; fb = bytes[i] * scale[i]
		vs = ""; bare = ""
		if (t ~ /^(dissect|exchanges)/) {
			r = t ~ /^dissect/ ? (t ~ /-k$/ ? "tshark-json-k" : "tshark-json") : "tshark-fields-k"
			if (t == "exchanges" && ref(f, r) < 0) r = "tshark-fields"
			if (ref(f, r) > 0 && w > 0) vs = sprintf("%.1f faster", ref(f, r) / w)
			if (ref(f, "bareloop") > 0) bare = sprintf("%.1f", w / ref(f, "bareloop"))
		}
		# compare reads the file twice: against tshark reading it twice, and two bare loops
		if (t ~ /^compare/ && ref(f, "tshark-fields-k") > 0 && w > 0)
			vs = sprintf("%.1f faster", 2 * ref(f, "tshark-fields-k") / w)
		if (t ~ /^compare/ && ref(f, "bareloop") > 0) bare = sprintf("%.1f", w / (2 * ref(f, "bareloop")))
		mps = w > 0 ? sprintf("%.0f", full / w) : "-"
		mbs = w > 0 ? sprintf("%.1f", fb / 1e6 / w) : "-"
		printf fmt, t, f, sprintf("%.2f%s", w, star), sprintf("%.2f%s", cpu[i] * scale[i], star), mps, mbs,
			sprintf("%.1f%s", rss[i] / 1024, star), vs, bare
	}
}' "$RES"
echo
echo "msg/s: IKE messages/s on ike.pcap and many.pcap, frames/s on isp.pcap, lines/s on vedge.log. 'x vs tshark': dissect"
echo "against tshark -T json (with keys: both with the key table), exchanges against tshark -T fields with"
echo "keys (on many.pcap, which has none, without), compare against tshark -T fields with keys reading"
echo "isp.pcap twice. 'x bare loop': wall time over that of a bare libpcap loop on the same file (compare"
echo "reads isp.pcap twice, against two bare loops). correlate runs on vedge.log alone (neither tshark"
echo "nor libpcap reads logs), compare on isp.pcap as two vantage points (-r isp.pcap -r isp.pcap)."
echo "cpu s: user + system time of the tool (scaled like wall for tshark), which other work on a shared"
echo "machine does not inflate as much as wall time; dissect decodes and prints on two threads, so its"
echo "cpu s may exceed its wall time."
[ "$FAILED" = 0 ] || { echo "run.sh: some tools failed" >&2; exit 1; }
