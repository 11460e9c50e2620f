#!/bin/sh
# setup-deps.sh: install the Debian packages that building, testing and the capture lab need.
# Asks dpkg what is there; runs apt-get update and install only for what is missing. Idempotent.
# One line per action; exits non-zero with the reason when something cannot be installed.
set -eu

# build and unit tests
PKGS="build-essential pkg-config meson ninja-build libpcap-dev libgcrypt20-dev libsodium-dev libcriterion-dev"
# golden and oracle tests (tshark is the oracle, jq reads both tools' JSON)
PKGS="$PKGS tshark jq"
# compare's scenario test shifts and cuts captures with editcap
PKGS="$PKGS wireshark-common"
# the benchmark (tests/bench/run.sh) reads peak RSS from /usr/bin/time
PKGS="$PKGS time"
# the capture lab (captures/lab/lab.sh and its selftest)
PKGS="$PKGS tcpdump strongswan-charon strongswan-swanctl strongswan-pki libstrongswan-standard-plugins"
PKGS="$PKGS libcharon-extra-plugins libstrongswan-extra-plugins iproute2 nftables iputils-ping procps util-linux mawk"
# memcheck over the golden commands (tests/valgrind)
PKGS="$PKGS valgrind"
# fuzzing and compressed captures
PKGS="$PKGS clang libclang-rt-14-dev zlib1g-dev"
# the ladder diagram tests (tests/svg/run.sh): XML validity and rendering to PNG
PKGS="$PKGS libxml2-utils chromium"

say() { echo "setup-deps: $*"; }
die() { echo "setup-deps: error: $*" >&2; exit 1; }

command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script needs Debian 12 (bookworm)"

missing=""
for p in $PKGS; do
	case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) in
	"install ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	say "all $(echo $PKGS | wc -w) packages present"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "missing packages:$missing; run as root (or: sudo apt-get install$missing)"

export DEBIAN_FRONTEND=noninteractive
# tshark would ask whether non-root users may capture; answer no, without a prompt
say "preseeding wireshark-common/install-setuid=false"
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections ||
	die "debconf-set-selections failed"

say "apt-get update (missing:$missing)"
apt-get update -q >/tmp/setup-deps-update.log 2>&1 ||
	die "apt-get update failed, see /tmp/setup-deps-update.log: $(tail -n 3 /tmp/setup-deps-update.log)"

say "apt-get install$missing"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing </dev/null >/tmp/setup-deps-install.log 2>&1 ||
	die "apt-get install failed, see /tmp/setup-deps-install.log: $(tail -n 5 /tmp/setup-deps-install.log)"

for p in $missing; do
	case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) in
	"install ok installed") say "installed $p" ;;
	*) die "$p is still not installed after apt-get install" ;;
	esac
done
