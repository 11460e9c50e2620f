# psk-mismatch: the two ends are configured with different pre-shared keys. The peer cannot
# verify local's AUTH payload and answers IKE_AUTH with AUTHENTICATION_FAILED.
PEER_PSK=not-the-same-psk
run() {
	initiate
	wait_log local 'received AUTHENTICATION_FAILED notify error' 10
	nap 2
}
