#!/bin/sh
# Rebuilds linux_veth.pcap (Ethernet) and linux_any_sll2.pcap (tcpdump -i any,
# Linux cooked v2): two network namespaces joined by a veth pair with a
# 1280-byte MTU, so the kernel fragments the large IKE datagrams (IPv4 and
# IPv6) and segments the RFC 8229 stream. Needs root, python3 and tcpdump.
set -e
cd "$(dirname "$0")"
ip netns add capA
ip netns add capB
trap 'ip netns del capA; ip netns del capB' EXIT
ip link add vA type veth peer name vB
ip link set vA netns capA
ip link set vB netns capB
ip -n capA addr add 10.9.0.1/24 dev vA
ip -n capB addr add 10.9.0.2/24 dev vB
ip -n capA -6 addr add fd00::1/64 dev vA nodad
ip -n capB -6 addr add fd00::2/64 dev vB nodad
ip -n capA link set vA up mtu 1280
ip -n capB link set vB up mtu 1280
ip netns exec capB python3 recv.py &
sleep 0.3
ip netns exec capB tcpdump -i vB -w linux_veth.pcap -U 2>/dev/null &
e=$!
ip netns exec capB tcpdump -i any -w linux_any_sll2.pcap -U 2>/dev/null &
a=$!
sleep 1
ip netns exec capA python3 send.py
sleep 0.5
kill $e $a
wait
