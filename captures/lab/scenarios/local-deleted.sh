# local-deleted (beyond the list): after establishment local itself terminates the IKE_SA
# (swanctl --terminate --ike, as an operator or a vEdge control-plane change would): local sends the
# IKE DELETE, the peer acknowledges it, nothing re-initiates.
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	nap 2
	swan local --terminate --ike ipsec2_1 --timeout 3 >/dev/null 2>&1 || true
	wait_log local 'IKE_SA deleted' 5
	nap 3
}
