#!/bin/sh
# run.sh BUILD_DIR: `ikescope compare` end to end on the lab's captures: DPD losses in both
# directions with two and three captures, NAT, healthy runs, a capture whose clock editcap -t
# shifted, captures editcap -A/-B cut so that they overlap only in part, charon logs standing in
# for a capture, and the exit statuses. Prints one line per failed check; exits 1 if any failed.
set -u
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
ike=$build/src/cli/ikescope
cap=$src/captures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC # editcap -A/-B read local time
fails=0
ok() { :; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
for t in editcap jq; do
	command -v $t >/dev/null 2>&1 || { echo "FAIL: $t is missing (tests/setup-deps.sh installs it)"; exit 1; }
done

# check NAME JSONFILE JQ-EXPR EXPECTED: the jq expression over the slurped JSON lines
check() {
	got=$(jq -r -s "$3" "$2" 2>&1)
	[ "$got" = "$4" ] && ok || bad "$1: got '$got', expected '$4'"
}

# The lost message of a scenario: status, hop, loss, transmissions lost
lost='[.[] | select(.type == "compare" and .lost > 0 and .status == "lost")]
	| map("\(.exchange) \(if .response then "response" else "request" end) \(.mid) \(.status) \(.lost_between | join("/")) \(.loss) \(.lost)/\(.transmissions)") | join("; ")'

d=$cap/dpd-lost-toward-peer
"$ike" compare -r "$d/local.pcap" -r "$d/isp.pcap" -r "$d/peer.pcap" --json >"$tmp/p3.json" || bad "toward-peer 3: exit $?"
check "toward-peer, three captures" "$tmp/p3.json" "$lost" \
	"INFORMATIONAL request 2 lost isp.pcap/peer.pcap toward-peer 4/4"
check "toward-peer, three captures: summary" "$tmp/p3.json" \
	'.[] | select(.type == "compare_summary") | "\(.toward_peer.lost) \(.toward_local.lost) \(.toward_peer.lost_between[0].after)>\(.toward_peer.lost_between[0].before)"' \
	"5 0 isp.pcap>peer.pcap"
"$ike" compare -r "$d/local.pcap" -r "$d/peer.pcap" --json >"$tmp/p2.json" || bad "toward-peer 2: exit $?"
check "toward-peer, two captures" "$tmp/p2.json" "$lost" \
	"INFORMATIONAL request 2 lost local.pcap/peer.pcap toward-peer 4/4"
"$ike" compare -r "$d/local.pcap" -r "$d/isp.pcap" -r "$d/peer.pcap" >"$tmp/p3.txt" || bad "toward-peer text: exit $?"
grep -qF "INFORMATIONAL request 2 (DPD) from local: sent 4 times, reached isp.pcap 4/4, reached peer.pcap 0/4 → lost between isp.pcap and peer.pcap" "$tmp/p3.txt" ||
	bad "toward-peer text: no conclusion sentence"

d=$cap/dpd-lost-toward-local
"$ike" compare -r "$d/local.pcap" -r "$d/isp.pcap" -r "$d/peer.pcap" --json >"$tmp/l3.json" || bad "toward-local 3: exit $?"
check "toward-local, three captures" "$tmp/l3.json" "$lost" \
	"INFORMATIONAL response 2 lost peer.pcap/isp.pcap toward-local 4/4; IKE_SA_INIT response 0 lost peer.pcap/isp.pcap toward-local 3/4"
check "toward-local: the answer after the ISP capture ended" "$tmp/l3.json" \
	'[.[] | select(.type == "compare" and .exchange == "IKE_SA_INIT" and .response and .not_covered == 1)] | .[0].tx[3] | "\(.status) \(.not_covered_at)"' \
	"not-covered isp.pcap"
"$ike" compare -r "$d/local.pcap" -r "$d/peer.pcap" --json >"$tmp/l2.json" || bad "toward-local 2: exit $?"
check "toward-local, two captures" "$tmp/l2.json" "$lost" \
	"INFORMATIONAL response 2 lost peer.pcap/local.pcap toward-local 4/4; IKE_SA_INIT response 0 lost peer.pcap/local.pcap toward-local 3/4"

# the ISP drops toward the peer from the start: peer.pcap is empty, a tap that ran and saw nothing
d=$cap/peer-unreachable
"$ike" compare -r "$d/local.pcap" -r "$d/isp.pcap" -r "$d/peer.pcap" --json >"$tmp/pu.json" || bad "peer-unreachable: exit $?"
check "peer-unreachable, empty far-end capture" "$tmp/pu.json" "$lost" \
	"IKE_SA_INIT request 0 lost isp.pcap/peer.pcap toward-peer 4/4"

# NAT: addresses and ports differ between local.pcap and peer.pcap, every message still matched
d=$cap/nat
"$ike" compare -r "$d/local.pcap" -r "$d/isp.pcap" -r "$d/peer.pcap" --json >"$tmp/nat.json" || bad "nat: exit $?"
check "nat: all matched and delivered" "$tmp/nat.json" \
	'[.[] | select(.type == "compare")] | "\(length) \(map(select(.status == "delivered" and ([.seen[].count] | min) == 1)) | length)"' "4 4"
check "nat: the peer saw the ISP's address" "$tmp/nat.json" \
	'[.[] | select(.type == "compare")][0].seen | "\(.[0].src) \(.[2].src)"' "192.0.2.1 203.0.113.254"

# healthy runs: nothing lost
for s in healthy ike-rekey child-rekey cert-ikefrag ipv6 tcp; do
	d=$cap/$s
	"$ike" compare -r "$d/local.pcap" -r "$d/isp.pcap" -r "$d/peer.pcap" >"$tmp/h.txt" || bad "$s: exit $?"
	grep -q "every transmission seen was delivered to its end" "$tmp/h.txt" || bad "$s: something lost or not covered"
done

# a shifted clock: the offset is found, the verdicts do not change
verdicts='[.[] | select(.type == "compare")] | map("\(.status) \(.lost_between) \([.tx[].status] | join(","))") | join(";")'
d=$cap/dpd-lost-toward-peer
editcap -t 3600.25 "$d/peer.pcap" "$tmp/peer.pcap" >/dev/null
editcap -t -7.5 "$d/isp.pcap" "$tmp/isp.pcap" >/dev/null
"$ike" compare -r "$d/local.pcap" -r "$tmp/isp.pcap" -r "$tmp/peer.pcap" --json >"$tmp/shift.json" || bad "shifted: exit $?"
check "shifted clocks: offsets" "$tmp/shift.json" \
	'.[] | select(.type == "compare_summary") | .points | map(if .offset_us == null then "unknown" elif (.offset_us - (if .name == "isp.pcap" then -7500000 elif .name == "peer.pcap" then 3600250000 else 0 end)) | fabs < 50 then "ok" else "off by \(.offset_us)" end) | join(" ")' \
	"ok ok ok"
a=$(jq -r -s "$verdicts" "$tmp/p3.json")
b=$(jq -r -s "$verdicts" "$tmp/shift.json")
[ "$a" = "$b" ] || bad "shifted clocks: verdicts changed"

# partial overlap: outside a capture's time a transmission is not-covered there, never lost
d=$cap/dpd-lost-toward-local
editcap -A "2026-11-26 23:28:56" "$d/local.pcap" "$tmp/local-late.pcap" >/dev/null
"$ike" compare -r "$tmp/local-late.pcap" -r "$d/peer.pcap" --json >"$tmp/late.json" || bad "late start: exit $?"
check "local capture starting late" "$tmp/late.json" \
	'[.[] | select(.type == "compare" and .exchange == "INFORMATIONAL" and .response)][0] | "\(.status) \(.lost) \(.not_covered) \([.tx[].status] | join(","))"' \
	"lost 2 2 not-covered,not-covered,lost,lost"
d=$cap/dpd-lost-toward-peer
editcap -B "2026-11-26 23:28:25" "$d/isp.pcap" "$tmp/isp-early.pcap" >/dev/null
"$ike" compare -r "$d/local.pcap" -r "$tmp/isp-early.pcap" -r "$d/peer.pcap" --json >"$tmp/early.json" || bad "early end: exit $?"
check "ISP capture ending early" "$tmp/early.json" \
	'[.[] | select(.type == "compare" and .exchange == "INFORMATIONAL")][0] | "\(.lost) \([.tx[] | .state[1]] | join(","))"' \
	"4 seen,seen,not-covered,not-covered"

# charon logs standing in for the captures of both ends
d=$cap/dpd-lost-toward-local
"$ike" compare -l "$d/local.log" -r "$d/isp.pcap" -L "$d/peer.log" --json >"$tmp/logs.json" || bad "logs: exit $?"
check "logs: the answers only the peer logged" "$tmp/logs.json" \
	'[.[] | select(.type == "compare" and .status == "lost")][0] | "\(.exchange) \(.response) \(.log_only) \(.ispi != null) \(.lost_between | join("/")) \(.loss) \(.lost)"' \
	"INFORMATIONAL true true true peer.log/isp.pcap toward-local 4"

# every member always there (null where it does not apply), in every kind of message
for f in p3 l3 nat shift late logs pu; do
	check "$f: one set of members" "$tmp/$f.json" \
		'[.[] | select(.type == "compare") | keys] | unique | length' "1"
	check "$f: one summary, last" "$tmp/$f.json" '"\([.[] | select(.type == "compare_summary")] | length) \(.[-1].type)"' \
		"1 compare_summary"
done
jq -r -s '[.[] | select(.type == "compare") | keys] | unique | .[0] | join(",")' "$tmp/p3.json" >"$tmp/k1"
jq -r -s '[.[] | select(.type == "compare") | keys] | unique | .[0] | join(",")' "$tmp/logs.json" >"$tmp/k2"
cmp -s "$tmp/k1" "$tmp/k2" || bad "log-only messages have other members than captured ones"

# behind the NAT: the peer's log names the ISP's address, the ISP tap shows local's
d=$cap/nat
"$ike" compare -l "$d/local.log" -r "$d/isp.pcap" -L "$d/peer.log" >"$tmp/natlog.txt" || bad "nat logs: exit $?"
grep -q "every transmission seen was delivered to its end" "$tmp/natlog.txt" || bad "nat logs: something lost"

# exit statuses
"$ike" compare -r "$d/local.pcap" >/dev/null 2>&1; [ $? = 1 ] || bad "one capture alone: not exit 1"
"$ike" compare -r "$d/local.pcap" -x >/dev/null 2>&1; [ $? = 1 ] || bad "unknown option: not exit 1"
"$ike" compare -r "$d/local.pcap" -r "$tmp/missing.pcap" >/dev/null 2>&1; [ $? = 2 ] || bad "missing capture: not exit 2"
head -c 100 "$d/local.pcap" >"$tmp/cut.pcap"
"$ike" compare -r "$d/local.pcap" -r "$tmp/cut.pcap" >/dev/null 2>&1; [ $? = 2 ] || bad "damaged capture: not exit 2"

d=$cap/dpd-lost-toward-peer
head -c 3000 "$d/peer.pcap" >"$tmp/cutpeer.pcap"
"$ike" compare -r "$d/local.pcap" -r "$tmp/cutpeer.pcap" >"$tmp/cut.txt" 2>"$tmp/cut.err"
[ $? = 2 ] || bad "capture damaged part way: not exit 2"
grep -q "byte offset" "$tmp/cut.err" || bad "capture damaged part way: no byte offset on stderr"
grep -q "^Summary:" "$tmp/cut.txt" || bad "capture damaged part way: nothing compared"

[ $fails = 0 ] && echo "compare: all checks passed"
[ $fails = 0 ]
