#!/usr/bin/env bash
# keys.sh BUILD_DIR — the keys command and the secrecy of keys, end to end:
#  1. `ikescope keys` harvests from a real charon ike=4 log what the lab's own
#     harvester wrote, from the log alone and (for a log without SPIs) by ICV;
#  2. tshark decrypts the capture with the table `keys` writes, and ikescope
#     reads back every format `keys` writes;
#  3. no output of dissect, exchanges (with its SVG ladder), correlate or compare, given the keys
#     or a log holding them, contains a key.
set -u
build=$(cd "${1:?usage: keys.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
ike="$build/src/cli/ikescope"
data="$root/tests/unit/data/keydump"
tmp=$(mktemp -d /tmp/ikescope-keys.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

"$ike" keys -l "$data/charon-ike4.log" > "$tmp/from-log" 2>"$tmp/err" || bad "keys -l exited $?: $(cat "$tmp/err")"
cmp -s "$tmp/from-log" "$data/expected_table" || bad "keys -l charon-ike4.log differs from the lab's table"
"$ike" keys -l "$data/syslog-no-spis.log" -r "$data/healthy-local.pcap" > "$tmp/by-icv" 2>"$tmp/err" ||
	bad "keys -l -r exited $?: $(cat "$tmp/err")"
cmp -s "$tmp/by-icv" "$data/expected_table" || bad "keys bound by ICV differ from the lab's table"

# tshark, in a throw-away profile, with the table ikescope wrote
home="$tmp/home"
mkdir -p "$home/.config/wireshark"
cp "$tmp/by-icv" "$home/.config/wireshark/ikev2_decryption_table"
counts=$(HOME=$home XDG_CONFIG_HOME=$home/.config tshark -n -r "$data/healthy-local.pcap" -Y isakmp \
	-T fields -e isakmp.enc.data -e isakmp.enc.decrypted 2>/dev/null |
	awk -F'\t' '$1 != "" { e++; if ($2 != "") d++ } END { printf "%d/%d", d, e }')
[ "$counts" = "6/6" ] || bad "tshark decrypted $counts encrypted messages with the table keys wrote (want 6/6)"

for fmt in wireshark tcpdump json; do
	"$ike" keys -l "$data/charon-ike4.log" --format "$fmt" > "$tmp/k.$fmt" || bad "keys --format $fmt"
done
for fmt in wireshark tcpdump; do
	n=$("$ike" dissect --json -k "$tmp/k.$fmt" -r "$data/healthy-local.pcap" | grep -c '"decrypted":"yes"')
	[ "$n" = 6 ] || bad "dissect -k with the $fmt output decrypted $n of 6"
done
grep -q '"type":"keys"' "$tmp/k.json" || bad "keys --format json has no keys object"

# No key in any other output: every key of every lab table, in both cases.
# (The search itself must find keys where they are: in the keys output.)
awk -F, '{ for (i = 3; i <= 7; i++) if (i != 5 && $i != "") print $i }' "$data/expected_table" > "$tmp/keys"
grep -qiF -f "$tmp/keys" "$tmp/k.wireshark" || bad "the key search finds nothing even in the keys output"
checked=0 scenarios=0 logs=0
for table in "$root"/captures/*/ikev2_decryption_table "$data/expected_table"; do
	[ -s "$table" ] || continue
	dir=$(dirname "$table")
	awk -F, '!/^#/ { for (i = 3; i <= 7; i++) if (i != 5 && $i != "") print $i }' "$table" > "$tmp/keys"
	for pcap in "$dir"/*.pcap; do
		{
			"$ike" dissect -r "$pcap" -k "$table"
			"$ike" dissect -V -r "$pcap" -k "$table"
			"$ike" dissect --json -r "$pcap" -k "$table"
			"$ike" exchanges -r "$pcap" -k "$table"
			"$ike" exchanges --json -r "$pcap" -k "$table"
		} > "$tmp/out" 2>&1
		if grep -qiF -f "$tmp/keys" "$tmp/out"; then
			bad "a key of $table appears in the output for $pcap"
		fi
		checked=$((checked + 1))
	done
	# the commands over a whole scenario: its captures in path order, both charon logs, the keys
	[ -f "$dir/local.log" ] && [ -f "$dir/peer.log" ] || continue
	set --
	for v in local isp peer; do
		[ -f "$dir/$v.pcap" ] && set -- "$@" -r "$dir/$v.pcap"
	done
	{
		"$ike" exchanges "$@" -k "$table" --svg "$tmp/ladder.svg" && cat "$tmp/ladder.svg"
		"$ike" correlate "$@" -l "$dir/local.log" -l "$dir/peer.log" -k "$table"
		"$ike" correlate "$@" -l "$dir/local.log" -l "$dir/peer.log" -k "$table" --json
		"$ike" compare "$@" -l "$dir/local.log" -L "$dir/peer.log" -k "$table"
		"$ike" compare "$@" -l "$dir/local.log" -L "$dir/peer.log" -k "$table" --json
	} > "$tmp/out" 2>&1
	grep -qiF -f "$tmp/keys" "$tmp/out" && bad "a key of $table appears in the correlate, compare or ladder output for $dir"
	grep -q '"type":"verdict"' "$tmp/out" || bad "correlate --json gave no verdict for $dir"
	scenarios=$((scenarios + 1))
done
[ "$checked" -ge 30 ] || bad "only $checked captures checked for key leaks"
[ "$scenarios" -ge 30 ] || bad "only $scenarios scenarios checked for key leaks in correlate and compare"

# Logs that carry charon's ike=4 key dumps (every shape the reader knows): the keys they hold, as
# the keys command prints them, appear in no output of the commands that read logs.
pcap=$data/healthy-local.pcap
for log in "$data"/*.log "$data"/journal.json; do
	"$ike" keys -l "$log" -r "$pcap" 2>/dev/null |
		awk -F, '!/^#/ { for (i = 3; i <= 7; i++) if (i != 5 && $i != "") print $i }' > "$tmp/keys"
	[ -s "$tmp/keys" ] || { bad "keys -l $log -r $pcap harvested no key to search for"; continue; }
	{
		"$ike" dissect -V -r "$pcap" -l "$log"
		"$ike" dissect --json -r "$pcap" -l "$log"
		"$ike" exchanges --json -r "$pcap" -l "$log" --svg "$tmp/ladder.svg" && cat "$tmp/ladder.svg"
		"$ike" correlate -r "$pcap" -l "$log"
		"$ike" correlate -r "$pcap" -l "$log" --json
		"$ike" compare -r "$pcap" -r "$pcap" -l "$log"
		"$ike" compare -r "$pcap" -r "$pcap" -l "$log" --json
	} > "$tmp/out" 2>&1
	grep -qiF -f "$tmp/keys" "$tmp/out" && bad "a key dumped in $log appears in an output that reads it"
	n=$(grep -c '"decrypted":"yes"' "$tmp/out")
	[ "$n" -ge 6 ] || bad "the keys of $log decrypted $n messages (the search would prove nothing)"
	logs=$((logs + 1))
done
[ "$fail" = 0 ] && echo "keys: harvest, tshark, formats; no key in the output of $checked captures, $scenarios scenarios (correlate, compare, ladder) and $logs logs with key dumps"
exit $((fail > 0))
