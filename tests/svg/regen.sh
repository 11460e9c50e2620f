#!/bin/sh
# regen.sh BUILD_DIR [SCENARIO]...: rewrite tests/svg/golden/SCENARIO.svg from the current build
# (default: every scenario), after a deliberate change of the drawing. Review with git diff.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-svg.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
[ $# -gt 0 ] || set -- $(scenarios)
for s in "$@"; do
	draw "$s" "$TMP/$s.svg"
	mv "$TMP/$s.svg" "$SVGDIR/golden/$s.svg"
	echo "svg: wrote tests/svg/golden/$s.svg"
done
