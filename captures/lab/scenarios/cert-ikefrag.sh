# cert-ikefrag: RSA certificate authentication (4096-bit end-entity keys from a lab CA, certificate
# sent in IKE_AUTH) with IKE fragmentation (RFC 7383) and a small charon.fragment_size of 512 bytes:
# both IKE_AUTH messages are split into EF payloads, each encrypted on its own.
AUTH=cert
FRAGMENTATION=yes
FRAGMENT_SIZE=512
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 15
	nap 2
}
