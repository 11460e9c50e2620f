#!/bin/sh
# run.sh BUILD_DIR SCENARIO...: for each scenario, draw the ladder of its captures (common.sh) and
# check that the SVG
#   - is well-formed XML (xmllint --noout),
#   - is self-contained: no script, no event handler, no link or reference outside the file,
#   - is byte for byte tests/svg/golden/SCENARIO.svg (after a deliberate change: regen.sh),
#   - renders in headless Chromium to a PNG of exactly the size the SVG declares, with ink on
#     at least 1% of it, and red pixels exactly when the drawing has red in it.
# tests/setup-deps.sh installs chromium and libxml2-utils.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
PNGSTAT=$BUILD/tests/svg/pngstat
[ -x "$PNGSTAT" ] || { echo "svg: FAIL: $PNGSTAT is not built"; exit 1; }
for tool in xmllint chromium; do
	command -v "$tool" >/dev/null 2>&1 || { echo "svg: FAIL: $tool is not installed (tests/setup-deps.sh)"; exit 1; }
done
[ $# -gt 0 ] || { echo "svg: FAIL: no scenario named"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-svg.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
bad=0
for s in "$@"; do
	out=$TMP/$s.svg
	draw "$s" "$out" || { bad=1; continue; }
	if ! xmllint --noout "$out" 2>"$TMP/xml.err"; then
		echo "svg: FAIL: $s: not well-formed XML: $(head -n 1 "$TMP/xml.err")"
		bad=1
		continue
	fi
	# only the drawing's own markers may be referenced
	if grep -Eiq '<script|<foreignObject|<image|<a[ >]|href=|[ "]on[a-z]+=|@import|@font-face|url\([^#]' "$out"; then
		echo "svg: FAIL: $s: not self-contained: $(grep -Eio '<script|<foreignObject|<image|<a[ >]|href=|[ "]on[a-z]+=|@import|@font-face|url\([^#]' "$out" | head -n 1)"
		bad=1
	fi
	golden=$SVGDIR/golden/$s.svg
	if [ ! -f "$golden" ]; then
		echo "svg: FAIL: $s has no tests/svg/golden/$s.svg (tests/svg/regen.sh BUILD_DIR $s)"
		bad=1
	elif ! diff -u "$golden" "$out" >"$TMP/diff"; then
		echo "svg: FAIL: $s: the drawing differs from tests/svg/golden/$s.svg:"
		head -n 40 "$TMP/diff"
		bad=1
	fi
	size=$(sed -n 's/^<svg [^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$out")
	set -- $size
	[ $# -eq 2 ] || { echo "svg: FAIL: $s: no width and height on <svg>"; bad=1; continue; }
	w=$1 h=$2
	# a profile of its own: tests run in parallel
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
		--user-data-dir="$TMP/profile-$s" --screenshot="$TMP/$s.png" --window-size="$w,$h" \
		"file://$out" >"$TMP/chromium.log" 2>&1 || true
	stat=$("$PNGSTAT" "$TMP/$s.png" 2>&1) || {
		echo "svg: FAIL: $s: headless Chromium made no readable PNG: $stat; $(tail -n 1 "$TMP/chromium.log")"
		bad=1
		continue
	}
	set -- $stat
	if [ "$1" != "$w" ] || [ "$2" != "$h" ]; then
		echo "svg: FAIL: $s: rendered $1x$2, the SVG declares ${w}x$h"
		bad=1
	fi
	if [ "$3" -lt $((w * h / 100)) ]; then
		echo "svg: FAIL: $s: rendered nearly blank: $3 of $((w * h)) pixels inked"
		bad=1
	fi
	if grep -Eq 'class="(a r|x|lbl r)' "$out"; then want_red=1; else want_red=0; fi
	if [ "$want_red" = 1 ] && [ "$4" -eq 0 ]; then
		echo "svg: FAIL: $s: the drawing has red elements, the rendering no red pixel"
		bad=1
	elif [ "$want_red" = 0 ] && [ "$4" -gt 0 ]; then
		echo "svg: FAIL: $s: $4 red pixels rendered where nothing should be red"
		bad=1
	fi
	[ "$bad" = 0 ] && echo "svg: ok: $s: ${w}x$h, $3 pixels inked, $4 red"
done
[ "$bad" = 0 ] || exit 1
