#!/bin/sh
# regen.sh BUILD_DIR [SCENARIO]...: rewrite the expected output of every capture of the named
# scenarios (default: all, and golden files whose capture is gone are removed). Review the diff
# (git diff tests/golden) before committing: it is the change users will see.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/common.sh"

if [ $# -eq 0 ]; then
	set -- $(scenarios)
	for g in "$GOLDEN"/*/*.txt "$GOLDEN"/*/*.json; do
		[ -f "$g" ] || continue
		s=$(basename "$(dirname "$g")") v=$(basename "$g"); v=${v%.*}
		[ -f "$ROOT/captures/$s/$v.pcap" ] || { rm -f "$g"; echo "removed tests/golden/$s/$(basename "$g")"; }
	done
	for d in "$GOLDEN"/*/; do rmdir "$d" 2>/dev/null || true; done
fi

for s in "$@"; do
	mkdir -p "$GOLDEN/$s"
	for cap in "$ROOT/captures/$s"/*.pcap; do
		[ -f "$cap" ] || { echo "golden: no capture in captures/$s" >&2; exit 1; }
		v=$(basename "$cap" .pcap)
		dissect "$s" "$v" "$GOLDEN/$s/$v" || { rm -f "$GOLDEN/$s/$v.err"; exit 1; }
		rm -f "$GOLDEN/$s/$v.err"
		echo "wrote tests/golden/$s/$v.txt and $v.json"
	done
done
