#!/bin/sh
# run.sh BUILD_DIR [PATH...]: decode captures with tshark and with ikescope and compare, for every
# IKEv2 message, the fields both print: frame, both SPIs, exchange type, the I and R flags, the
# version, the message ID, the outer payload chain and the notify types (tshark.jq, ikescope.jq);
# where both decrypted an SK/SKF payload, its inner chain and notify types too. A capture's keys are
# the ikev2_decryption_table beside it: tshark always gets them, ikescope once dissect takes -k.
# tshark 4.0 cannot frame IKE over TCP (RFC 8229): rfc8229.lua does only that framing for it.
# PATH is a capture file or a directory of them (*.pcap, *.pcapng); by default every scenario
# under captures/ and the capture fixtures under tests/unit/data/cap/.
# Every disagreement is printed as FILE frame N: FIELD: tshark=… ikescope=…; exit 1 on any.
set -eu

[ $# -ge 1 ] || { echo "usage: run.sh BUILD_DIR [CAPTURE|DIR]..." >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "$1" && pwd) || exit 2
shift
BIN=$BUILD/src/cli/ikescope
[ -x "$BIN" ] || { echo "oracle: FAIL: $BIN is not built" >&2; exit 1; }
for t in tshark jq; do
	command -v "$t" >/dev/null 2>&1 || { echo "oracle: FAIL: $t not installed (tests/setup-deps.sh)" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-oracle.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# a fresh Wireshark profile: no user preferences, no decryption table from the home directory
mkdir -p "$TMP/home/.config/wireshark"
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" LC_ALL=C TZ=UTC

cd "$ROOT"
[ $# -gt 0 ] || set -- captures/*/ tests/unit/data/cap/
files=""
for p in "$@"; do
	p=${p%/}
	if [ -d "$p" ]; then
		for f in "$p"/*.pcap "$p"/*.pcapng; do [ -f "$f" ] && files="$files $f"; done
	elif [ -f "$p" ]; then
		files="$files $p"
	elif [ "$p" != tests/unit/data/cap ]; then
		echo "oracle: FAIL: $p: no such file or directory" >&2
		exit 1
	fi
done
[ -n "$files" ] || { echo "oracle: FAIL: no capture to compare in: $*" >&2; exit 1; }

# tshark's rows for a capture are kept, under the hash of everything they depend on (the tshark
# package's version included), in ORACLE_CACHE (default: a directory in TMPDIR; empty: no cache)
tshark_version=$(dpkg-query -W -f='${Version}' tshark 2>/dev/null || true)
CACHE=${ORACLE_CACHE-${TMPDIR:-/tmp}/ikescope-oracle-cache}
[ -n "$tshark_version" ] || CACHE=""
if [ -n "$CACHE" ]; then mkdir -p "$CACHE" 2>/dev/null || CACHE=""; fi

# dissect -k (decryption) comes with its own change; use it as soon as dissect documents it
has_k=0
"$BIN" dissect --help 2>&1 | grep -qE -- '(^|[[:space:]])-k[[:space:],]' && has_k=1

bad=0 nfiles=0 nmsgs=0 ninner=0
for f in $files; do
	nfiles=$((nfiles + 1))
	keys=$(dirname "$f")/ikev2_decryption_table
	rm -f "$HOME/.config/wireshark/ikev2_decryption_table"
	kopt=""
	if [ -f "$keys" ]; then
		cp "$keys" "$HOME/.config/wireshark/ikev2_decryption_table"
		[ "$has_k" = 1 ] && kopt="-k $keys"
	fi
	# tshark's rows depend only on these inputs: reuse them across builds (make test runs twice)
	key=$( (echo "$tshark_version"; cat "$f" "$HERE/rfc8229.lua" "$HERE/tshark.jq"; [ -f "$keys" ] && cat "$keys") |
		sha256sum | cut -c1-32)
	if [ -n "$CACHE" ] && [ -f "$CACHE/$key.tsv" ]; then
		cp "$CACHE/$key.tsv" "$TMP/ts.tsv"
	else
		if ! tshark -X "lua_script:$HERE/rfc8229.lua" -n -r "$f" -T json --no-duplicate-keys >"$TMP/ts.json" 2>"$TMP/ts.err"; then
			echo "oracle: FAIL: $f: tshark failed: $(tail -n 1 "$TMP/ts.err")"
			bad=1
			continue
		fi
		jq -r -f "$HERE/tshark.jq" "$TMP/ts.json" >"$TMP/ts.tsv"
		if [ -n "$CACHE" ]; then
			cp "$TMP/ts.tsv" "$CACHE/$key.tsv.$$" && mv -f "$CACHE/$key.tsv.$$" "$CACHE/$key.tsv"
		fi
	fi
	# exit 2 is ikescope's "invalid input": it still prints every message it could decode
	rc=0
	# shellcheck disable=SC2086
	"$BIN" dissect -r "$f" $kopt --json >"$TMP/is.json" 2>"$TMP/is.err" || rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
		echo "oracle: FAIL: $f: ikescope exited $rc: $(tail -n 1 "$TMP/is.err")"
		bad=1
		continue
	fi
	if ! jq -n -r -f "$HERE/ikescope.jq" "$TMP/is.json" >"$TMP/is.tsv" 2>"$TMP/jq.err"; then
		echo "oracle: FAIL: $f: ikescope's JSON does not parse: $(head -n 1 "$TMP/jq.err")"
		bad=1
		continue
	fi
	nmsgs=$((nmsgs + $(wc -l <"$TMP/ts.tsv")))
	awk -F'\t' -v file="$f" '
	BEGIN {
		split("frame,index,ispi,rspi,exchange,initiator,response,version flag,version,mid,payloads,notifies,inner payloads,inner notifies,inner auth", name, ",")
	}
	FILENAME == ARGV[1] { ts[$1 FS $2] = $0; order[++n] = $1 FS $2; next }
	{
		k = $1 FS $2
		if (!(k in ts)) {
			printf "%s frame %s: message %d: ikescope has it, tshark does not (%s %s)\n", file, $1, $2, $3, $5
			bad = 1
			next
		}
		split(ts[k], t, FS)
		if (t[13] != "-" && $13 != "-")
			inner++
		for (i = 3; i <= 15; i++) {
			# the inner chain only where both tools decrypted it
			if (i >= 13 && (t[13] == "-" || $13 == "-"))
				continue
			if (t[i] != $i) {
				printf "%s frame %s: %s: tshark=%s ikescope=%s\n", file, $1, name[i], t[i], $i
				bad = 1
			}
		}
		seen[k] = 1
	}
	END {
		for (i = 1; i <= n; i++)
			if (!(order[i] in seen)) {
				split(ts[order[i]], t, FS)
				printf "%s frame %s: message %d: tshark has it, ikescope does not (%s %s)\n", file, t[1], t[2], t[3], t[5]
				bad = 1
			}
		print inner + 0 > "/dev/stderr"
		exit bad
	}' "$TMP/ts.tsv" "$TMP/is.tsv" 2>"$TMP/inner" || bad=1
	ninner=$((ninner + $(cat "$TMP/inner" 2>/dev/null || echo 0)))
done

if [ "$bad" -ne 0 ]; then
	echo "oracle: FAIL (over $nfiles files, $nmsgs IKEv2 messages seen by tshark)"
	exit 1
fi
echo "oracle: ok: $nfiles files, $nmsgs IKEv2 messages agree ($ninner decrypted by both: inner payloads, notifies and AUTH data agree too)"
