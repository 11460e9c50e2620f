# nat: the ISP masquerades local's traffic behind 203.0.113.254. IKE_SA_INIT's NAT-D payloads show
# it, IKE moves from UDP 500 to 4500 (as it does in every scenario: see README, kernel-libipsec),
# and local, now knowing it is behind NAT, sends NAT keepalives every 5 s while idle.
NAT=yes
KEEP_ALIVE=5s
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	ping_through 3
	nap 12
}
