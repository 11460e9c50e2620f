#!/bin/bash
# selftest.sh: run the short `healthy` lab scenario live into a temporary directory (never over
# the committed captures) and check the shape of what it recorded, so the lab never rots:
#  - local.pcap, isp.pcap, peer.pcap are Ethernet pcaps holding IKE on UDP 500;
#  - local.log and peer.log are vEdge-shaped and show "IKE_SA ipsec2_1[N] established";
#  - the harvested ikev2_decryption_table has a row whose SPIs are in the capture;
#  - tshark, given that table in a throw-away profile, decrypts an IKE_AUTH message.
# Needs root (network namespaces). Exits 0 when all holds, 1 with a one-line reason otherwise;
# it never skips.
set -u
LAB_DIR=$(cd "$(dirname "$0")" && pwd)

fail() { echo "selftest: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (the lab creates network namespaces)"
for t in ip nft tcpdump tshark swanctl nsenter unshare /usr/lib/ipsec/charon; do
	command -v "$t" >/dev/null 2>&1 || fail "$t not found (install the Debian packages listed in captures/README.md)"
done

out=$(mktemp -d /tmp/ikescope-selftest.XXXXXX)
trap 'rm -rf "$out"' EXIT

if ! "$LAB_DIR/lab.sh" -o "$out" healthy >"$out/lab.out" 2>&1; then
	# the scenario's own complaint, not the driver's generic "scenario healthy failed"
	why=$(grep -v -e '\] starting$' -e 'scenario healthy failed' "$out/lab.out" | tail -n 1)
	fail "lab.sh healthy failed: ${why:-$(tail -n 1 "$out/lab.out")}"
fi
d=$out/healthy

for f in local.pcap isp.pcap peer.pcap local.log peer.log ikev2_decryption_table; do
	[ -s "$d/$f" ] || fail "$f is missing or empty"
done

for v in local isp peer; do
	tcpdump -r "$d/$v.pcap" -c 1 2>&1 >/dev/null | grep -q 'link-type EN10MB' ||
		fail "$v.pcap is not an Ethernet (EN10MB) pcap"
	n=$(tshark -n -r "$d/$v.pcap" -Y 'udp.port == 500 && isakmp.version == 0x20' 2>/dev/null | wc -l)
	[ "$n" -ge 2 ] || fail "$v.pcap holds $n IKEv2 messages on UDP 500, expected the IKE_SA_INIT pair"
done

shape='^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] (vedge01|peer01) charon: [0-9][0-9]+\[[A-Z]+\] '
for v in local peer; do
	bad=$(grep -cvE "$shape" "$d/$v.log")
	[ "$bad" = 0 ] || fail "$v.log has $bad lines not in the 'Mon dd hh:mm:ss host charon: NN[GRP] text' shape"
	grep -qE 'IKE_SA ipsec2_1\[[0-9]+\] established' "$d/$v.log" ||
		fail "$v.log has no 'IKE_SA ipsec2_1[N] established' line"
done

spis=$(tshark -n -r "$d/local.pcap" -Y isakmp -T fields -e isakmp.ispi -e isakmp.rspi 2>/dev/null |
	tr -d ':' | tr 'A-F' 'a-f' | sort -u)
found=no
while IFS=, read -r spii spir _; do
	case $spii in ''|'#'*) continue ;; esac
	printf '%s\n' "$spis" | grep -qx "$spii	$spir" && found=yes
done <"$d/ikev2_decryption_table"
[ "$found" = yes ] || fail "no row of ikev2_decryption_table has an SPI pair seen in local.pcap"

home=$out/wireshark-home
mkdir -p "$home/.config/wireshark"
cp "$d/ikev2_decryption_table" "$home/.config/wireshark/ikev2_decryption_table"
dec=$(HOME=$home XDG_CONFIG_HOME=$home/.config tshark -n -r "$d/local.pcap" \
	-Y 'isakmp.exchangetype == 35 && isakmp.enc.decrypted' 2>/dev/null | wc -l)
[ "$dec" -ge 1 ] || fail "tshark decrypts no IKE_AUTH of local.pcap with the harvested table"
bad=$(HOME=$home XDG_CONFIG_HOME=$home/.config tshark -n -r "$d/local.pcap" \
	-Y 'isakmp.ikev2.integrity_checksum' 2>/dev/null | wc -l)
[ "$bad" = 0 ] || fail "tshark finds $bad IKE messages whose ICV does not verify with the harvested table"

echo "selftest: ok (healthy recorded live; $dec IKE_AUTH messages decrypted)"
