# pfs-mismatch: local's ESP proposal carries MODP_4096 (vEdge "perfect-forward-secrecy group-16"),
# the peer's has no DH group. The first CHILD_SA, negotiated inside IKE_AUTH, carries no KE and
# comes up; local's CHILD_SA rekey (rekey_time = 8 s) offers MODP_4096 with a KE payload and the
# peer answers NO_PROPOSAL_CHOSEN. At life_time (20 s) local deletes the CHILD_SA it could not
# rekey: no traffic can pass any more, although the IKE_SA stays up.
LOCAL_ESP=aes256-sha256-modp4096
PEER_ESP=aes256-sha256
LOCAL_CHILD_TIMES="rekey_time = 8s
	        life_time = 20s
	        rand_time = 0s"
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	ping_through 2
	wait_log local 'received NO_PROPOSAL_CHOSEN notify' 15
	wait_log local 'closing CHILD_SA child_ipsec2_1\{1\}|sending DELETE for ESP CHILD_SA' 20
	nap 2
}
