/*
 * test_track_out.c — the exchanges printers: the ike_sa and exchange JSON
 * members, the track_limit line, and the text header and table.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/track.h"
#include "track_msg.h"

static char *print(const struct ike_tracker *t, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	if (json)
		ike_out_json_track(f, t, "x.pcap");
	else
		ike_out_text_track(f, t, NULL);
	fclose(f);
	return buf;
}

/* IKE_SA_INIT answered after one retransmission, then nothing. */
static struct ike_tracker *one_sa(const struct ike_tracker_opts *o)
{
	struct ike_tracker *t = ike_tracker_new(o);
	struct ike_msg m;
	uint8_t raw[40];
	msg(&m, raw, 0, true, 0x0102030405060708ull, 0, 34, IKE_FLAG_I, 0, 1);
	cr_assert_eq(ike_tracker_add(t, &m), IKE_OK);
	msg(&m, raw, 4 * SEC, true, 0x0102030405060708ull, 0, 34, IKE_FLAG_I, 0, 2);
	cr_assert_eq(ike_tracker_add(t, &m), IKE_OK);
	msg(&m, raw, 4 * SEC + 2500, false, 0x0102030405060708ull, 0xa1, 34, IKE_FLAG_R, 0, 3);
	cr_assert_eq(ike_tracker_add(t, &m), IKE_OK);
	return t;
}

Test(track_out, json_members_in_order)
{
	struct ike_tracker *t = one_sa(NULL);
	ike_tracker_finish(t, t0 + 10 * SEC);
	char *out = print(t, true);
	const char *sa = "{\"v\":1,\"type\":\"ike_sa\",\"file\":\"x.pcap\",\"index\":0,\"ispi\":\"0102030405060708\","
			 "\"rspi\":\"00000000000000a1\",\"initiator\":\"192.0.2.1[500]\",\"responder\":\"203.0.113.1[500]\","
			 "\"first_ts\":\"2025-06-15T15:06:40.000000Z\",\"last_ts\":\"2025-06-15T15:06:44.002500Z\","
			 "\"established\":false,\"established_ts\":null,\"established_inferred\":false,\"proposal\":null,"
			 "\"ke_group\":null,\"predecessor\":null,\"end\":\"failed\",\"end_inferred\":false,"
			 "\"end_ts\":\"2025-06-15T15:06:44.002500Z\",\"lifetime_s\":4.002500,\"exchanges\":1,"
			 "\"exchanges_dropped\":0}\n";
	cr_assert_eq(strncmp(out, sa, strlen(sa)), 0, "got %s", out);
	const char *x = out + strlen(sa);
	const char *ex = "{\"v\":1,\"type\":\"exchange\",\"file\":\"x.pcap\",\"sa\":0,\"ispi\":\"0102030405060708\","
			 "\"rspi\":\"00000000000000a1\",\"exchange\":\"IKE_SA_INIT\",\"mid\":0,\"requester\":\"initiator\","
			 "\"from\":\"192.0.2.1[500]\",\"to\":\"203.0.113.1[500]\",\"kind\":\"ike-sa-init\",\"inferred\":false,"
			 "\"outcome\":\"answered\",\"error\":null,\"error_inferred\":false,\"transmissions\":2,\"responses\":1,"
			 "\"first_ts\":\"2025-06-15T15:06:40.000000Z\",\"last_ts\":\"2025-06-15T15:06:44.000000Z\","
			 "\"response_ts\":\"2025-06-15T15:06:44.002500Z\",\"rtt_ms\":2.500,"
			 "\"tx_ts\":[\"2025-06-15T15:06:40.000000Z\",\"2025-06-15T15:06:44.000000Z\"],\"frames\":[1,2,3],"
			 "\"frames_dropped\":0,\"request_changed\":false,\"retransmit\":{\"gaps\":1,\"timeout_s\":4.000000,"
			 "\"base\":null,\"max_rel_err\":null,\"give_up_s\":null,\"verdict\":\"none\"}}\n";
	cr_assert_str_eq(x, ex);
	free(out);
	ike_tracker_free(t);
}

Test(track_out, limit_line_when_a_cap_was_hit)
{
	struct ike_tracker_opts o = {.max_sas = 1};
	struct ike_tracker *t = one_sa(&o);
	struct ike_msg m;
	uint8_t raw[40];
	msg(&m, raw, 5 * SEC, true, 0x99, 0, 34, IKE_FLAG_I, 0, 4);
	cr_assert_eq(ike_tracker_add(t, &m), IKE_OK);
	ike_tracker_finish(t, t0 + 10 * SEC);
	char *out = print(t, true);
	cr_assert_not_null(strstr(out, "{\"v\":1,\"type\":\"track_limit\",\"file\":\"x.pcap\",\"sas_dropped\":1,"
					"\"max_sas\":1,\"exchanges_dropped\":0,\"max_exchanges\":1000000,"
					"\"sas_streamed\":0,\"sas_forced\":0}\n"));
	free(out);
	out = print(t, false);
	cr_assert_not_null(strstr(out, "! caps hit: 1 messages of IKE SAs beyond 1"), "%s", out);
	free(out);
	ike_tracker_free(t);
}

Test(track_out, text_header_and_table)
{
	struct ike_tracker *t = one_sa(NULL);
	ike_tracker_finish(t, t0 + 10 * SEC);
	char *out = print(t, false);
	const char *head = "IKE SA 0: 192.0.2.1[500] <=> 203.0.113.1[500]  0102030405060708_i 00000000000000a1_r\n";
	cr_assert_eq(strncmp(out, head, strlen(head)), 0, "%s", out);
	cr_assert_not_null(strstr(out, "   end failed at 2025-06-15 15:06:44.002500, lifetime 4.003s\n"), "%s", out);
	cr_assert_not_null(strstr(out, "   2025-06-15 15:06:40.000000  initiator  ike-sa-init        0   2  answered 2.500ms\n"),
			   "%s", out);
	cr_assert_not_null(strstr(out, "retransmitted at +4.00s\n"), "%s", out);
	cr_assert_null(strstr(out, "~ kind inferred"));
	free(out);
	ike_tracker_free(t);
}
