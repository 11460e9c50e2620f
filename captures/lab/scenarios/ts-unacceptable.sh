# ts-unacceptable (beyond the list): the peer expects 203.0.113.128/25 behind local instead of
# 198.51.100.0/25. IKE_AUTH authenticates both ends, but the peer finds no traffic selector it can
# accept and answers with N(TS_UNACCEPT): the IKE_SA is up, the CHILD_SA is never built.
PEER_REMOTE_TS=203.0.113.128/25
run() {
	initiate
	wait_log local 'received TS_UNACCEPTABLE notify, no CHILD_SA built' 10
	nap 2
}
