#!/bin/sh
# run.sh BUILD_DIR [SCENARIO]...: compare ikescope dissect's text and JSON output for every capture
# of the named scenarios (default: all) with the committed files, byte for byte, showing the diff.
# Without SCENARIO, or with --complete alone, it checks that every capture has its golden files and
# every golden file its capture (--complete: only that; the build registers one test per scenario
# and one --complete test that catches a capture added since the build was configured).
# After a deliberate change of the output: tests/golden/regen.sh BUILD_DIR.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/common.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-golden.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
bad=0 n=0

complete=0 checked=0
if [ "${1:-}" = --complete ]; then complete=1; shift; fi
if [ $# -eq 0 ]; then
	set -- $(scenarios)
	[ $# -gt 0 ] || { echo "golden: FAIL: no capture under captures/"; exit 1; }
	for s in "$@"; do
		for cap in "$ROOT/captures/$s"/*.pcap; do
			v=$(basename "$cap" .pcap)
			for ext in txt json; do
				[ -f "$GOLDEN/$s/$v.$ext" ] || {
					echo "golden: FAIL: captures/$s/$v.pcap has no tests/golden/$s/$v.$ext (tests/golden/regen.sh BUILD_DIR)"
					bad=1
				}
			done
		done
	done
	# a golden file whose capture is gone
	for g in "$GOLDEN"/*/*.txt "$GOLDEN"/*/*.json; do
		[ -f "$g" ] || continue
		s=$(basename "$(dirname "$g")") v=$(basename "$g"); v=${v%.*}
		[ -f "$ROOT/captures/$s/$v.pcap" ] ||
			{ echo "golden: FAIL: tests/golden/$s/$(basename "$g") has no capture captures/$s/$v.pcap"; bad=1; }
	done
	checked=1
	if [ "$complete" = 1 ]; then
		[ "$bad" = 0 ] || exit 1
		echo "golden: ok: the captures of $# scenarios all have golden files"
		exit 0
	fi
fi

for s in "$@"; do
	[ -d "$ROOT/captures/$s" ] || { echo "golden: FAIL: no scenario captures/$s"; bad=1; continue; }
	found=0
	for cap in "$ROOT/captures/$s"/*.pcap; do
		[ -f "$cap" ] || continue
		found=1
		v=$(basename "$cap" .pcap)
		[ "$checked" = 1 ] || for ext in txt json; do
			[ -f "$GOLDEN/$s/$v.$ext" ] || {
				echo "golden: FAIL: captures/$s/$v.pcap has no tests/golden/$s/$v.$ext (tests/golden/regen.sh BUILD_DIR)"
				bad=1
			}
		done
		dissect "$s" "$v" "$TMP/out" || { bad=1; continue; }
		for ext in txt json; do
			[ -f "$GOLDEN/$s/$v.$ext" ] || continue
			n=$((n + 1))
			if ! diff -u "$GOLDEN/$s/$v.$ext" "$TMP/out.$ext" >"$TMP/diff"; then
				echo "golden: FAIL: captures/$s/$v.pcap: output differs from tests/golden/$s/$v.$ext:"
				sed -e "s|$TMP/out|ikescope output|" "$TMP/diff"
				# JSON lines are long: name the members that differ
				[ "$ext" = json ] && jq -n -r --slurpfile want "$GOLDEN/$s/$v.json" --slurpfile got "$TMP/out.json" \
					-f "$GOLDEN/jsondiff.jq" 2>/dev/null
				bad=1
			fi
		done
	done
	[ "$found" = 1 ] || { echo "golden: FAIL: captures/$s holds no capture"; bad=1; }
done

[ "$bad" = 0 ] || exit 1
echo "golden: ok: $n files identical"
