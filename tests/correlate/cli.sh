#!/bin/sh
# cli.sh BUILD_DIR: `ikescope correlate`'s options and exit statuses: --peer keeps one tunnel or
# none, --around narrows the timeline, --log-year dates a syslog, bad usage exits 1, a missing or
# damaged file exits 2 with a one-line reason naming it, and the text output shows the timeline
# (sources and links) before the verdict.
set -u
BIN=$(cd "$1" && pwd)/src/cli/ikescope
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export LC_ALL=C TZ=UTC
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-corrcli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
bad=0
fail() { echo "correlate-cli: FAIL: $*"; bad=1; }
d=captures/dpd-lost-toward-peer

# usage errors: exit 1
"$BIN" correlate > /dev/null 2>&1; [ $? = 1 ] || fail "no input should exit 1"
"$BIN" correlate -l $d/local.log --peer 300.1.1.1 > /dev/null 2>&1; [ $? = 1 ] || fail "bad --peer should exit 1"
"$BIN" correlate -l $d/local.log --around yesterday > /dev/null 2>&1; [ $? = 1 ] || fail "bad --around should exit 1"
"$BIN" correlate -l $d/local.log --log-tz Mars > /dev/null 2>&1; [ $? = 1 ] || fail "bad --log-tz should exit 1"
"$BIN" correlate -l $d/local.log --log-year 20x6 > /dev/null 2>&1; [ $? = 1 ] || fail "bad --log-year should exit 1"
# unreadable input: exit 2, one line naming the file
"$BIN" correlate -l "$TMP/none.log" > /dev/null 2> "$TMP/err"; [ $? = 2 ] || fail "missing log should exit 2"
grep -q none.log "$TMP/err" || fail "the error should name the missing log: $(cat "$TMP/err")"
printf 'not a capture' > "$TMP/bad.pcap"
"$BIN" correlate -r "$TMP/bad.pcap" > /dev/null 2> "$TMP/err"; [ $? = 2 ] || fail "damaged capture should exit 2"
grep -q bad.pcap "$TMP/err" || fail "the error should name the capture: $(cat "$TMP/err")"

# --peer: the tunnel's peer keeps it, another address leaves nothing
n=$("$BIN" correlate --json -l $d/local.log --peer 203.0.113.1 | grep -c '"type":"verdict"')
[ "$n" = 1 ] || fail "--peer 203.0.113.1: $n verdicts, expected 1"
n=$("$BIN" correlate --json -l $d/local.log --peer 198.51.100.77 | grep -c '"type":"log"')
[ "$n" = 0 ] || fail "--peer 198.51.100.77: $n log lines, expected 0"

# --around: a moment long after the scenario leaves an empty timeline; one inside keeps the verdict
n=$("$BIN" correlate --json -l $d/local.log -r $d/local.pcap --around 2026-11-27T05:00:00Z | grep -c '"type":"log"')
[ "$n" = 0 ] || fail "--around far away: $n log lines, expected 0"
v=$("$BIN" correlate --json -l $d/local.log -r $d/local.pcap --around 2026-11-26T23:28:30Z | grep '"type":"verdict"')
case $v in *'"cause":"dpd-timeout"'*) ;; *) fail "--around inside: verdict $v" ;; esac

# --log-year dates a log given alone; without it the JSON time is null and log_ts says what the log said
"$BIN" correlate --json -l $d/local.log --log-year 2026 --log-tz UTC | grep -q '"type":"log".*"ts":"2026-11-26T23:28:' ||
	fail "--log-year 2026 --log-tz UTC: no 2026 time"
"$BIN" correlate --json -l $d/local.log | grep '"type":"verdict"' | grep -q '"ts":null,"log_ts":"Nov 26 23:28:37' ||
	fail "without a year the verdict should give log_ts"

# text: timeline lines carry their source and links, then the verdict
"$BIN" correlate -l $d/local.log -r $d/local.pcap -k $d/ikev2_decryption_table > "$TMP/out" || fail "text run failed"
grep -q 'local.log:[0-9]* *retransmit 1 of request with message ID 2  <=> local.pcap#[0-9]' "$TMP/out" ||
	fail "the retransmit line should be linked to its frame"
grep -q 'local.pcap#[0-9]* .*INFORMATIONAL request 2 \[ \] (80 bytes)  <=> local.log:' "$TMP/out" ||
	fail "the DPD frame should be linked to its log lines"
grep -q '^clock: log file 1 put on the capture clock' "$TMP/out" || fail "the clock offset should be reported"
grep -q '^  symptom: flapped  cause: dpd-timeout' "$TMP/out" || fail "verdict missing from the text output"
# the local log against the peer's capture: the DPD copies lost toward the peer have no frame there
n=$("$BIN" correlate --json -l $d/local.log -r $d/peer.pcap | grep '"kind":"unlinked-log"' | grep -c 'retransmit [123] of request with message ID 2')
[ "$n" = 3 ] || fail "local.log against peer.pcap: $n unlinked retransmit lines, expected 3"
# and with both captures, no frame of the local capture is left without its line
n=$("$BIN" correlate --json -l $d/local.log -r $d/local.pcap -r $d/peer.pcap | grep -c '"kind":"unlinked')
[ "$n" = 0 ] || fail "local.log with local.pcap and peer.pcap: $n unlinked findings, expected 0"
# the local log with a capture holding the peer's answers it never parsed: lost toward local
v=$("$BIN" correlate --json -l captures/dpd-lost-toward-local/local.log -r captures/dpd-lost-toward-local/peer.pcap | grep '"type":"verdict"')
case $v in *'"loss":"toward-local","loss_observed":true'*) ;; *) fail "answers captured but never parsed: $v" ;; esac
[ "$bad" = 0 ] && echo "correlate-cli: ok"
exit "$bad"
