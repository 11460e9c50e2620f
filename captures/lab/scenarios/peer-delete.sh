# peer-delete: after establishment the peer terminates the IKE_SA (swanctl --terminate --ike), which
# sends an INFORMATIONAL with only a Delete payload for the IKE SA. local removes the IKE_SA and
# its CHILD_SA and does not re-initiate (close_action = none, as on a vEdge waiting for traffic).
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	nap 2
	swan peer --terminate --ike ipsec2_1 --timeout 3 >/dev/null 2>&1 || true
	wait_log local 'received DELETE for IKE_SA ipsec2_1\[1\]' 5
	nap 5
}
