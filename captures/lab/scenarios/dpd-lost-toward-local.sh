# dpd-lost-toward-local: the tunnel is up and local sends DPDs every 5 s. The ISP starts dropping
# everything from the peer toward local: local's DPDs reach the peer, whose responses die in the
# ISP (the ISP tap sits on the local side, so it never sees them). local gives up and re-initiates
# (dpd_action = restart); the new IKE_SA_INIT reaches the peer, the responses die again, and local
# gives up for good (keyingtries = 1): the tunnel stays down.
LOCAL_DPD=5s
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	nap 1
	isp_drop toward-local >/dev/null
	wait_log local 'establishing IKE_SA failed, peer not responding' 60
	nap 1
}
