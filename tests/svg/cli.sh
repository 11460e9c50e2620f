#!/bin/sh
# cli.sh BUILD_DIR: --svg on the three commands that take it: usage and write errors, and the
# drawings of correlate and compare for dpd-lost-toward-peer (well-formed, self-contained, the
# losses, the verdict and the log lines where they belong).
set -eu
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-svg.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
bad=0
fail() { echo "svg-cli: FAIL: $*"; bad=1; }
s=captures/dpd-lost-toward-peer
caps="-r $s/local.pcap -r $s/isp.pcap -r $s/peer.pcap"
cd "$ROOT"

for cmd in exchanges correlate compare; do
	"$BIN" $cmd --help | grep -q -- '--svg FILE' || fail "$cmd --help does not name --svg FILE"
	rc=0; "$BIN" $cmd $caps --svg >/dev/null 2>"$TMP/err" || rc=$?
	[ "$rc" = 1 ] || fail "$cmd --svg without FILE exited $rc, not 1"
	rc=0; "$BIN" $cmd $caps --svg "$TMP/no/such/dir/x.svg" >/dev/null 2>"$TMP/err" || rc=$?
	[ "$rc" = 2 ] || fail "$cmd --svg into a missing directory exited $rc, not 2"
	grep -q "$TMP/no/such/dir/x.svg" "$TMP/err" || fail "$cmd: the write error does not name the file: $(cat "$TMP/err")"
done

# self-contained and well-formed, with the cross of each copy lost after the ISP tap
check() {
	xmllint --noout "$1" || { fail "$1 is not well-formed"; return; }
	! grep -Eiq '<script|<image|href=|@import|url\([^#]' "$1" || fail "$1 is not self-contained"
	n=$(grep -c '<path class="x"' "$1" || true)
	[ "$n" = 5 ] || fail "$1: $n red crosses, not 5 (the DPD, its 3 retransmissions, the first new IKE_SA_INIT)"
}
"$BIN" compare $caps -k $s/ikev2_decryption_table --svg "$TMP/compare.svg" >/dev/null || fail "compare --svg exited $?"
check "$TMP/compare.svg"
grep -q 'lost between isp.pcap and peer.pcap' "$TMP/compare.svg" || fail "compare.svg does not say where the DPD was lost"
"$BIN" correlate $caps -l $s/local.log -l $s/peer.log -k $s/ikev2_decryption_table --svg "$TMP/correlate.svg" \
	>/dev/null || fail "correlate --svg exited $?"
check "$TMP/correlate.svg"
grep -q 'class="cap0"[^>]*>ipsec2_1 192.0.2.1 - 203.0.113.1: flapped, cause dpd-timeout, loss toward-peer<' \
	"$TMP/correlate.svg" || fail "correlate.svg: the verdict is not the caption"
grep -q 'local.log:[0-9]*: generating INFORMATIONAL request 2 \[ \]' "$TMP/correlate.svg" ||
	fail "correlate.svg: the DPD's tooltip lacks its log line"
# the exchanges text output is the same with and without --svg
"$BIN" exchanges $caps >"$TMP/a.txt"
"$BIN" exchanges $caps --svg "$TMP/e.svg" >"$TMP/b.txt"
cmp -s "$TMP/a.txt" "$TMP/b.txt" || fail "exchanges prints differently with --svg"

[ "$bad" = 0 ] || exit 1
echo "svg-cli: ok"
