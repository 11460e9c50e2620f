#!/bin/sh
# make.sh: the log reader's fixtures, every shape derived from one real charon 5.9.8 log.
#
# syslog.log is captures/healthy/local.log (vEdge syslog shape) without the ENC/CFG debug
# noise, plus one kernel line and one vEdge FTMD line (other programs). Every other file
# is the same charon lines rewritten into another shape, so the reader must return the
# same events from each. Run from anywhere; needs gawk and gzip. Outputs are committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../../../captures/healthy/local.log"
cd "$here"
export TZ=UTC
YEAR=2026 # the year of captures/healthy/local.pcap

noise='\[ENC\]  |added payload|payload finished|payload of type|order payloads|\[CFG\]  |\[ENC\] (parsing|generating) [A-Z_]+ payload|vici|\[KNL\]|\[LIB\]|queueing|activating|\[JOB\]|looking for|candidate|\[MGR\]'
grep -v -E "$noise" "$src" >charon.tmp
{
	cat charon.tmp
	echo "Nov 26 23:26:40 vedge01 kernel: [ 1234.567890] ipsec2: link becomes ready"
	echo "Nov 26 23:26:41 vedge01 FTMD[1472]: %Viptela-vedge01-FTMD-6-INFO-1000001: VPN 1 Interface ipsec2 DOWN"
} >syslog.log

# syslog: a 15-character time, " vedge01 charon: ", then "NN[GRP] text" (text may start with spaces)
split='{ tm = substr($0, 1, 15); i = index($0, " charon: "); tg = substr($0, i + 9); t = substr(tg, index(tg, "] ") + 2);
	mon = index("JanFebMarAprMayJunJulAugSepOctNovDec", substr(tm, 1, 3)) / 3 + 1; day = substr(tm, 5, 2) + 0;
	hms = substr(tm, 8); split(hms, c, ":"); th = substr(tg, 1, 2); grp = substr(tg, 4, 3) }'
jsonstr='function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }'
sed 's/^/daemon.info: /' syslog.log >syslog-facility.log
gawk "$split"'{ if (th ~ /^1[0-9]$/ && grp ~ /^(IKE|ENC|NET|CFG)$/) sub(/\] /, "] <ipsec2_1|1> "); print }' charon.tmp >syslog-ikename.log
gawk '{ sub(/\] /, "1] "); print }' charon.tmp >syslog-level.log
gawk "$split"'{ print tm " " tg }' charon.tmp >filelog.log
# milliseconds: a counter that restarts each second keeps lines in order
gawk "$split"'{ if (tm != last) { n = 0; last = tm } printf "%s.%03d %s\n", tm, n++ * 7 % 1000, tg }' charon.tmp >filelog-ms.log
gawk "$split"'{ print tg }' charon.tmp >filelog-notime.log

# journald: charon-systemd's MESSAGE has no thread/group prefix
gawk "$split"'{ printf "%s vedge01 charon-systemd[812]: %s\n", tm, t }' charon.tmp >journal-short.log
gawk -v y=$YEAR "$split"'{ printf "%04d-%02d-%02dT%s+0000 vedge01 charon-systemd[812]: %s\n", y, mon, day, hms, t }' \
	charon.tmp >journal-short-iso.log
gawk "$split"'{ if (tm != last) { n = 0; last = tm } printf "%s.%06d vedge01 charon-systemd[812]: %s\n", tm, n++ * 1013 % 1000000, t }' \
	charon.tmp >journal-short-precise.log
gawk -v y=$YEAR "$jsonstr $split"'{ sec = mktime(sprintf("%d %d %d %d %d %d", y, mon, day, c[1], c[2], c[3]));
	printf "{\"__REALTIME_TIMESTAMP\":\"%d%06d\",\"_HOSTNAME\":\"vedge01\",\"SYSLOG_IDENTIFIER\":\"charon-systemd\",", sec, NR % 1000000;
	printf "\"THREAD\":\"%d\",\"GROUP\":\"%s\",\"LEVEL\":\"1\",", th, grp;
	if (th >= 10) printf "\"IKE_SA_UNIQUE_ID\":\"1\",\"IKE_SA_NAME\":\"ipsec2_1\",";
	printf "\"MESSAGE\":\"%s\"}\n", js(t) }' charon.tmp >journal.json
# charon 6.x filelog json = yes
gawk -v y=$YEAR "$jsonstr $split"'{ printf "{\"time\":\"%04d-%02d-%02d %s\",\"thread\":%d,\"group\":\"%s\",\"level\":1,\"msg\":\"%s\"}\n",
	y, mon, day, hms, th, grp, js(t) }' charon.tmp >filelog-json.log

# rotation: the older half compressed as logrotate leaves it
half=$(($(wc -l <charon.tmp) / 2))
head -n "$half" charon.tmp | gzip -n -9 >messages.1.gz
tail -n +"$((half + 1))" charon.tmp >messages

# the same log with its clock two hours ahead (a log written in UTC+2), across midnight
gawk -v y=$YEAR '{ mon = index("JanFebMarAprMayJunJulAugSepOctNovDec", substr($0, 1, 3)) / 3 + 1;
	split(substr($0, 8, 8), c, ":"); s = mktime(sprintf("%d %d %d %d %d %d", y, mon, substr($0, 5, 2), c[1], c[2], c[3])) + 7200;
	print strftime("%b %e %H:%M:%S", s, 1) substr($0, 16) }' \
	"$src" >healthy-plus2h.log

rm -f charon.tmp
echo "make.sh: $(ls | wc -l) files in $here"
