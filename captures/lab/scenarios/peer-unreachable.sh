# peer-unreachable: the ISP drops everything from local toward the peer. local's IKE_SA_INIT is
# retransmitted (lab schedule: 2, 5, 9.5 s) and given up after 16.25 s; the peer never sees it.
run() {
	isp_drop toward-peer >/dev/null
	initiate
	wait_log local 'establishing IKE_SA failed, peer not responding' 30
	nap 1
}
