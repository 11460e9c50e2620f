#!/bin/sh
# run.sh EXE NAME SEEDS_EXE SRCROOT BUILDDIR SECONDS: one fuzz target for a fixed
# time, from seeds made now out of captures/ and the unit data. Any crash, leak,
# sanitizer report or timeout makes libFuzzer exit non-zero, and so this test.
set -eu
exe=$1 name=$2 seeds=$3 src=$4 out=$5 secs=$6
work=$out/corpus-$name
seed=$out/seeds-$name
rm -rf "$work" "$seed"
mkdir -p "$work" "$seed"

# the first 64 KiB of a big file is seed enough (and a truncated file is a case too)
copy_head() { # DEST FILE...
	dest=$1
	shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		head -c 65536 "$f" >"$dest/$(basename "$(dirname "$f")")-$(basename "$f")"
	done
}

# the published dissector advisories' input shapes (tests/hostile/advisories) seed every target
adv=$src/tests/hostile/advisories
case $name in
pcap) copy_head "$seed" "$src"/captures/*/*.pcap "$src"/tests/unit/data/keydump/*.pcap "$adv"/*.pcap ;;
log) copy_head "$seed" "$src"/tests/unit/data/keydump/*.log "$src"/captures/*/local.log ;;
keyfile) copy_head "$seed" "$src"/captures/*/ikev2_decryption_table "$src"/tests/unit/data/keydump/expected_table "$adv"/*.keys ;;
config) copy_head "$seed" "$src"/tests/unit/data/config/* ;;
*)
	"$seeds" "$seed.all" "$src"/captures/*/*.pcap "$adv"/*.pcap
	mv "$seed.all/$name"/* "$seed"/ 2>/dev/null || true
	rm -rf "$seed.all"
	;;
esac
n=$(ls "$seed" | wc -l)
[ "$n" -gt 0 ] || { echo "fuzz_$name: no seeds" >&2; exit 1; }
echo "fuzz_$name: $n seeds, $secs s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
exec "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$out/crash-$name-" "$work" "$seed"
