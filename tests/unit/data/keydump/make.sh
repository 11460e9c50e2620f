#!/bin/sh
# make.sh: the journald shapes of charon-ike4.log, the real ike=4 filelog the lab's charon wrote
# for healthy-local.pcap. charon-systemd sends a hex dump to the journal as ONE multi-line
# message: journalctl -o short prints its further lines indented under the first, -o json puts
# them in MESSAGE with "\n". Everything else is one line per message. Outputs are committed.
set -eu
cd "$(dirname "$0")"
awk '
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
function flush() {
	if (n == 0) return
	printf "Nov 27 00:03:01 vedge01 charon-systemd[812]: %s\n", m[1] >"journal-short.log"
	for (i = 2; i <= n; i++) printf "%45s%s\n", "", m[i] >"journal-short.log"
	js = esc(m[1]); for (i = 2; i <= n; i++) js = js "\\n" esc(m[i])
	printf "{\"__REALTIME_TIMESTAMP\":\"1795737781000000\",\"SYSLOG_IDENTIFIER\":\"charon-systemd\",\"THREAD\":\"%d\",\"GROUP\":\"%s\",\"MESSAGE\":\"%s\"}\n", th, grp, js >"journal.json"
	n = 0
}
{
	t = $0; sub(/^[0-9]+\[[A-Z]+\] /, "", t); sub(/^<[^>]*> /, "", t)
	thr = $0; sub(/\[.*/, "", thr); g = $0; sub(/^[0-9]+\[/, "", g); sub(/\].*/, "", g)
	if (n > 0 && thr + 0 == th && t ~ /^ *[0-9]+: [0-9A-F][0-9A-F]( |$)/) { m[++n] = t; next }
	flush(); th = thr + 0; grp = g; m[n = 1] = t
}
END { flush() }' charon-ike4.log
