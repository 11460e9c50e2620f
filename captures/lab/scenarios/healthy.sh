# healthy: local (the vEdge) establishes ipsec2_1 with a CHILD_SA, pings through it, then stays
# idle while its DPD (every 5 s) is answered by the peer. Nothing is dropped.
LOCAL_DPD=5s
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	ping_through 3
	nap 11
}
