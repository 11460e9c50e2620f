# default-retransmit: peer-unreachable with strongSwan's default retransmission settings
# (timeout 4 s, base 1.8, 5 tries): retransmits at 4, 11.2, 24.16, 47.49, 89.48 s and
# "giving up" at 165.06 s after the first IKE_SA_INIT.
RETRANSMIT=""
run() {
	isp_drop toward-peer >/dev/null
	initiate
	wait_log local 'establishing IKE_SA failed, peer not responding' 200
	nap 1
}
