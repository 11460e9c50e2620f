/*
 * test_log_kind.c — every charon message the reference lists, typed with exact fields.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/log.h"

static struct ike_log_event ev;

static enum ike_log_kind kind_of(const char *text)
{
	memset(&ev, 0, sizeof(ev));
	ike_log_classify(text, &ev);
	return ev.kind;
}

static void host_is(const struct ike_log_host *h, const char *addr, uint16_t port)
{
	uint8_t a[16] = {0};
	int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;
	cr_assert_eq(inet_pton(fam, addr, a), 1);
	cr_assert_eq(h->addr.family, fam == AF_INET ? 4 : 6, "%s", addr);
	cr_assert_eq(memcmp(h->addr.a, a, fam == AF_INET ? 4 : 16), 0, "%s", addr);
	cr_assert_eq(h->port, port, "%s", addr);
}

Test(log_kind, generated_and_parsed)
{
	const char *s = "generating IKE_AUTH request 1 [ IDi AUTH SA TSi TSr N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]";
	cr_assert_eq(kind_of(s), IKE_LOG_MSG_GENERATED);
	cr_assert_str_eq(ev.u.msg.exchange, "IKE_AUTH");
	cr_assert_eq(ev.u.msg.exchange_id, 35);
	cr_assert(!ev.u.msg.response);
	cr_assert_eq(ev.u.msg.mid, 1);
	cr_assert_str_eq(ev.u.msg.summary, s + strlen("generating "));
	cr_assert_str_eq(ev.text, s);

	cr_assert_eq(kind_of("parsed CREATE_CHILD_SA response 5 [ N(NO_PROP) ]"), IKE_LOG_MSG_PARSED);
	cr_assert_eq(ev.u.msg.exchange_id, 36);
	cr_assert(ev.u.msg.response);
	cr_assert_eq(ev.u.msg.mid, 5);
	cr_assert_str_eq(ev.u.msg.summary, "CREATE_CHILD_SA response 5 [ N(NO_PROP) ]");
	cr_assert_eq(kind_of("parsed INFORMATIONAL response 4294967295 [ ]"), IKE_LOG_MSG_PARSED);
	cr_assert_eq(ev.u.msg.mid, 4294967295u);
	cr_assert_eq(kind_of("generating INFORMATIONAL request 2 [ EF(1/3) ]"), IKE_LOG_MSG_GENERATED);
	/* look-alikes charon prints at ENC 2/3 stay untyped */
	cr_assert_eq(kind_of("parsed a IKE_SA_INIT response header"), IKE_LOG_OTHER);
	cr_assert_eq(kind_of("generating rule 0 IKE_SPI"), IKE_LOG_OTHER);
	cr_assert_eq(kind_of("generating payload of type HEADER"), IKE_LOG_OTHER);
	cr_assert_eq(kind_of("parsed INFORMATIONAL response 4294967296 [ ]"), IKE_LOG_OTHER);
	cr_assert_eq(kind_of("parsed INFORMATIONAL response 2 [ D"), IKE_LOG_OTHER);
}

Test(log_kind, packets)
{
	cr_assert_eq(kind_of("sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76 bytes)"), IKE_LOG_PKT_SENT);
	host_is(&ev.u.pkt.from, "10.132.3.92", 4500);
	host_is(&ev.u.pkt.to, "10.10.10.1", 4500);
	cr_assert(ev.u.pkt.has_bytes);
	cr_assert_eq(ev.u.pkt.bytes, 76);
	cr_assert_eq(kind_of("received packet: from 2001:db8::1[500] to 2001:db8::2[500] (464 bytes)"),
		     IKE_LOG_PKT_RECEIVED);
	host_is(&ev.u.pkt.from, "2001:db8::1", 500);
	host_is(&ev.u.pkt.to, "2001:db8::2", 500);
	cr_assert_eq(ev.u.pkt.bytes, 464);
	/* NET 2 without a count, and a line cut short: typed, count unknown */
	cr_assert_eq(kind_of("received packet: from 203.0.113.1[500] to 192.0.2.1[500]"), IKE_LOG_PKT_RECEIVED);
	cr_assert(!ev.u.pkt.has_bytes);
	cr_assert_eq(kind_of("sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76"), IKE_LOG_PKT_SENT);
	cr_assert(!ev.u.pkt.has_bytes);
	cr_assert_eq(kind_of("sending packet: from 10.132.3.92[70000] to 10.10.10.1[4500] (76 bytes)"), IKE_LOG_OTHER);
	cr_assert_eq(kind_of("sending packet: from 10.132.3.999[4500] to 10.10.10.1[4500] (76 bytes)"), IKE_LOG_OTHER);
	cr_assert_eq(kind_of("sending keep alive to 203.0.113.1[4500]"), IKE_LOG_KEEPALIVE);
	host_is(&ev.u.keepalive, "203.0.113.1", 4500);
}

Test(log_kind, retransmissions_and_dpd)
{
	cr_assert_eq(kind_of("retransmit 3 of request with message ID 543"), IKE_LOG_RETRANSMIT);
	cr_assert_eq(ev.u.retx.n, 3);
	cr_assert_eq(ev.u.retx.mid, 543);
	cr_assert_eq(kind_of("retransmit 1 of request with message ID 543 (tries=3, timeout=30"), IKE_LOG_RETRANSMIT);
	cr_assert_eq(ev.u.retx.mid, 543);
	cr_assert_eq(kind_of("giving up after 3 retransmits"), IKE_LOG_GIVE_UP);
	cr_assert_eq(ev.u.retx.n, 3);
	cr_assert_eq(kind_of("received retransmit of request with ID 7, retransmitting response"),
		     IKE_LOG_RETRANSMIT_RECEIVED);
	cr_assert_eq(ev.u.retx.mid, 7);
	cr_assert_eq(kind_of("received message ID 9, expected 8, ignored"), IKE_LOG_MID_UNEXPECTED);
	cr_assert_eq(ev.u.retx.mid, 9);
	cr_assert_eq(ev.u.retx.expected, 8);
	cr_assert_eq(kind_of("sending DPD request"), IKE_LOG_DPD);
	cr_assert_eq(kind_of("local host is behind NAT, sending keep alives"), IKE_LOG_NAT_LOCAL);
	cr_assert_eq(kind_of("remote host is behind NAT"), IKE_LOG_NAT_REMOTE);
	cr_assert_eq(kind_of("peer not responding, trying again (2/5)"), IKE_LOG_PEER_RETRY);
	cr_assert_eq(ev.u.count.n, 2);
	cr_assert_eq(ev.u.count.of, 5);
	cr_assert_eq(kind_of("establishing IKE_SA failed, peer not responding"), IKE_LOG_PEER_NOT_RESPONDING);
	cr_assert_eq(kind_of("splitting IKE message (1532 bytes) into 2 fragments"), IKE_LOG_FRAGMENTING);
	cr_assert_eq(ev.u.count.bytes, 1532);
	cr_assert_eq(ev.u.count.of, 2);
	cr_assert_eq(kind_of("received fragment #1 of 2, waiting for complete IKE message"), IKE_LOG_FRAGMENT_RECEIVED);
	cr_assert_eq(ev.u.count.n, 1);
	cr_assert_eq(ev.u.count.of, 2);
}

Test(log_kind, ike_sa_lifecycle)
{
	cr_assert_eq(kind_of("initiating IKE_SA ipsec2_1[223798] to 10.10.10.1"), IKE_LOG_IKE_INITIATE);
	cr_assert_str_eq(ev.u.sa.name, "ipsec2_1");
	cr_assert_eq(ev.u.sa.uid, 223798);
	host_is(&ev.u.sa.remote, "10.10.10.1", 0);
	cr_assert_eq(kind_of("10.10.10.1 is initiating IKE_SA ipsec2_1[4]"), IKE_LOG_IKE_PEER_INITIATE);
	cr_assert_str_eq(ev.u.sa.name, "ipsec2_1");
	cr_assert_eq(ev.u.sa.uid, 4);
	host_is(&ev.u.sa.remote, "10.10.10.1", 0);

	cr_assert_eq(kind_of("IKE_SA ipsec2_1[1] established between 192.0.2.1[CN=local, O=lab]...203.0.113.1[203.0.113.1]"),
		     IKE_LOG_IKE_ESTABLISHED);
	cr_assert_str_eq(ev.u.sa.name, "ipsec2_1");
	cr_assert_eq(ev.u.sa.uid, 1);
	host_is(&ev.u.sa.local, "192.0.2.1", 0);
	host_is(&ev.u.sa.remote, "203.0.113.1", 0);
	cr_assert_str_eq(ev.u.sa.local_id, "CN=local, O=lab");
	cr_assert_str_eq(ev.u.sa.remote_id, "203.0.113.1");
	cr_assert_eq(kind_of("IKE_SA ipsec2_1[2] rekeyed between 192.0.2.1[192.0.2.1]...203.0.113.1[203.0.113.1]"),
		     IKE_LOG_IKE_REKEYED);
	cr_assert_eq(ev.u.sa.uid, 2);
	cr_assert_eq(kind_of("deleting IKE_SA ipsec1_1[217] between 10.16.0.5[10.16.0.5]...10.10.10.1[10.10.10.1]"),
		     IKE_LOG_IKE_DELETING);
	cr_assert_str_eq(ev.u.sa.name, "ipsec1_1");
	cr_assert_eq(ev.u.sa.uid, 217);
	host_is(&ev.u.sa.local, "10.16.0.5", 0);
	cr_assert_eq(kind_of("IKE_SA deleted"), IKE_LOG_IKE_DELETED);
	cr_assert_eq(kind_of("sending DELETE for IKE_SA ipsec2_1[1]"), IKE_LOG_IKE_DELETE_SENT);
	cr_assert_eq(ev.u.sa.uid, 1);
	cr_assert_eq(kind_of("received DELETE for IKE_SA ipsec1_1[217]"), IKE_LOG_IKE_DELETE_RECEIVED);
	cr_assert_str_eq(ev.u.sa.name, "ipsec1_1");
	cr_assert_eq(ev.u.sa.uid, 217);
	cr_assert_eq(kind_of("IKE_SA ipsec2_1[1] state change: CONNECTING => ESTABLISHED"), IKE_LOG_STATE_CHANGE);
	cr_assert_str_eq(ev.u.sa.from_state, "CONNECTING");
	cr_assert_str_eq(ev.u.sa.to_state, "ESTABLISHED");
	cr_assert_eq(kind_of("IKE_SA ipsec2_1[1] state change: CONNECTING =>"), IKE_LOG_OTHER);
	cr_assert_str_eq(ev.u.sa.name, "", "an untyped line keeps no half-filled fields");
	cr_assert_eq(kind_of("checkout IKEv2 SA with SPIs 0123456789abcdef_i 0000000000000000_r"), IKE_LOG_SA_CHECKOUT);
	cr_assert_eq(ev.u.sa.ispi, 0x0123456789abcdefull);
	cr_assert_eq(ev.u.sa.rspi, 0);
	cr_assert_eq(kind_of("checkin IKEv2 SA ipsec2_1[3] with SPIs 0123456789abcdef_i fedcba9876543210_r"),
		     IKE_LOG_SA_CHECKIN);
	cr_assert_eq(ev.u.sa.uid, 3);
	cr_assert_eq(ev.u.sa.rspi, 0xfedcba9876543210ull);
	cr_assert_eq(kind_of("checkin IKEv2 SA ipsec2_1[3] with SPIs 0123456789abcdef_i fedcba98765432_r"), IKE_LOG_OTHER);
}

Test(log_kind, child_sa)
{
	cr_assert_eq(kind_of("CHILD_SA child_ipsec2_1{1} established with SPIs 49182737_i 99f1daf4_o and TS "
			     "198.51.100.0/25 === 198.51.100.128/25"),
		     IKE_LOG_CHILD_ESTABLISHED);
	cr_assert_str_eq(ev.u.sa.name, "child_ipsec2_1");
	cr_assert_eq(ev.u.sa.uid, 1);
	cr_assert_eq(ev.u.sa.spi_i, 0x49182737);
	cr_assert_eq(ev.u.sa.spi_o, 0x99f1daf4);
	cr_assert_str_eq(ev.u.sa.ts_local, "198.51.100.0/25");
	cr_assert_str_eq(ev.u.sa.ts_remote, "198.51.100.128/25");
	cr_assert_eq(kind_of("closing CHILD_SA child_ipsec2_1{1} with SPIs cdcb5679_i (168 bytes) 2fa7807d_o (0 bytes) "
			     "and TS 198.51.100.0/25 === 198.51.100.128/25"),
		     IKE_LOG_CHILD_CLOSING);
	cr_assert_eq(ev.u.sa.spi_i, 0xcdcb5679);
	cr_assert_eq(ev.u.sa.spi_o, 0x2fa7807d);
	cr_assert_eq(kind_of("sending DELETE for ESP CHILD_SA with SPI cdcb5679"), IKE_LOG_CHILD_DELETE_SENT);
	cr_assert_str_eq(ev.u.del.protocol, "ESP");
	cr_assert_eq(ev.u.del.spi, 0xcdcb5679);
	cr_assert_eq(kind_of("received DELETE for ESP CHILD_SA with SPI 51ca8d65"), IKE_LOG_CHILD_DELETE_RECEIVED);
	cr_assert_eq(ev.u.del.spi, 0x51ca8d65);
	cr_assert_eq(kind_of("received DELETE for ESP CHILD_SA with SPI 51ca8d65ff"), IKE_LOG_OTHER);
	cr_assert_eq(kind_of("failed to establish CHILD_SA, keeping IKE_SA"), IKE_LOG_CHILD_FAILED);
}

Test(log_kind, notifies_and_proposals)
{
	cr_assert_eq(kind_of("received AUTHENTICATION_FAILED notify error"), IKE_LOG_NOTIFY_ERROR);
	cr_assert_str_eq(ev.u.notify.name, "AUTHENTICATION_FAILED");
	cr_assert_eq(ev.u.notify.type, 24);
	cr_assert_eq(kind_of("received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built"), IKE_LOG_NO_CHILD_SA);
	cr_assert_eq(ev.u.notify.type, 14);
	cr_assert_eq(kind_of("received FRAGMENTATION_SUPPORTED notify"), IKE_LOG_OTHER);
	const char *rp = "ESP:AES_GCM_16_256/NO_EXT_SEQ, ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ";
	char line[256];
	snprintf(line, sizeof(line), "received proposals: %s", rp);
	cr_assert_eq(kind_of(line), IKE_LOG_PROPOSALS_RECEIVED);
	cr_assert_str_eq(ev.u.proposals.text, rp);
	cr_assert(!ev.u.proposals.truncated);
	cr_assert_eq(kind_of("configured proposals: ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ"),
		     IKE_LOG_PROPOSALS_CONFIGURED);
	cr_assert_str_eq(ev.u.proposals.text, "ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ");
	cr_assert_eq(kind_of("selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"),
		     IKE_LOG_PROPOSAL_SELECTED);
	cr_assert_str_eq(ev.u.proposals.text, "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	cr_assert_eq(kind_of("no acceptable proposal found"), IKE_LOG_NO_PROPOSAL);
	cr_assert_eq(kind_of("received proposals unacceptable"), IKE_LOG_PROPOSALS_UNACCEPTABLE);
	cr_assert_eq(kind_of("DH group MODP_2048 unacceptable, requesting MODP_4096"), IKE_LOG_DH_UNACCEPTABLE);
	cr_assert_str_eq(ev.u.dh.group, "MODP_2048");
	cr_assert_str_eq(ev.u.dh.other, "MODP_4096");
	cr_assert_eq(kind_of("key exchange method ECP_256 unacceptable, requesting CURVE_25519"), IKE_LOG_DH_UNACCEPTABLE);
	cr_assert_str_eq(ev.u.dh.other, "CURVE_25519");
	cr_assert_eq(kind_of("peer didn't accept DH group MODP_2048, it requested MODP_4096"), IKE_LOG_DH_REJECTED);
	cr_assert_str_eq(ev.u.dh.group, "MODP_2048");
	cr_assert_str_eq(ev.u.dh.other, "MODP_4096");
	cr_assert_eq(kind_of("peer didn't accept key exchange method MODP_2048, it requested ECP_384"),
		     IKE_LOG_DH_REJECTED);
	cr_assert_str_eq(ev.u.dh.other, "ECP_384");
	cr_assert_eq(kind_of("no IKE config found for 192.0.2.1...203.0.113.1, sending NO_PROPOSAL_CHOSEN"),
		     IKE_LOG_NO_IKE_CONFIG);
	host_is(&ev.u.notify.local, "192.0.2.1", 0);
	host_is(&ev.u.notify.remote, "203.0.113.1", 0);
	cr_assert_str_eq(ev.u.notify.name, "NO_PROPOSAL_CHOSEN");
	cr_assert_eq(ev.u.notify.type, 14);
}

Test(log_kind, long_proposal_list_is_cut_and_flagged)
{
	static char line[4096];
	strcpy(line, "received proposals: ");
	while (strlen(line) < 3000)
		strcat(line, "ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ, ");
	cr_assert_eq(kind_of(line), IKE_LOG_PROPOSALS_RECEIVED);
	cr_assert(ev.u.proposals.truncated);
	cr_assert_eq(strlen(ev.u.proposals.text), IKE_LOG_LIST_MAX - 1);
	cr_assert(ev.text_truncated);
	cr_assert_eq(strlen(ev.text), IKE_LOG_TEXT_MAX - 1);
}

Test(log_kind, key_dumps_never_copy_bytes)
{
	cr_assert_eq(kind_of("Sk_ei secret => 32 bytes @ 0x7fa7ac01361c"), IKE_LOG_KEY_DUMP);
	cr_assert_str_eq(ev.u.dump.label, "Sk_ei secret");
	cr_assert_eq(ev.u.dump.len, 32);
	cr_assert_eq(kind_of("encryption initiator key => 16 bytes @ 0x55d0"), IKE_LOG_KEY_DUMP);
	cr_assert_eq(kind_of("   0: 38 9A 1A EB B6 DF 50 81 73 E3 07 69 CA 42 86 60  8.....P.s..i.B.`"), IKE_LOG_HEX_DUMP);
	cr_assert_eq(ev.u.dump.offset, 0);
	cr_assert_eq(ev.u.dump.len, 16);
	cr_assert_null(strstr(ev.text, "38"), "key bytes leaked: %s", ev.text);
	cr_assert_null(strstr(ev.text, "8....."), "ASCII column leaked: %s", ev.text);
	cr_assert_eq(kind_of("  16: 84 2C B9 EA"), IKE_LOG_HEX_DUMP);
	cr_assert_eq(ev.u.dump.offset, 16);
	cr_assert_eq(ev.u.dump.len, 4);
	cr_assert_null(strstr(ev.text, "84"));
	cr_assert_eq(kind_of("received packet => 80 bytes @ 0x1"), IKE_LOG_HEX_DUMP);
}

Test(log_kind, every_prefix_of_every_typed_line_is_safe)
{
	static const char *const lines[] = {
		"generating IKE_AUTH request 1 [ IDi AUTH SA TSi TSr ]",
		"sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76 bytes)",
		"IKE_SA ipsec2_1[1] established between 192.0.2.1[192.0.2.1]...203.0.113.1[203.0.113.1]",
		"CHILD_SA child_ipsec2_1{1} established with SPIs 49182737_i 99f1daf4_o and TS 1.0.0.0/8 === 2.0.0.0/8",
		"closing CHILD_SA child_ipsec2_1{1} with SPIs cdcb5679_i (168 bytes) 2fa7807d_o (0 bytes) and TS x",
		"checkin IKEv2 SA ipsec2_1[3] with SPIs 0123456789abcdef_i fedcba9876543210_r",
		"no IKE config found for 192.0.2.1...203.0.113.1, sending NO_PROPOSAL_CHOSEN",
		"10.10.10.1 is initiating IKE_SA ipsec2_1[4]",
		"  16: 84 2C B9 EA E4 8A 39 82 CE 15 87 E8 B2 10 19 D1  .,....9.........",
	};
	char buf[256];
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t n = strlen(lines[i]);
		for (size_t k = 0; k <= n; k++) {
			memcpy(buf, lines[i], k);
			buf[k] = '\0';
			kind_of(buf);
			cr_assert_lt((unsigned)ev.kind, IKE_LOG_KIND_MAX);
		}
		cr_assert_neq(kind_of(lines[i]), IKE_LOG_OTHER, "%s", lines[i]);
	}
}

Test(log_kind, names)
{
	cr_assert_str_eq(ike_log_kind_name(IKE_LOG_OTHER), "other");
	cr_assert_str_eq(ike_log_kind_name(IKE_LOG_PKT_SENT), "pkt-sent");
	cr_assert_str_eq(ike_log_kind_name(IKE_LOG_IF_STATE), "if-state");
	cr_assert_str_eq(ike_log_kind_name(IKE_LOG_KIND_MAX), "unknown");
}
