#!/bin/sh
# readme.sh BUILD_DIR: redraw the picture README.md shows, tests/svg/readme-dpd-lost-toward-peer.png:
# the ladder `correlate --svg` draws of the dpd-lost-toward-peer scenario (three captures, both
# logs, the keys), rendered by headless Chromium at the size the SVG declares.
set -eu
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-svg.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
s=captures/dpd-lost-toward-peer
(cd "$ROOT" && "$BIN" correlate -r $s/local.pcap -r $s/isp.pcap -r $s/peer.pcap -l $s/local.log -l $s/peer.log \
	-k $s/ikev2_decryption_table --svg "$TMP/ladder.svg") >/dev/null
set -- $(sed -n 's/^<svg [^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$TMP/ladder.svg")
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
	--user-data-dir="$TMP/profile" --screenshot="$TMP/ladder.png" --window-size="$1,$2" \
	"file://$TMP/ladder.svg" >"$TMP/chromium.log" 2>&1 || true
"$BUILD/tests/svg/pngstat" "$TMP/ladder.png" >/dev/null
mv "$TMP/ladder.png" "$SVGDIR/readme-dpd-lost-toward-peer.png"
echo "svg: wrote tests/svg/readme-dpd-lost-toward-peer.png (${1}x$2)"
