# cert-ipfrag: the same certificate authentication without IKE fragmentation (fragmentation = no):
# the IKE_AUTH messages (more than 2 KB with the certificate) leave charon as one UDP datagram
# each, which IP fragments at the 1500-byte MTU of the links.
AUTH=cert
FRAGMENTATION=no
run() {
	initiate
	wait_log local 'CHILD_SA child_ipsec2_1\{1\} established' 15
	nap 2
}
