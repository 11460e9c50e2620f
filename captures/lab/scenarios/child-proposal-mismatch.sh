# child-proposal-mismatch (beyond the list): the IKE proposals agree but the ESP proposals
# do not (local aes256-sha256, peer aes128-sha1). The peer answers IKE_AUTH with N(NO_PROP): the
# IKE_SA is up, the CHILD_SA is never built.
LOCAL_ESP=aes256-sha256
PEER_ESP=aes128-sha1
run() {
	initiate
	wait_log local 'received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built' 10
	nap 2
}
