# ipv6: the healthy scenario between IPv6 peers (2001:db8::/32 documentation prefix), with IPv6
# traffic selectors; local's DPD every 5 s is answered.
FAMILY=6
LOCAL_ADDR=2001:db8:1::1 LOCAL_GW=2001:db8:1::fe LOCAL_PLEN=64
PEER_ADDR=2001:db8:2::1 PEER_GW=2001:db8:2::fe PEER_PLEN=64
LOCAL_TS=2001:db8:a::/64 LOCAL_TS_ADDR=2001:db8:a::1
PEER_TS=2001:db8:b::/64 PEER_TS_ADDR=2001:db8:b::1
LOCAL_DPD=5s
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10
	ping_through 3
	nap 6
}
