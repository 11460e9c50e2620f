#!/bin/sh
# run.sh BUILD_DIR GEN SOURCE_ROOT CASE [sanitized]: one hostile case of the issue's list, end to end
# through the ikescope binary. GEN (hostile_gen, gen.c) writes the damaged input at a small and at a
# large SCALE; at each, ikescope must
#  - exit 0 when the data is damaged, with the damage as anomalies and every readable message still
#    printed; or exit 2 when the file cannot be read further, with one line on stderr naming the file
#    and the byte offset or line (what was read before it still printed);
#  - never crash or hang (meson's timeout), and never print a sanitizer report (the ASan build);
#    exchanges (with its SVG ladder), correlate and compare read the same capture and exit as
#    dissect does;
#  - use no more memory at the large SCALE than at the small one, give or take SLACK_KB, and stay
#    under MAX_KB (peak RSS from /usr/bin/time; skipped when "sanitized": ASan's own heap grows).
# The advisory cases (tcpdump-CVE, wireshark-…) are the published IKE dissector advisories' input
# shapes, rebuilt by gen.c and committed under advisories/, where the fuzz targets take them as seeds.
# Prints "hostile CASE: ok (peak N KB at SCALE x, M KB at SCALE y)", or FAIL lines and exits 1.
set -u
[ $# -ge 4 ] || { echo "usage: run.sh BUILD_DIR GEN SOURCE_ROOT CASE [sanitized]" >&2; exit 2; }
BIN=$(cd "$1" && pwd)/src/cli/ikescope
GEN=$2
ROOT=$(cd "$3" && pwd)
CASE=$4
SANITIZED=${5:-}
SLACK_KB=2048
MAX_KB=65536
KD=$ROOT/tests/unit/data/keydump
export LC_ALL=C TZ=UTC

T=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-hostile.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "hostile $CASE: FAIL (scale $S): $*"; fail=1; }

# ik ARGS...: ikescope with its stdout in $T/out, stderr in $T/err, exit status in $rc and peak
# RSS in $rss (KB); a signal (crash) is a failure whatever the case expects
ik() {
	/usr/bin/time -f %M -o "$T/time" "$BIN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	rss=$(tail -n 1 "$T/time" | tr -cd 0-9)
	[ -n "$rss" ] || rss=0
	[ "$rc" -lt 128 ] || bad "ikescope $* died (status $rc): $(tail -n 3 "$T/err")"
	! grep -q 'Sanitizer\|runtime error:' "$T/err" || bad "sanitizer report: $(grep -m 3 'Sanitizer\|runtime error:' "$T/err")"
}
gen() { rm -f "$T"/in.*; "$GEN" "$CASE" "$S" "$T/in" "$ROOT" || bad "hostile_gen failed"; }

want_rc() { [ "$rc" = "$1" ] || bad "exit status $rc, want $1; stderr: $(head -n 3 "$T/err")"; }
# want_count N ERE [FILE]: exactly N lines of FILE (default the output) match
want_count() {
	n=$(grep -cE -e "$2" "${3:-$T/out}")
	[ "$n" = "$1" ] || bad "$n lines match /$2/, want $1"
}
want_quiet() { [ ! -s "$T/err" ] || bad "unexpected stderr: $(head -n 3 "$T/err")"; }
# want_error ERE: the whole of stderr is one line naming the input file and matching ERE
want_error() {
	[ "$(wc -l <"$T/err")" = 1 ] || bad "stderr is not one line: $(head -n 4 "$T/err")"
	grep -qE -e "^ikescope: ($T/)?in\.[a-z]+: $1" "$T/err" || bad "stderr $(cat "$T/err") does not match /$1/"
}
# want_verdict CLEAN_LOG: correlate gives the damaged log the verdict (symptom, cause) it gives
# the clean one, with the lab capture beside it
want_verdict() {
	want=$("$BIN" correlate -r "$KD/healthy-local.pcap" -l "$1" --json 2>/dev/null |
		jq -c 'select(.type == "verdict") | [.symptom, .cause]')
	ik correlate -r "$KD/healthy-local.pcap" -l "$T/in.log" --json
	want_rc 0
	got=$(jq -c 'select(.type == "verdict") | [.symptom, .cause]' "$T/out" 2>/dev/null)
	[ -n "$want" ] && [ "$got" = "$want" ] || bad "correlate verdict $got, want $want (as from $1)"
}
# the well-formed message every capture case ends with
good='0x0000600d0000600d/0x0000000000000000 IKE_SA_INIT request 0 \[ SA KE No N\(NATD_S_IP\) N\(NATD_D_IP\) \]$'
init_req='IKE_SA_INIT request 0 \[ SA KE No N\(NATD_S_IP\) N\(NATD_D_IP\) \]$'

# check: generate at $S and run the case's command and expectations; sets $rss
check() {
	gen
	case $CASE in
	trunc-file-header)
		ik dissect -r "$T/in.pcap"
		want_rc 2; want_error 'byte offset 0: '; want_count 0 .
		;;
	trunc-record-header | trunc-record-data | caplen-over-max)
		ik dissect -r "$T/in.pcap"
		want_rc 2; want_count "$S" "$init_req"
		want_error 'byte offset [0-9]+: (truncated dump file|invalid packet capture length)'
		;;
	caplen-over-snaplen)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet
		want_count "$S" '!length-too-large: IKE length 432 but only 86 bytes present'
		want_count 1 'INFORMATIONAL request 7 \[ \]$'
		;;
	caplen-over-frame)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count "$S" "$init_req"; want_count 0 '!'
		;;
	zero-length-frames)
		# an empty record is a frame (libpcap reads them): one anomaly each, then skipped
		ik dissect -V -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count 1 "^ *$((S + 1)) .*$good"
		want_count "$S" '!frame-truncated: empty record: the frame holds no bytes \(offset 0\)$'
		want_count 1 "^== $T/in.pcap: $((S + 1)) frames, 1 IKE messages, .* $S other frames"
		;;
	unknown-link-type)
		ik dissect -r "$T/in.pcap"
		want_rc 2; want_count 0 .
		grep -qE "^ikescope: (warning: )?$T/in\.pcap: (byte offset [0-9]+: )?link type 147 .*not supported" "$T/err" &&
			[ "$(wc -l <"$T/err")" = 1 ] || bad "stderr: $(cat "$T/err")"
		;;
	ike-length-larger)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count "$((S + 1))" "$init_req"; want_count 1 "$good"
		want_count "$S" '!length-too-large: IKE length 532 but only 432 bytes present'
		;;
	ike-length-smaller)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count 1 "$good"
		want_count "$S" '!length-mismatch: IKE length 332 but the datagram carries 432 bytes'
		;;
	payload-length-0-3)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count 1 "$good"
		for l in 0 1 2 3; do
			want_count "$S" "!length-too-small: V payload length $l is below the 4-byte header"
		done
		;;
	payload-chain-loop)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count 1 "$good"
		want_count "$S" '!length-too-small: N payload length 0 is below the 4-byte header'
		;;
	payload-chain-10000)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count 1 "$good"
		want_count "$([ "$S" -gt 64 ] && echo 1 || echo 0)" '!limit: more than 64 payloads'
		want_count 1 'INFORMATIONAL request 1 \[ V V V'
		;;
	sa-1000-proposals)
		ik dissect --json -r "$T/in.pcap"
		want_rc 0; want_quiet
		want_count "$([ "$S" -gt 32 ] && echo 1 || echo 0)" '"SA: more than 32 proposals; the rest is skipped"'
		n=$(head -n 1 "$T/out" | jq '.payloads[0].proposals | length')
		[ "$n" = "$([ "$S" -gt 32 ] && echo 32 || echo "$S")" ] || bad "$n proposals decoded"
		;;
	nesting)
		ik dissect -r "$T/in.pcap" -k "$T/in.keys"
		want_rc 0; want_quiet; want_count 1 "$good"
		want_count 1 '!malformed: E: an Encrypted payload inside an Encrypted payload'
		want_count 1 '!malformed: EF: an Encrypted Fragment inside an Encrypted payload'
		;;
	skf-65535-fragments)
		ik dissect -r "$T/in.pcap" -k "$T/in.keys"
		want_rc 0; want_quiet; want_count 1 "$good"
		want_count "$S" '\[ EF\([0-9]+/65535\) \]$'
		want_count "$S" '!limit: EF: 65535 fragments announced, at most [0-9]+ reassembled'
		;;
	ip-fragments-overlap)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count 1 "$good"
		want_count "$S" '!ip-fragment-overlap: dropped: overlapping fragments'
		;;
	tcp-length-0 | tcp-length-65535)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count 1 "$good"
		want_count 1 "\\[40000\\] -> 198.51.100.2\\[4500\\] 0x0000000000000100/0x0+ $init_req"
		if [ "$CASE" = tcp-length-0 ]; then
			want_count 1 '!tcp-stream: stream 40000>4500 abandoned: record length 0'
		else
			want_count 1 '!tcp-stream: capture ended with [0-9]+ bytes of an incomplete record'
		fi
		;;
	tcp-streams-at-cap)
		# every stream holds what it got (about 240 KB behind a hole) until the end, the oldest
		# evicted past 256 streams: peak memory is the caps' (256 x 256 KiB), not SCALE's
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count 1 "$good"
		want_count "$((S - 256))" '!tcp-stream: stream [0-9]+>4500 evicted: more than 256 streams'
		want_count 256 '!tcp-stream: capture ended with 240100 bytes of an incomplete record'
		;;
	spis-no-keys)
		ik dissect --json -r "$T/in.pcap" -k "$T/in.keys"
		want_rc 0; want_quiet
		want_count "$S" '"summary":"IKE_AUTH request 1 \[ E \]","decrypted":"no-key"'
		ik exchanges -r "$T/in.pcap" -k "$T/in.keys"
		want_rc 0; want_quiet; want_count 1 'initiator  ike-auth +1 +[0-9]+  unanswered'
		;;
	keyfile-garbage | keyfile-wrong-lengths | keyfile-unknown-algorithms)
		# every line but the one good row is named (file:line) and skipped; the good row decrypts
		ik dissect -r "$T/in.pcap" -k "$T/in.keys"
		want_rc 0
		want_count 1 'IKE_AUTH request 1 \[ N\(INIT_CONTACT\) \]$'
		lines=$(wc -l <"$T/in.keys")
		want_count "$((lines - 1))" "^ikescope: $T/in\\.keys:[0-9]+: " "$T/err"
		want_count "$((lines - 1))" . "$T/err"
		;;
	log-long-line | log-binary-junk)
		ik keys -l "$T/in.log"
		want_rc 0
		cmp -s "$T/out" "$KD/expected_table" || bad "keys -l: not the lab's key table"
		! grep -vqE "^ikescope: (warning: )?$T/in\\.log:[0-9]+: " "$T/err" || bad "stderr: $(head -n 2 "$T/err")"
		r1=$rss
		ik dissect --json -r "$KD/healthy-local.pcap" -l "$T/in.log"
		want_rc 0; want_count 6 '"decrypted":"yes"'
		[ "$r1" -lt "$rss" ] || rss=$r1
		r1=$rss
		want_verdict "$KD/charon-ike4.log"
		[ "$r1" -lt "$rss" ] || rss=$r1
		;;
	log-timestamps-backwards)
		ik keys -l "$T/in.log" -r "$KD/healthy-local.pcap"
		want_rc 0
		cmp -s "$T/out" "$KD/expected_table" || bad "keys -l -r: not the lab's key table"
		# the inserted lines are well-formed packet lines, which correlate keeps (up to its cap):
		# its memory follows their number, so it is not part of this case's peak
		r1=$rss
		want_verdict "$KD/syslog-no-spis.log"
		rss=$r1
		;;
	pcap-timestamps-backwards)
		ik dissect -r "$T/in.pcap"
		want_rc 0; want_quiet; want_count "$((2 * S))" 'IKE_SA_INIT (request|response) 0'
		ik exchanges --json -r "$T/in.pcap"
		want_rc 0; want_quiet
		want_count "$S" '"type":"exchange".*"outcome":"answered".*"rtt_ms":null'
		want_count 0 '"rtt_ms":-|"lifetime_ms":-'
		;;
	tcpdump-* | wireshark-*)
		# a published dissector advisory's input shape (gen.c says which, and what was not
		# available): the committed copy (which also seeds the fuzz corpora) is what gen.c
		# writes, every message is printed with the damage as anomalies, and every printer
		# (text, tree, JSON) and the tracker get through it
		cmp -s "$T/in.pcap" "$ROOT/tests/hostile/advisories/$CASE.pcap" ||
			bad "tests/hostile/advisories/$CASE.pcap differs from what hostile_gen writes"
		set -- -r "$T/in.pcap"
		[ -f "$T/in.keys" ] && set -- "$@" -k "$T/in.keys"
		ik dissect "$@"
		want_rc 0; want_quiet; want_count 1 "$good"
		case $CASE in
		tcpdump-cve-2017-12990) msgs=3 kinds="" ;;
		tcpdump-cve-2017-13039) msgs=6 kinds="3 length-too-large,1 length-too-small," ;;
		tcpdump-cve-2017-13689) msgs=5 kinds="1 length-too-large,2 malformed,1 trailing-bytes," ;;
		tcpdump-cve-2017-13690) msgs=7 kinds="2 length-too-large,3 length-too-small,2 malformed," ;;
		wireshark-wnpa-sec-2019-04) msgs=6 kinds="3 decrypt-failed,1 length-too-small," ;;
		wireshark-cve-2011-3266) msgs=5 kinds="2 length-too-large,3 malformed,2 trailing-bytes," ;;
		esac
		want_count "$msgs" '^ +[0-9]+ '
		got=$(sed -n 's/^ *!\([a-z-]*\):.*/\1/p' "$T/out" | sort | uniq -c | awk '{ printf "%d %s,", $1, $2 }')
		[ "$got" = "$kinds" ] || bad "anomalies: $got, want $kinds"
		r1=$rss
		ik dissect -V "$@"
		want_rc 0; want_quiet
		ik dissect --json "$@"
		want_rc 0; want_quiet; want_count "$msgs" '^\{"v":1,"type":"msg"'
		jq -e . "$T/out" >/dev/null || bad "dissect --json: not JSON"
		ik exchanges "$@"
		want_rc 0; want_quiet
		[ "$r1" -lt "$rss" ] || rss=$r1
		;;
	*)
		echo "hostile: no case $CASE"
		exit 1
		;;
	esac
}

# also_others: every other command that reads captures gets through the same input, exits as
# dissect does, and prints no sanitizer report (their peak memory is not this case's)
also_others() {
	[ -f "$T/in.pcap" ] || return 0
	r1=$rss
	set -- -r "$T/in.pcap"
	[ -f "$T/in.keys" ] && set -- "$@" -k "$T/in.keys"
	"$BIN" dissect "$@" >/dev/null 2>&1
	drc=$?
	ik exchanges "$@" --svg "$T/ladder.svg"; want_rc "$drc"
	ik correlate "$@" --json; want_rc "$drc"
	ik compare -r "$T/in.pcap" "$@" --json; want_rc "$drc"
	rss=$r1
}

# the small and the large amount of damage
case $CASE in
trunc-file-header | unknown-link-type | tcpdump-* | wireshark-*) scales="1" ;;
payload-chain-10000) scales="50 10000" ;;
sa-1000-proposals) scales="20 1000" ;;
nesting) scales="2 300" ;;
zero-length-frames) scales="10 100000" ;;
log-long-line) scales="1 8" ;;
log-binary-junk | log-timestamps-backwards) scales="1 40" ;;
# both past the 256-stream cap, which holds up to 64 MiB (the absolute bound is raised to match)
tcp-streams-at-cap) scales="260 400" MAX_KB=98304 ;;
# the record stays incomplete below 65,535 bytes (60 segments of 1000)
tcp-length-65535) scales="1 60" ;;
# each request and response is a new IKE SA, which the tracker keeps (up to its cap): memory follows
# the number of SAs, not the damage, so there is one scale only
pcap-timestamps-backwards) scales="500" ;;
skf-65535-fragments | ip-fragments-overlap | spis-no-keys) scales="10 5000" ;;
keyfile-*) scales="10 3000" ;;
*) scales="1 2000" ;;
esac

peaks=""
first=""
for S in $scales; do
	check
	also_others
	peaks="$peaks${peaks:+, }$rss KB at scale $S"
	if [ -z "$SANITIZED" ]; then
		[ "$rss" -le "$MAX_KB" ] || bad "peak RSS $rss KB over $MAX_KB KB"
		[ -z "$first" ] || [ "$rss" -le $((first + SLACK_KB)) ] ||
			bad "peak RSS grew with the damage: $first KB -> $rss KB"
	fi
	[ -n "$first" ] || first=$rss
done
[ "$fail" = 0 ] || exit 1
echo "hostile $CASE: ok (peak $peaks${SANITIZED:+, sanitized: not bounded})"
