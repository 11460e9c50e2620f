# ike-proposal-mismatch: no IKE proposal in common (local AES-256/SHA-256, peer AES-128/SHA-1).
# The peer answers IKE_SA_INIT with NO_PROPOSAL_CHOSEN.
LOCAL_IKE=aes256-sha256-modp2048
PEER_IKE=aes128-sha1-modp2048
run() {
	initiate
	wait_log local 'received NO_PROPOSAL_CHOSEN notify error' 10
	nap 2
}
