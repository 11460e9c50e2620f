#!/bin/sh
# cli.sh BUILD_DIR: `ikescope config`: bad usage exits 1, a missing or unparsable file exits 2 with
# one line naming it, unknown keywords are FILE:LINE notes, and two ends' configs give the predicted
# verdict and failing exchange (the lab's and the guide's pairs).
set -u
BIN=$(cd "$1" && pwd)/src/cli/ikescope
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export LC_ALL=C TZ=UTC
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-cfgcli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
bad=0
fail() { echo "config-cli: FAIL: $*"; bad=1; }
D=tests/unit/data/config

# usage errors: exit 1
"$BIN" config > /dev/null 2>&1; [ $? = 1 ] || fail "no file should exit 1"
"$BIN" config --dialect junos $D/guide-ipsec1.vedge > /dev/null 2>&1; [ $? = 1 ] || fail "bad --dialect should exit 1"
"$BIN" config --frob $D/guide-ipsec1.vedge > /dev/null 2>&1; [ $? = 1 ] || fail "bad option should exit 1"
"$BIN" config --help | grep -q '^Usage: ikescope config' || fail "--help"

# unreadable or unparsable: exit 2, one line naming the file
"$BIN" config "$TMP/none.conf" > /dev/null 2> "$TMP/err"; [ $? = 2 ] || fail "missing file should exit 2"
grep -q none.conf "$TMP/err" || fail "the error should name the file: $(cat "$TMP/err")"
[ "$(wc -l < "$TMP/err")" = 1 ] || fail "one line on stderr: $(cat "$TMP/err")"
printf 'hostname r1\nip route 0.0.0.0 0.0.0.0 192.0.2.1\n' > "$TMP/junk.conf"
"$BIN" config "$TMP/junk.conf" > /dev/null 2> "$TMP/err"; [ $? = 2 ] || fail "a file without a tunnel should exit 2"
grep -q junk.conf "$TMP/err" || fail "the error should name the file: $(cat "$TMP/err")"
"$BIN" config --dialect swanctl $D/guide-ipsec1.vedge > /dev/null 2>&1; [ $? = 2 ] || fail "a forced wrong dialect should exit 2"

# one file: the proposals charon logs, and the notes
out=$("$BIN" config $D/guide-ipsec1.vedge) || fail "guide-ipsec1.vedge: exit $?"
echo "$out" | grep -q 'ESP          ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ  (line 19: cipher-suite      aes256-cbc-sha1)' ||
	fail "guide-ipsec1 ESP line: $out"
out=$("$BIN" config $D/keywords.iosxe)
echo "$out" | grep -q "keywords.iosxe:14: unknown encryption 'rot13' skipped" || fail "note with file and line: $out"

# two files: the prediction
out=$("$BIN" config $D/lab-pfs-mismatch-local.swanctl.conf $D/lab-pfs-mismatch-peer.swanctl.conf)
echo "$out" | grep -q 'verdict      down / pfs-mismatch: CREATE_CHILD_SA fails at the first CHILD SA rekey' || fail "lab pfs: $out"
out=$("$BIN" config $D/lab-ike-proposal-mismatch-local.swanctl.conf $D/lab-ike-proposal-mismatch-peer.swanctl.conf)
echo "$out" | grep -q 'verdict      not-established / ike-proposal-mismatch: IKE_SA_INIT fails at once' || fail "lab ike: $out"
out=$("$BIN" config $D/guide-ipsec1.vedge $D/guide-peer.iosxe)
echo "$out" | grep -q 'Fix: on IOS XE Tunnel1 add `set pfs group16` to its crypto ipsec profile' || fail "guide pfs: $out"
n=$("$BIN" config --json $D/lab-healthy-local.swanctl.conf $D/lab-healthy-peer.swanctl.conf | grep -c '^{"v":1,"type":"config')
[ "$n" = 3 ] || fail "--json: $n objects, expected 2 config and 1 config_prediction"
"$BIN" config --json $D/lab-healthy-local.swanctl.conf $D/lab-healthy-peer.swanctl.conf |
	grep -q '"type":"config_prediction".*"symptom":"healthy","cause":"healthy","exchange":null' || fail "--json healthy"

# correlate --config: a configuration cause gains the config lines of both ends
c=captures/pfs-mismatch
out=$("$BIN" correlate -l $c/local.log -l $c/peer.log --config $D/lab-pfs-mismatch-local.swanctl.conf \
	--config $D/lab-pfs-mismatch-peer.swanctl.conf) || fail "correlate --config: exit $?"
echo "$out" | grep -q 'Fix: on peer strongSwan ipsec2_1 append `-modp4096` to each proposal of esp_proposals' ||
	fail "correlate --config pfs: $out"
out=$("$BIN" correlate -l $c/local.log --config $D/lab-pfs-mismatch-local.swanctl.conf)
echo "$out" | grep -q "the peer's config was not given" || fail "correlate with the local config only: $out"
c=captures/ike-proposal-mismatch
out=$("$BIN" correlate --json -l $c/local.log -l $c/peer.log --config $D/lab-ike-proposal-mismatch-local.swanctl.conf \
	--config $D/lab-ike-proposal-mismatch-peer.swanctl.conf | grep '"type":"verdict"')
echo "$out" | grep -q 'encryption differs: local strongSwan ipsec2_1 `proposals = aes256-sha256-modp2048` (line 6)' ||
	fail "correlate --config ike proposals: $out"
n=$("$BIN" correlate -l captures/healthy/local.log --config $D/lab-healthy-local.swanctl.conf | grep -c 'strongSwan ipsec2_1')
[ "$n" = 0 ] || fail "a healthy verdict gains no config text"
"$BIN" correlate -l $c/local.log --config "$TMP/junk.conf" > /dev/null 2> "$TMP/err"; [ $? = 2 ] || fail "correlate with a bad config should exit 2"
grep -q junk.conf "$TMP/err" || fail "the error should name the config: $(cat "$TMP/err")"
"$BIN" correlate -l $c/local.log --config $D/lab-healthy-local.swanctl.conf --config $D/lab-healthy-local.swanctl.conf \
	--config $D/lab-healthy-local.swanctl.conf > /dev/null 2>&1; [ $? = 1 ] || fail "three --config should exit 1"

# compare --config: lost DPDs name both ends' DPD lines; configs that cannot agree add their prediction
c=captures/dpd-lost-toward-peer
out=$("$BIN" compare -r $c/local.pcap -r $c/isp.pcap -r $c/peer.pcap -k $c/ikev2_decryption_table \
	--config $D/lab-healthy-local.swanctl.conf --config $D/lab-healthy-peer.swanctl.conf) || fail "compare --config: exit $?"
echo "$out" | grep -q 'config       dpd-timeout: DPD: local strongSwan ipsec2_1 `dpd_delay = 5s` (line 9), peer' ||
	fail "compare --config dpd: $out"
out=$("$BIN" compare -r captures/healthy/local.pcap -r captures/healthy/peer.pcap --config $D/lab-healthy-local.swanctl.conf)
echo "$out" | grep -q 'config       ' && fail "a compare without losses gains no config cause: $out"
c=captures/pfs-mismatch
out=$("$BIN" compare --json -r $c/local.pcap -r $c/peer.pcap --config $D/lab-pfs-mismatch-local.swanctl.conf \
	--config $D/lab-pfs-mismatch-peer.swanctl.conf | grep '"type":"config_prediction"')
echo "$out" | grep -q '"cause":"pfs-mismatch","exchange":"CREATE_CHILD_SA"' || fail "compare --config pfs prediction: $out"
"$BIN" compare -r $c/local.pcap -r $c/peer.pcap --config "$TMP/junk.conf" > /dev/null 2> "$TMP/err"; [ $? = 2 ] ||
	fail "compare with a bad config should exit 2"
grep -q junk.conf "$TMP/err" || fail "compare: the error should name the config: $(cat "$TMP/err")"

exit $bad
