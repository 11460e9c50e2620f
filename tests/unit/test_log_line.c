/*
 * test_log_line.c — line shapes (prefixes, times, zones, JSON) and the seed
 * troubleshooting guide's lines, one at a time through ike_log_parse_line.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/log.h"

static struct ike_log_event ev;
static struct ike_log_stats st;

static bool parse(const char *line, const struct ike_log_opts *o)
{
	memset(&ev, 0, sizeof(ev));
	return ike_log_parse_line(line, strlen(line), o, &ev, &st);
}

/* 2026-11-26 23:25:26 UTC */
#define T_2026 1795735526
/* the same civil time in IKE_LOG_NOMINAL_YEAR (2000-11-26 23:25:26) */
#define T_NOMINAL 975281126

Test(log_line, vedge_syslog)
{
	cr_assert(parse("Nov 26 23:25:26 vedge01 charon: 15[IKE] initiating IKE_SA ipsec2_1[1] to 203.0.113.1", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_IKE_INITIATE);
	cr_assert_str_eq(ev.host, "vedge01");
	cr_assert_str_eq(ev.program, "charon");
	cr_assert_eq(ev.thread, 15);
	cr_assert_str_eq(ev.group, "IKE");
	cr_assert_eq(ev.level, -1);
	cr_assert(ev.t.has_time && !ev.t.has_year && !ev.t.has_zone);
	cr_assert_eq(ev.t.sec, T_NOMINAL);
	cr_assert_eq(ev.t.usec, 0);
	cr_assert_eq(ev.t.mon, 11);
	cr_assert_eq(ev.t.mday, 26);
	cr_assert_eq(ike_log_civil_sec(&ev.t, 2026), T_2026);
	cr_assert_str_eq(ev.text, "initiating IKE_SA ipsec2_1[1] to 203.0.113.1");
	cr_assert_str_eq(ev.raw, "Nov 26 23:25:26 vedge01 charon: 15[IKE] initiating IKE_SA ipsec2_1[1] to 203.0.113.1");
	cr_assert(!ev.raw_truncated);
}

Test(log_line, year_and_zone_from_options)
{
	struct ike_log_opts o = {.year = 2026, .tz_known = true};
	cr_assert(ike_log_parse_tz("+02:00", &o.tz_offset_sec));
	cr_assert_eq(o.tz_offset_sec, 7200);
	cr_assert(parse("Nov 26 23:25:26 vedge01 charon: 15[IKE] sending DPD request", &o));
	cr_assert(ev.t.has_year && ev.t.has_zone);
	cr_assert_eq(ev.t.sec, T_2026 - 7200);
	int32_t off;
	cr_assert(ike_log_parse_tz("UTC", &off) && off == 0);
	cr_assert(ike_log_parse_tz("-0530", &off) && off == -19800);
	cr_assert(ike_log_parse_tz("+2", &off) && off == 7200);
	cr_assert(ike_log_parse_tz("Z", &off) && off == 0);
	cr_assert_not(ike_log_parse_tz("+25:00", &off));
	cr_assert_not(ike_log_parse_tz("+02:00x", &off));
	cr_assert_not(ike_log_parse_tz("Europe/Nowhere", &off));
	cr_assert_not(ike_log_parse_tz("", &off));
}

Test(log_line, facility_ike_name_and_level)
{
	cr_assert(parse("daemon.info: Apr 27 05:12:56 vedge01 charon: 16[IKE] <ipsec2_1|3> no acceptable proposal found",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_NO_PROPOSAL);
	cr_assert_str_eq(ev.sa_name, "ipsec2_1");
	cr_assert_eq(ev.sa_uid, 3);
	cr_assert_eq(ev.t.mon, 4);
	cr_assert_eq(ev.t.hour, 5);
	cr_assert(parse("Apr 27 05:12:56 vedge01 charon: 16[IKE] <3> sending DPD request", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_DPD);
	cr_assert_str_eq(ev.sa_name, "");
	cr_assert_eq(ev.sa_uid, 3);
	cr_assert(parse("Apr 27 05:12:56 vedge01 charon: 16[IKE2] sending DPD request", NULL));
	cr_assert_eq(ev.level, 2);
	cr_assert_str_eq(ev.group, "IKE");
	cr_assert(parse("Apr  7 05:12:56 vedge01 charon: 06[NET] sending DPD request", NULL));
	cr_assert_eq(ev.t.mday, 7);
	cr_assert_eq(ev.thread, 6);
}

Test(log_line, filelog_shapes)
{
	cr_assert(parse("Nov 26 23:25:26.123 15[IKE] sending DPD request", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_DPD);
	cr_assert_eq(ev.t.usec, 123000);
	cr_assert_str_eq(ev.host, "");
	cr_assert_str_eq(ev.program, "charon");
	cr_assert(parse("2026-11-26 23:25:26.000042 15[IKE] sending DPD request", NULL));
	cr_assert(ev.t.has_year && !ev.t.has_zone);
	cr_assert_eq(ev.t.sec, T_2026);
	cr_assert_eq(ev.t.usec, 42);
	cr_assert(parse("15[IKE] sending DPD request", NULL));
	cr_assert(!ev.t.has_time);
	cr_assert_eq(ev.thread, 15);
	cr_assert_eq(ev.kind, IKE_LOG_DPD);
}

Test(log_line, journalctl_text_shapes)
{
	cr_assert(parse("Nov 26 23:25:26 vedge01 charon-systemd[812]: sending DPD request", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_DPD);
	cr_assert_str_eq(ev.program, "charon-systemd");
	cr_assert_eq(ev.thread, -1);
	cr_assert_str_eq(ev.group, "");
	cr_assert(parse("2026-11-26T23:25:26+0100 vedge01 charon-systemd[812]: sending DPD request", NULL));
	cr_assert(ev.t.has_year && ev.t.has_zone);
	cr_assert_eq(ev.t.sec, T_2026 - 3600);
	cr_assert(parse("2026-11-26T23:25:26+01:00 vedge01 charon-systemd[812]: sending DPD request", NULL));
	cr_assert_eq(ev.t.sec, T_2026 - 3600);
	cr_assert(parse("Nov 26 23:25:26.654321 vedge01 charon-systemd[812]: sending DPD request", NULL));
	cr_assert_eq(ev.t.usec, 654321);
}

Test(log_line, journald_json)
{
	cr_assert(parse("{\"__REALTIME_TIMESTAMP\":\"1795735526000042\",\"_HOSTNAME\":\"vedge01\","
			"\"SYSLOG_IDENTIFIER\":\"charon-systemd\",\"THREAD\":\"16\",\"GROUP\":\"IKE\",\"LEVEL\":\"1\","
			"\"IKE_SA_UNIQUE_ID\":\"3\",\"IKE_SA_NAME\":\"ipsec2_1\",\"PRIORITY\":\"6\",\"_PID\":812,"
			"\"X\":[1,{\"y\":null}],\"MESSAGE\":\"received AUTHENTICATION_FAILED notify error\"}",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_NOTIFY_ERROR);
	cr_assert_eq(ev.t.sec, T_2026);
	cr_assert_eq(ev.t.usec, 42);
	cr_assert(ev.t.has_time && ev.t.has_year && ev.t.has_zone);
	cr_assert_eq(ev.thread, 16);
	cr_assert_str_eq(ev.group, "IKE");
	cr_assert_eq(ev.level, 1);
	cr_assert_eq(ev.sa_uid, 3);
	cr_assert_str_eq(ev.sa_name, "ipsec2_1");
	cr_assert_str_eq(ev.host, "vedge01");
	/* escapes */
	cr_assert(parse("{\"MESSAGE\":\"IKE_SA n\\u00e9[1] state change: A => B\",\"THREAD\":\"7\"}", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_STATE_CHANGE);
	cr_assert_str_eq(ev.u.sa.name, "n\xc3\xa9");
	/* other programs, binary MESSAGE, broken JSON */
	uint64_t other = st.other_programs, unparsed = st.unparsed;
	cr_assert_not(parse("{\"SYSLOG_IDENTIFIER\":\"sshd\",\"MESSAGE\":\"Accepted\"}", NULL));
	cr_assert_eq(st.other_programs, other + 1);
	cr_assert_not(parse("{\"SYSLOG_IDENTIFIER\":\"charon\",\"MESSAGE\":[1,2,3]}", NULL));
	cr_assert_not(parse("{\"MESSAGE\":\"x\"", NULL));
	cr_assert_not(parse("{\"MESSAGE\":\"x\\u0000\"}", NULL));
	cr_assert_not(parse("{\"MESSAGE\":\"\\ud800\"}", NULL));
	cr_assert_not(parse("{\"MESSAGE\":\"x\"} trailing", NULL));
	cr_assert_not(parse("{\"a\":[[[[[[[[[[[[1]]]]]]]]]]]],\"MESSAGE\":\"x\"}", NULL));
	cr_assert_eq(st.unparsed, unparsed + 6);
}

Test(log_line, charon6_filelog_json)
{
	cr_assert(parse("{\"time\":\"2026-11-26 23:25:26.5\",\"thread\":16,\"group\":\"IKE\",\"level\":1,"
			"\"ikesa-uniqueid\":\"3\",\"ikesa-name\":\"ipsec2_1\",\"msg\":\"giving up after 5 retransmits\"}",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_GIVE_UP);
	cr_assert_eq(ev.u.retx.n, 5);
	cr_assert_eq(ev.t.sec, T_2026);
	cr_assert_eq(ev.t.usec, 500000);
	cr_assert_eq(ev.thread, 16);
	cr_assert_eq(ev.sa_uid, 3);
}

Test(log_line, other_programs_and_ftmd)
{
	uint64_t other = st.other_programs;
	cr_assert_not(parse("Jun 18 00:31:17 vedge01 FTMD[1472]: %Viptela-LONDSR01-ftmd-6-INFO-1400002: Notification: "
			    "interface-state-change",
			    NULL));
	cr_assert_not(parse("Jun 18 00:31:17 vedge01 kernel: [ 12.3] eth0: link up", NULL));
	cr_assert_eq(st.other_programs, other + 2);
	cr_assert(parse("Jun 18 00:31:17 vedge01 FTMD[1472]: %Viptela-LONDSR01-FTMD-6-INFO-1000001: VPN 1 Interface "
			"ipsec2 DOWN",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_IF_STATE);
	cr_assert_str_eq(ev.u.ifstate.ifname, "ipsec2");
	cr_assert_eq(ev.u.ifstate.vpn, 1);
	cr_assert(!ev.u.ifstate.up);
	cr_assert_str_eq(ev.program, "FTMD");
	cr_assert(parse("Apr 13 22:05:21 vedge01 FTMD[1269]: %Viptela-AZGDSR01-FTMD-6-INFO-1000001: VPN 0 Interface "
			"ge0/0 UP",
			NULL));
	cr_assert(ev.u.ifstate.up);
	cr_assert_str_eq(ev.u.ifstate.ifname, "ge0/0");
	uint64_t unparsed = st.unparsed;
	cr_assert_not(parse("hello", NULL));
	cr_assert_not(parse("Nov 26 23:25:26", NULL));
	cr_assert_not(parse("", NULL));
	cr_assert_eq(st.unparsed, unparsed + 3);
}

/* The DPD-timeout case of the seed guide, symptom 2, as the guide prints it. */
Test(log_line, seed_dpd_timeout)
{
	static const struct {
		const char *line;
		enum ike_log_kind kind;
	} v[] = {
		{"Jun 18 00:24:08 vedge01 charon: 11[ENC] generating INFORMATIONAL request 542 [ ]", IKE_LOG_MSG_GENERATED},
		{"Jun 18 00:24:08 vedge01 charon: 07[ENC] parsed INFORMATIONAL response 542 [ ]", IKE_LOG_MSG_PARSED},
		{"Jun 18 00:25:21 vedge01 charon: 08[IKE] sending DPD request", IKE_LOG_DPD},
		{"Jun 18 00:25:21 vedge01 charon: 08[ENC] generating INFORMATIONAL request 543 [ ]", IKE_LOG_MSG_GENERATED},
		{"Jun 18 00:25:21 vedge01 charon: 08[NET] sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76",
		 IKE_LOG_PKT_SENT},
		{"Jun 18 00:25:51 vedge01 charon: 05[IKE] retransmit 1 of request with message ID 543 (tries=3, timeout=30",
		 IKE_LOG_RETRANSMIT},
		{"Jun 18 00:26:45 vedge01 charon: 06[IKE] retransmit 2 of request with message ID 543 (tries=3, timeout=3",
		 IKE_LOG_RETRANSMIT},
		{"Jun 18 00:28:22 vedge01 charon: 08[IKE] retransmit 3 of request with message ID 543 (tries=3, timeout=3",
		 IKE_LOG_RETRANSMIT},
		{"Jun 18 00:28:22 Lvedge01 charon: 08[NET] sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76",
		 IKE_LOG_PKT_SENT},
		{"Jun 18 00:31:17 vedge01 charon: 11[IKE] giving up after 3 retransmits", IKE_LOG_GIVE_UP},
		{"Jun 18 00:31:17 vedge01 FTMD[1472]: %Viptela-LONDSR01-FTMD-6-INFO-1000001: VPN 1 Interface ipsec2 DOWN",
		 IKE_LOG_IF_STATE},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cr_assert(parse(v[i].line, NULL), "%s", v[i].line);
		cr_assert_eq(ev.kind, v[i].kind, "%s: %s", v[i].line, ike_log_kind_name(ev.kind));
	}
	parse(v[7].line, NULL);
	cr_assert_eq(ev.u.retx.n, 3);
	cr_assert_eq(ev.u.retx.mid, 543);
	cr_assert_eq(ev.t.mon, 6);
	cr_assert_eq(ev.t.mday, 18);
	cr_assert_eq(ev.t.min, 28);
	cr_assert_eq(ev.t.secs, 22);
	parse(v[8].line, NULL);
	cr_assert_str_eq(ev.host, "Lvedge01");
	cr_assert(!ev.u.pkt.has_bytes);
	cr_assert_eq(ev.u.pkt.from.port, 4500);
	parse(v[3].line, NULL);
	cr_assert_eq(ev.u.msg.mid, 543);
	cr_assert_str_eq(ev.u.msg.summary, "INFORMATIONAL request 543 [ ]");
	parse(v[9].line, NULL);
	cr_assert_eq(ev.u.retx.n, 3);
}

/* Symptom 3: the PFS mismatch (vEdge requires MODP_4096 in the ESP proposal, the peer offers none). */
Test(log_line, seed_pfs_mismatch)
{
	cr_assert(parse("daemon.info: Apr 27 05:12:56 vedge01 charon: 16[ENC] parsed CREATE_CHILD_SA request 557 [ SA No "
			"TSi TSr ]",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_MSG_PARSED);
	cr_assert_eq(ev.u.msg.mid, 557);
	cr_assert_eq(ev.u.msg.exchange_id, 36);
	cr_assert(parse("daemon.info: Apr 27 05:12:58 vedge01 charon: 07[CFG] received proposals: ESP:AES_GCM_16_256/"
			"NO_EXT_SEQ, ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ, ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_PROPOSALS_RECEIVED);
	cr_assert_str_eq(ev.u.proposals.text,
			 "ESP:AES_GCM_16_256/NO_EXT_SEQ, ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ, ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ");
	cr_assert_eq(ev.thread, 7);
	cr_assert_str_eq(ev.group, "CFG");
	cr_assert(parse("daemon.info: Apr 27 05:12:58 vedge01 charon: 07[CFG] configured proposals: ESP:AES_CBC_256/"
			"HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_PROPOSALS_CONFIGURED);
	cr_assert_str_eq(ev.u.proposals.text, "ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ");
	cr_assert(parse("daemon.info: Apr 27 05:12:58 Avedge01 charon: 07[IKE] no acceptable proposal found", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_NO_PROPOSAL);
	cr_assert(parse("daemon.info: Apr 27 05:12:58 vedge01 charon: 07[IKE] failed to establish CHILD_SA, keeping IKE_SA",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_CHILD_FAILED);
	/* the guide cuts this one: a summary without its closing bracket is not typed */
	cr_assert(parse("daemon.info: Apr 27 05:12:56 vedge01 charon: 16[ENC] generating CREATE_CHILD_SA response 557 "
			"[ N(NO_PRO",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_OTHER);
}

/* Symptom 4: a pure IKE_SA DELETE from the peer. */
Test(log_line, seed_delete)
{
	cr_assert(parse("Apr 13 22:05:21 vedge01 charon: 12[IKE] received DELETE for IKE_SA ipsec1_1[217]", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_IKE_DELETE_RECEIVED);
	cr_assert_str_eq(ev.u.sa.name, "ipsec1_1");
	cr_assert_eq(ev.u.sa.uid, 217);
	cr_assert(parse("Apr 13 22:05:21 vedge01 charon: 12[IKE] IKE_SA deleted", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_IKE_DELETED);
	cr_assert(parse("Apr 13 22:05:21 vedge01 charon: 12[ENC] generating INFORMATIONAL response 4586 [ ]", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_MSG_GENERATED);
	cr_assert(ev.u.msg.response);
	cr_assert_eq(ev.u.msg.mid, 4586);
	cr_assert(parse("Apr 13 22:05:21 vedge01 charon: 12[NET] sending packet: from 10.16.0.5[4500] to 10.10.10.1[4500] "
			"(80 bytes)",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_PKT_SENT);
	cr_assert_eq(ev.u.pkt.bytes, 80);
	cr_assert(parse("Apr 13 22:05:21 vedge01 charon: 12[KNL] Deleting SAD entry with SPI 00000e77", NULL));
	cr_assert_eq(ev.kind, IKE_LOG_OTHER);
	cr_assert_str_eq(ev.text, "Deleting SAD entry with SPI 00000e77");
}

Test(log_line, every_prefix_is_safe)
{
	static const char *const lines[] = {
		"daemon.info: Apr 27 05:12:56 vedge01 charon: 16[IKE] <ipsec2_1|3> giving up after 3 retransmits",
		"2026-11-26T23:25:26.123+01:00 vedge01 charon-systemd[812]: sending DPD request",
		"{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"a\\u00e9\\ud83d\\ude00\\n\",\"THREAD\":\"1\"}",
		"Jun 18 00:31:17 vedge01 FTMD[1472]: %Viptela-X-FTMD-6-INFO-1000001: VPN 1 Interface ipsec2 DOWN",
	};
	char buf[256];
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		for (size_t k = 0; k <= strlen(lines[i]); k++) {
			memcpy(buf, lines[i], k);
			buf[k] = '\0';
			parse(buf, NULL);
			cr_assert_lt((unsigned)ev.kind, IKE_LOG_KIND_MAX);
		}
}

Test(log_line, journald_control_bytes_are_junk)
{
	uint64_t bin = st.binary;
	cr_assert_not(parse("{\"MESSAGE\":\"sending DPD request\\n\\u001b[31m\"}", NULL));
	cr_assert_eq(st.binary, bin + 1);
	cr_assert(parse("{\"MESSAGE\":\"sending DPD request\\t\"}", NULL));
}

Test(log_line, json_dump_bytes_never_reach_raw)
{
	cr_assert(parse("{\"MESSAGE\":\"   0: 38 9A 1A EB B6 DF 50 81 73 E3 07 69 CA 42 86 60  8.....P.s..i.B.`\","
			"\"THREAD\":\"14\",\"GROUP\":\"IKE\",\"LEVEL\":\"4\"}",
			NULL));
	cr_assert_eq(ev.kind, IKE_LOG_HEX_DUMP);
	cr_assert_eq(ev.level, 4);
	cr_assert_null(strstr(ev.raw, "9A"), "%s", ev.raw);
	cr_assert_str_eq(ev.raw, "0: (16 bytes)");
}
