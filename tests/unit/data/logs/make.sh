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

# fields: $1 mon $2 day $3 time $4 host $5 "charon:" $6 "NN[GRP]" $7… text
sed 's/^/daemon.info: /' syslog.log >syslog-facility.log
gawk '{ if ($6 ~ /^1[0-9]\[(IKE|ENC|NET|CFG)\]$/) sub(/\] /, "] <ipsec2_1|1> "); print }' charon.tmp >syslog-ikename.log
gawk '{ sub(/\] /, "1] "); print }' charon.tmp >syslog-level.log
gawk '{ $4 = ""; $5 = ""; sub(/  +/, " "); print }' charon.tmp >filelog.log
# milliseconds: a counter that restarts each second keeps lines in order
gawk '{ if ($3 != last) { n = 0; last = $3 } ms = sprintf("%03d", n++ * 7 % 1000);
	$3 = $3 "." ms; $4 = ""; $5 = ""; sub(/  +/, " "); print }' charon.tmp >filelog-ms.log
cut -d' ' -f6- charon.tmp >filelog-notime.log

# journald: charon-systemd's MESSAGE has no thread/group prefix
jtext='{ t = $0; sub(/^([^ ]+ +){6}/, "", t); if (t ~ /^</) sub(/^<[^>]*> /, "", t) }'
gawk "$jtext"'{ printf "%s %s %s %s charon-systemd[812]: %s\n", $1, $2, $3, $4, t }' charon.tmp >journal-short.log
gawk -v y=$YEAR "$jtext"'{ split($3, c, ":"); mon = index("JanFebMarAprMayJunJulAugSepOctNovDec", $1) / 3 + 1;
	printf "%04d-%02d-%02dT%s+0000 %s charon-systemd[812]: %s\n", y, mon, $2, $3, $4, t }' charon.tmp >journal-short-iso.log
gawk "$jtext"'{ if ($3 != last) { n = 0; last = $3 } us = sprintf("%06d", n++ * 1013 % 1000000);
	printf "%s %s %s.%s %s charon-systemd[812]: %s\n", $1, $2, $3, us, $4, t }' charon.tmp >journal-short-precise.log
gawk -v y=$YEAR "$jtext"'function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
	{ split($3, c, ":"); mon = index("JanFebMarAprMayJunJulAugSepOctNovDec", $1) / 3 + 1;
	  sec = mktime(sprintf("%d %d %d %d %d %d", y, mon, $2, c[1], c[2], c[3]));
	  th = substr($6, 1, 2); grp = substr($6, 4, 3);
	  printf "{\"__REALTIME_TIMESTAMP\":\"%d%06d\",\"_HOSTNAME\":\"%s\",\"SYSLOG_IDENTIFIER\":\"charon-systemd\",", sec, NR % 1000, $4;
	  printf "\"THREAD\":\"%d\",\"GROUP\":\"%s\",\"LEVEL\":\"1\",", th, grp;
	  if (th >= 10) printf "\"IKE_SA_UNIQUE_ID\":\"1\",\"IKE_SA_NAME\":\"ipsec2_1\",";
	  printf "\"MESSAGE\":\"%s\"}\n", js(t) }' charon.tmp >journal.json
# charon 6.x filelog json = yes
gawk -v y=$YEAR "$jtext"'function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
	{ mon = index("JanFebMarAprMayJunJulAugSepOctNovDec", $1) / 3 + 1;
	  printf "{\"time\":\"%04d-%02d-%02d %s\",\"thread\":%d,\"group\":\"%s\",\"level\":1,\"msg\":\"%s\"}\n",
		y, mon, $2, $3, substr($6, 1, 2), substr($6, 4, 3), js(t) }' charon.tmp >filelog-json.log

# rotation: the older half compressed as logrotate leaves it
half=$(($(wc -l <charon.tmp) / 2))
head -n "$half" charon.tmp | gzip -n -9 >messages.1.gz
tail -n +"$((half + 1))" charon.tmp >messages

# the same log with its clock two hours ahead (a log written in UTC+2), across midnight
gawk -v y=$YEAR '{ split($3, c, ":"); mon = index("JanFebMarAprMayJunJulAugSepOctNovDec", $1) / 3 + 1;
	s = mktime(sprintf("%d %d %d %d %d %d", y, mon, $2, c[1], c[2], c[3])) + 7200;
	$1 = strftime("%b", s, 1); $2 = strftime("%e", s, 1) + 0; $3 = strftime("%H:%M:%S", s, 1); print }' \
	"$src" >healthy-plus2h.log

rm -f charon.tmp
echo "make.sh: $(ls | wc -l) files in $here"
