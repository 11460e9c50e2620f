# child-rekey: local's CHILD_SA has rekey_time = 8 s; local rekeys it with CREATE_CHILD_SA
# (N(REKEY_SA)), the new CHILD_SA child_ipsec2_1{2} takes over and the old one is deleted.
LOCAL_CHILD_TIMES="rekey_time = 8s
	        life_time = 30s
	        rand_time = 0s"
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	ping_through 2
	wait_log local 'CHILD_SA child_ipsec2_1\{2\} established' 15
	wait_log local 'closing CHILD_SA child_ipsec2_1\{1\}' 5
	ping_through 2
	nap 1
}
