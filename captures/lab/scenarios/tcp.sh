# tcp: IKE and ESP over TCP (RFC 8229). Debian 12's strongSwan 5.9.8 cannot encapsulate in TCP
# (no TCP socket plugin, no `encap = tcp`), so this scenario is built, not recorded: udp2tcp
# re-frames the messages of the recorded `healthy` scenario as one RFC 8229 stream (see udp2tcp).
synthetic() {
	[ -s "$OUT_ROOT/healthy/local.pcap" ] || die "tcp is built from healthy: run 'lab.sh healthy' first"
	"$LAB_DIR/udp2tcp" "$OUT_ROOT/healthy" "$1"
}
