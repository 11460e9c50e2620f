# dh-group-mismatch: local offers MODP_2048 first (its KE payload is for group 14) and MODP_4096
# second; the peer accepts only MODP_4096, answers INVALID_KE_PAYLOAD requesting group 16, and
# local restarts IKE_SA_INIT with a MODP_4096 KE payload. The tunnel comes up.
LOCAL_IKE=aes256-sha256-modp2048-modp4096
PEER_IKE=aes256-sha256-modp4096
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 15
	nap 2
}
