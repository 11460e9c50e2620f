# ike-rekey: local's IKE_SA has rekey_time = 8 s; local rekeys it with CREATE_CHILD_SA carrying a
# new IKE SA proposal; IKE_SA ipsec2_1[2] (new SPIs, new keys) replaces ipsec2_1[1], which is
# deleted; a DPD every 4 s shows the new IKE SA in use.
LOCAL_IKE_TIMES="rekey_time = 8s
	    over_time = 30s
	    rand_time = 0s"
LOCAL_DPD=4s
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	wait_log local 'IKE_SA ipsec2_1\[1\] state change: REKEYING => REKEYED|IKE_SA deleted' 15
	nap 6
}
