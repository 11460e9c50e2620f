# dpd-lost-toward-peer: the tunnel is up and local sends DPDs every 5 s (the peer sends none).
# The ISP starts dropping everything from local toward the peer: local's DPD and its
# retransmissions die in the ISP (seen at the ISP tap, never at the peer), local gives up and,
# with dpd_action = restart, re-initiates. The ISP stops dropping as soon as local gives up, so
# the new IKE_SA ipsec2_1[2] comes up: the tunnel flapped.
LOCAL_DPD=5s
run() {
	local h
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	nap 1
	h=$(isp_drop toward-peer)
	wait_log local 'giving up after 3 retransmits' 40
	isp_undrop "$h"
	wait_log local 'IKE_SA ipsec2_1\[2\] established' 30
	wait_log local 'CHILD_SA child_ipsec2_1\{2\} established' 5
	nap 2
}
