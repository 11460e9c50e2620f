#!/bin/bash
# lab.sh: run two real strongSwan charon daemons with an ISP router between them, in three network
# namespaces, and record what each vantage point sees (three pcaps, two vEdge-shaped logs, the keys).
#
#   lab.sh list                 print the scenario names
#   lab.sh all                  run every scenario into captures/NAME/
#   lab.sh [-o DIR] NAME...     run the named scenarios into DIR/NAME/ (default: captures/)
#
# Needs root and Debian packages only: strongswan-charon, strongswan-swanctl, strongswan-pki,
# libstrongswan-standard-plugins, libcharon-extra-plugins (kernel-libipsec), libstrongswan-extra-plugins (cmac), iproute2, nftables,
# tcpdump, tshark (for the decryption check), wireshark-common (text2pcap, for `tcp`),
# iputils-ping, util-linux (unshare, nsenter), gawk or mawk.
# Every exit path removes the namespaces and ends the processes the lab started, by PID.
# See captures/README.md for the topology, where the taps and drops are, and each scenario.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "$0")" && pwd)
OUT_ROOT=$(dirname "$LAB_DIR")
CHARON=${CHARON:-/usr/lib/ipsec/charon}

die() { echo "lab.sh: $*" >&2; exit 1; }
say() { echo "lab.sh: [$SCN] $*" >&2; }

# Scenario names: one file per scenario in scenarios/, plus one per row of ciphers.list.
list_scenarios() {
	local f
	for f in "$LAB_DIR"/scenarios/*.sh; do basename "$f" .sh; done
	awk '!/^#/ && NF { print "cipher-" $1 }' "$LAB_DIR/ciphers.list"
}

# ---------------------------------------------------------------------------------------------
# Defaults every scenario starts from; a scenario file overrides what it needs and defines run().

set_defaults() {
	FAMILY=4
	LOCAL_ADDR=192.0.2.1 LOCAL_GW=192.0.2.254 LOCAL_PLEN=24
	PEER_ADDR=203.0.113.1 PEER_GW=203.0.113.254 PEER_PLEN=24
	LOCAL_TS=198.51.100.0/25 LOCAL_TS_ADDR=198.51.100.1
	PEER_TS=198.51.100.128/25 PEER_TS_ADDR=198.51.100.129
	PEER_REMOTE_TS=""      # what the peer expects behind local; empty: LOCAL_TS
	LOCAL_IKE=aes256-sha256-modp2048 PEER_IKE=aes256-sha256-modp2048
	LOCAL_ESP=aes256-sha256 PEER_ESP=aes256-sha256
	LOCAL_PSK=ikescope-lab-psk PEER_PSK=ikescope-lab-psk
	AUTH=psk               # psk | cert
	FRAGMENTATION=yes      # swanctl fragmentation = yes | no
	FRAGMENT_SIZE=1280     # charon.fragment_size
	LOCAL_DPD=0s PEER_DPD=0s
	LOCAL_DPD_ACTION=restart PEER_DPD_ACTION=clear
	# extra swanctl.conf lines for each side's IKE_SA and CHILD_SA, e.g. "rekey_time = 8s"
	LOCAL_IKE_TIMES="" PEER_IKE_TIMES="" LOCAL_CHILD_TIMES="" PEER_CHILD_TIMES=""
	KEEP_ALIVE=20s
	RETRANSMIT="retransmit_timeout = 2
  retransmit_base = 1.5
  retransmit_tries = 3"
	NAT=no
}

# ---------------------------------------------------------------------------------------------
# Namespaces. Names carry the PID so that the selftest and a full run never collide.

NS_PREFIX="ikl$$-"
NS_LOCAL="${NS_PREFIX}local" NS_ISP="${NS_PREFIX}isp" NS_PEER="${NS_PREFIX}peer"
PIDS_TCPDUMP="" PID_LOCAL="" PID_PEER="" NAP_PID=""

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

make_topology() {
	local ns
	for ns in "$NS_LOCAL" "$NS_ISP" "$NS_PEER"; do
		ip netns add "$ns"
		in_ns "$ns" ip link set lo up
	done
	ip link add loc0 netns "$NS_LOCAL" type veth peer name isp-l netns "$NS_ISP"
	ip link add peer0 netns "$NS_PEER" type veth peer name isp-p netns "$NS_ISP"
	in_ns "$NS_ISP" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	local ip=ip nodad=""
	for ns in "$NS_LOCAL" "$NS_ISP" "$NS_PEER"; do
		if [ "$FAMILY" = 6 ]; then
			# no DAD (addresses usable at once), no router solicitations; MLD reports remain
			in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
				net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
		else
			# IPv4 scenarios: no IPv6 at all, so the captures hold no MLD or neighbour discovery
			in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		fi
	done
	[ "$FAMILY" = 6 ] && ip="ip -6" nodad=nodad
	in_ns "$NS_LOCAL" $ip addr add "$LOCAL_ADDR/$LOCAL_PLEN" dev loc0 $nodad
	in_ns "$NS_ISP" $ip addr add "$LOCAL_GW/$LOCAL_PLEN" dev isp-l $nodad
	in_ns "$NS_ISP" $ip addr add "$PEER_GW/$PEER_PLEN" dev isp-p $nodad
	in_ns "$NS_PEER" $ip addr add "$PEER_ADDR/$PEER_PLEN" dev peer0 $nodad
	if [ "$FAMILY" = 6 ]; then
		in_ns "$NS_LOCAL" ip -6 addr add "$LOCAL_TS_ADDR/128" dev lo nodad
		in_ns "$NS_PEER" ip -6 addr add "$PEER_TS_ADDR/128" dev lo nodad
	else
		in_ns "$NS_LOCAL" ip addr add "$LOCAL_TS_ADDR/32" dev lo
		in_ns "$NS_PEER" ip addr add "$PEER_TS_ADDR/32" dev lo
	fi
	for ns in "$NS_LOCAL" "$NS_ISP" "$NS_PEER"; do
		in_ns "$ns" sh -c 'for i in $(ls /sys/class/net); do ip link set "$i" up; done'
	done
	in_ns "$NS_LOCAL" $ip route add default via "$LOCAL_GW"
	in_ns "$NS_PEER" $ip route add default via "$PEER_GW"
	# the ISP's filter: drops are rules in the forward chain (see isp_drop), NAT in postrouting
	in_ns "$NS_ISP" nft -f - <<-EOF
	table inet isp {
		chain forward { type filter hook forward priority 0; policy accept; }
		chain postrouting { type nat hook postrouting priority 100; policy accept; }
	}
	EOF
	if [ "$NAT" = yes ]; then
		in_ns "$NS_ISP" nft add rule inet isp postrouting oifname isp-p ip saddr 192.0.2.0/24 masquerade
	fi
}

# isp_drop DIRECTION [extra nft match]: drop, in the ISP's forward path, every packet going
# toward-peer (in isp-l, out isp-p) or toward-local (in isp-p, out isp-l). Prints the rule handle.
isp_drop() {
	local dir=$1; shift
	local iif=isp-l oif=isp-p
	[ "$dir" = toward-local ] && iif=isp-p oif=isp-l
	in_ns "$NS_ISP" nft --echo --handle add rule inet isp forward iifname "$iif" oifname "$oif" \
		"$@" counter drop | sed -n 's/.*# handle \([0-9]*\).*/\1/p'
	say "ISP drops $dir${*:+ ($*)}"
}
isp_undrop() {
	in_ns "$NS_ISP" nft delete rule inet isp forward handle "$1"
	say "ISP stops dropping (rule $1)"
}

start_tcpdump() {
	local ns=$1 dev=$2 file=$3
	# started directly (not through a shell function) so that $! is tcpdump's own PID
	ip netns exec "$ns" tcpdump -i "$dev" -s 0 -U -n -w "$file" </dev/null >/dev/null 2>>"$WORK/tcpdump.err" &
	PIDS_TCPDUMP="$PIDS_TCPDUMP $!"
}

# ---------------------------------------------------------------------------------------------
# charon configuration

# The level-2 log in the vEdge syslog shape and the level-4 log the keys are harvested from.
write_strongswan_conf() {
	local side=$1 host=$2 dir=$WORK/$1
	cat >"$dir/strongswan.conf" <<-EOF
	charon {
	  load_modular = no
	  load = random nonce openssl aes sha1 sha2 md5 hmac xcbc cmac gmp gcm kdf pem pkcs1 pkcs8 x509 pubkey revocation constraints kernel-libipsec kernel-netlink socket-default vici
	  install_virtual_ip = no
	  $RETRANSMIT
	  fragment_size = $FRAGMENT_SIZE
	  keep_alive = $KEEP_ALIVE
	  syslog { daemon { default = -1 } auth { default = -1 } }
	  filelog {
	    vedge {
	      path = $dir/charon.log
	      time_format = %b %e %H:%M:%S $host charon:
	      flush_line = yes
	      append = no
	      default = 1
	      ike = 2
	      cfg = 2
	      enc = 2
	      net = 2
	    }
	    keys {
	      path = $dir/keys.log
	      flush_line = yes
	      append = no
	      ike_name = yes
	      default = 0
	      ike = 4
	      mgr = 2
	      cfg = 2
	    }
	    stderr {
	      default = -1
	    }
	  }
	  plugins {
	    kernel-libipsec { allow_peer_ts = yes }
	    vici { socket = unix://$dir/charon.vici }
	  }
	}
	EOF
}

# write_swanctl_conf SIDE: the connection the way a vEdge names it (interface ipsec2).
write_swanctl_conf() {
	local side=$1 dir=$WORK/$1
	local me them my_ts their_ts ike esp psk dpd dpd_action ike_times child_times
	if [ "$side" = local ]; then
		me=$LOCAL_ADDR them=$PEER_ADDR my_ts=$LOCAL_TS their_ts=$PEER_TS
		ike=$LOCAL_IKE esp=$LOCAL_ESP psk=$LOCAL_PSK dpd=$LOCAL_DPD dpd_action=$LOCAL_DPD_ACTION
		ike_times=$LOCAL_IKE_TIMES child_times=$LOCAL_CHILD_TIMES
	else
		me=$PEER_ADDR them=$LOCAL_ADDR my_ts=$PEER_TS their_ts=${PEER_REMOTE_TS:-$LOCAL_TS}
		ike=$PEER_IKE esp=$PEER_ESP psk=$PEER_PSK dpd=$PEER_DPD dpd_action=$PEER_DPD_ACTION
		ike_times=$PEER_IKE_TIMES child_times=$PEER_CHILD_TIMES
		# behind the ISP's NAT, local's address is unknown to the peer
		[ "$NAT" = yes ] && them=%any
	fi
	local auth_local auth_remote secrets
	if [ "$AUTH" = cert ]; then
		auth_local="auth = pubkey
        certs = $side.crt
        id = \"CN=$side.ikescope.test\""
		auth_remote="auth = pubkey
        cacerts = ca.crt
        id = %any"
		secrets=""   # swanctl loads the key from private/ next to swanctl.conf
	else
		auth_local="auth = psk
        id = $me"
		auth_remote="auth = psk
        id = %any"
		secrets="ike-psk { secret = \"$psk\" }"
	fi
	cat >"$dir/swanctl.conf" <<-EOF
	connections {
	  ipsec2_1 {
	    version = 2
	    local_addrs = $me
	    remote_addrs = $them
	    proposals = $ike
	    mobike = no
	    fragmentation = $FRAGMENTATION
	    dpd_delay = $dpd
	    $ike_times
	    keyingtries = 1
	    unique = replace
	    send_cert = always
	    local {
	      $auth_local
	    }
	    remote {
	      $auth_remote
	    }
	    children {
	      child_ipsec2_1 {
	        local_ts = $my_ts
	        remote_ts = $their_ts
	        esp_proposals = $esp
	        dpd_action = $dpd_action
	        $child_times
	        start_action = none
	        close_action = none
	      }
	    }
	  }
	}
	secrets {
	  $secrets
	}
	EOF
}

make_pki() {
	local d=$WORK/pki side
	mkdir -p "$d"
	pki --gen --type rsa --size 3072 --outform pem >"$d/ca.key" 2>>"$d/pki.err"
	pki --self --ca --lifetime 3650 --in "$d/ca.key" --dn "CN=ikescope lab CA" --outform pem >"$d/ca.crt" 2>>"$d/pki.err"
	for side in local peer; do
		pki --gen --type rsa --size 4096 --outform pem >"$d/$side.key" 2>>"$d/pki.err"
		pki --pub --in "$d/$side.key" 2>>"$d/pki.err" |
			pki --issue --lifetime 3650 --cacert "$d/ca.crt" --cakey "$d/ca.key" \
				--dn "CN=$side.ikescope.test" --san "$side.ikescope.test" --outform pem >"$d/$side.crt" 2>>"$d/pki.err"
		# swanctl's layout next to each side's swanctl.conf: x509/, x509ca/, private/
		mkdir -p "$WORK/$side/x509" "$WORK/$side/x509ca" "$WORK/$side/private"
		cp "$d/$side.crt" "$WORK/$side/x509/"
		cp "$d/ca.crt" "$WORK/$side/x509ca/"
		cp "$d/$side.key" "$WORK/$side/private/"
	done
}

start_charon() {
	local side=$1 ns=$2 dir=$WORK/$1
	# private mount namespace with a tmpfs on /run: each charon has its own pid file and sockets
	# ip execs unshare, unshare execs sh, sh execs charon: $! is charon's PID
	ip netns exec "$ns" unshare -m sh -c \
		"mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$dir/strongswan.conf $CHARON" \
		</dev/null >>"$dir/charon.stdout" 2>&1 &
	local pid=$!
	if [ "$side" = local ]; then PID_LOCAL=$pid; else PID_PEER=$pid; fi
	local i
	for i in $(seq 50); do
		[ -S "$dir/charon.vici" ] && break
		kill -0 "$pid" 2>/dev/null || die "charon ($side) died at start, see $dir/charon.stdout"
		sleep 0.1
	done
	[ -S "$dir/charon.vici" ] || die "charon ($side) did not open its vici socket"
}

# swan SIDE ARGS...: swanctl in that charon's namespaces
swan() {
	local side=$1; shift
	local pid=$PID_LOCAL
	[ "$side" = peer ] && pid=$PID_PEER
	local cmd=$1; shift
	nsenter -t "$pid" -m -n swanctl "$cmd" --uri "unix://$WORK/$side/charon.vici" "$@"
}

# nap SECONDS: sleep in the background and wait for it, so that a TERM or INT runs the cleanup
# trap at once instead of after the sleep
nap() { sleep "$1" & NAP_PID=$!; wait "$NAP_PID"; NAP_PID=""; }

# wait_log SIDE REGEX SECONDS: wait until that charon's level-2 log has a line matching REGEX
wait_log() {
	local side=$1 re=$2 secs=$3 i
	for i in $(seq $((secs * 10))); do
		grep -qE -- "$re" "$WORK/$side/charon.log" 2>/dev/null && return 0
		sleep 0.1
	done
	say "timed out after ${secs}s waiting for /$re/ in $side's log"
	return 1
}

# initiate: local starts the tunnel the way a vEdge does (CHILD_SA child_ipsec2_1 of ipsec2_1)
initiate() {
	swan local --initiate --child child_ipsec2_1 --timeout 1 >/dev/null 2>&1 || true
}

# ping_through N: ESP traffic between the two traffic selectors
ping_through() {
	local ping=ping
	[ "$FAMILY" = 6 ] && ping="ping -6"
	in_ns "$NS_LOCAL" $ping -c "$1" -i 0.5 -W 1 -I "$LOCAL_TS_ADDR" "$PEER_TS_ADDR" >/dev/null 2>&1 || true
}

# count_decrypted PCAP TABLE: "D/E": of E encrypted IKE payloads, tshark decrypted D with TABLE
# copied into a throw-away Wireshark profile (so no user settings are read); ", N bad ICV" if any
count_decrypted() {
	local home bad; home=$(mktemp -d /tmp/ikescope-ws.XXXXXX)
	mkdir -p "$home/.config/wireshark"
	cp "$2" "$home/.config/wireshark/ikev2_decryption_table"
	HOME=$home XDG_CONFIG_HOME=$home/.config tshark -n -r "$1" -Y isakmp \
		-T fields -e isakmp.enc.data -e isakmp.enc.decrypted 2>/dev/null |
		awk -F'\t' '$1 != "" { e++; if ($2 != "") d++ } END { printf "%d/%d", d, e }'
	bad=$(HOME=$home XDG_CONFIG_HOME=$home/.config tshark -n -r "$1" \
		-Y isakmp.ikev2.integrity_checksum 2>/dev/null | wc -l)
	[ "$bad" = 0 ] || printf ', %d bad ICV' "$bad"
	rm -rf "$home"
}

# ---------------------------------------------------------------------------------------------

cleanup() {
	local rc=$?
	set +e
	local p
	[ -n "$NAP_PID" ] && kill -TERM "$NAP_PID" 2>/dev/null
	for p in $PIDS_TCPDUMP; do kill -TERM "$p" 2>/dev/null; done
	for p in $PIDS_TCPDUMP; do wait "$p" 2>/dev/null; done
	for p in $PID_LOCAL $PID_PEER; do kill -TERM "$p" 2>/dev/null; done
	for p in $PID_LOCAL $PID_PEER; do
		local i
		for i in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS_TCPDUMP="" PID_LOCAL="" PID_PEER=""
	for p in "$NS_LOCAL" "$NS_ISP" "$NS_PEER"; do ip netns del "$p" 2>/dev/null; done
	[ -n "${WORK:-}" ] && [ -z "${LAB_KEEP:-}" ] && rm -rf "$WORK"
	return $rc
}

# stop_recording: end the captures first, then snapshot the logs, so that charon's shutdown
# (which deletes its SAs) is in neither the pcaps nor the logs
stop_recording() {
	local p
	sleep 1
	for p in $PIDS_TCPDUMP; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $PIDS_TCPDUMP; do wait "$p" 2>/dev/null || true; done
	PIDS_TCPDUMP=""
	cp "$WORK/local/charon.log" "$WORK/out/local.log"
	cp "$WORK/peer/charon.log" "$WORK/out/peer.log"
}

run_one() {
	SCN=$1
	local dest=$OUT_ROOT/$SCN
	set_defaults
	case $SCN in
	cipher-*)
		local row
		row=$(awk -v n="${SCN#cipher-}" '$1 == n { print $2 }' "$LAB_DIR/ciphers.list")
		[ -n "$row" ] || die "unknown scenario $SCN (lab.sh list)"
		# a short healthy establishment with that IKE proposal at both ends
		LOCAL_IKE=$row PEER_IKE=$row
		run() { initiate; wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 10; ping_through 2; }
		;;
	*)
		[ -f "$LAB_DIR/scenarios/$SCN.sh" ] || die "unknown scenario $SCN (lab.sh list)"
		# shellcheck disable=SC1090
		. "$LAB_DIR/scenarios/$SCN.sh"
		;;
	esac
	if declare -F synthetic >/dev/null; then
		synthetic "$dest"
		say "built into $dest"
		return
	fi
	WORK=$(mktemp -d /tmp/ikescope-lab.XXXXXX)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	mkdir -p "$WORK/local" "$WORK/peer" "$WORK/out"
	say "starting"
	make_topology
	[ "$AUTH" = cert ] && make_pki
	write_strongswan_conf local vedge01
	write_strongswan_conf peer peer01
	write_swanctl_conf local
	write_swanctl_conf peer
	start_tcpdump "$NS_LOCAL" loc0 "$WORK/out/local.pcap"
	start_tcpdump "$NS_ISP" isp-l "$WORK/out/isp.pcap"
	start_tcpdump "$NS_PEER" peer0 "$WORK/out/peer.pcap"
	start_charon local "$NS_LOCAL"
	start_charon peer "$NS_PEER"
	swan local --load-all --file "$WORK/local/swanctl.conf" >"$WORK/local/swanctl.out" 2>&1 ||
		die "swanctl --load-all failed on local: $(tail -1 "$WORK/local/swanctl.out")"
	swan peer --load-all --file "$WORK/peer/swanctl.conf" >"$WORK/peer/swanctl.out" 2>&1 ||
		die "swanctl --load-all failed on peer: $(tail -1 "$WORK/peer/swanctl.out")"
	sleep 1 # tcpdump is capturing by now
	run
	stop_recording
	"$LAB_DIR/harvest-keys" "$WORK/local/keys.log" "$WORK/peer/keys.log" >"$WORK/out/ikev2_decryption_table"
	say "tshark decrypts $(count_decrypted "$WORK/out/local.pcap" "$WORK/out/ikev2_decryption_table")" \
		"encrypted IKE messages of local.pcap with the harvested table"
	# expected.json is written by hand from the logs and never touched here
	mkdir -p "$dest"
	local f
	for f in local.pcap isp.pcap peer.pcap local.log peer.log ikev2_decryption_table; do
		cp "$WORK/out/$f" "$dest/$f"
	done
	say "recorded into $dest"
}

main() {
	[ $# -ge 1 ] || die "usage: lab.sh list | all | [-o DIR] SCENARIO..."
	if [ "$1" = -o ]; then
		[ $# -ge 3 ] || die "usage: lab.sh -o DIR SCENARIO..."
		OUT_ROOT=$2; shift 2
	fi
	case $1 in
	list) list_scenarios; return ;;
	all) set -- $(list_scenarios) ;;
	--one) run_one "$2"; return ;;
	esac
	[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
	trap 'exit 130' INT TERM
	local s
	for s in "$@"; do
		# each scenario in its own process: its own cleanup trap, and errexit stays in force
		"$0" -o "$OUT_ROOT" --one "$s" || die "scenario $s failed (committed files left as they were)"
	done
}

main "$@"; exit $?
