/* charon's summary string, built from decoded messages. */
#include <criterion/criterion.h>

#include "ikebuild.h"
#include "ikescope/ike.h"

static struct ike_decoder *dec;
static struct ike_msg msg;
static char s[512];

static void setup(void) { dec = ike_decoder_new(); }
static void teardown(void) { ike_decoder_free(dec); }
TestSuite(summary, .init = setup, .fini = teardown);

static const char *summarise(const struct ikeb *b)
{
	cr_assert_eq(ike_decoder_decode(dec, NULL, b->b, b->len, &msg), IKE_OK);
	ike_msg_summary(&msg, s, sizeof(s));
	return s;
}

Test(summary, ike_sa_init_request)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 0, 0);
	cr_expect_str_eq(summarise(&b), "IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]");
}

Test(summary, ike_sa_init_response)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 2, 1);
	cr_expect_str_eq(summarise(&b), "IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]");
}

Test(summary, error_notify_long_and_short)
{
	struct ikeb b;
	ikeb_header(&b, 1, 0, 34, 0x20, 0);
	ikeb_notify(&b, 14, NULL, 0);
	ikeb_done(&b);
	cr_expect_str_eq(summarise(&b), "IKE_SA_INIT response 0 [ N(NO_PROP) ]");
	const uint8_t grp[2] = {0, 19};
	ikeb_header(&b, 1, 0, 34, 0x20, 0);
	ikeb_notify(&b, 17, grp, 2);
	ikeb_done(&b);
	cr_expect_str_eq(summarise(&b), "IKE_SA_INIT response 0 [ N(INVAL_KE) ]");
}

Test(summary, notify_charon_does_not_name)
{
	struct ikeb b;
	ikeb_header(&b, 1, 0, 34, 0x08, 0);
	ikeb_notify(&b, 16438, NULL, 0);
	ikeb_done(&b);
	cr_expect_str_eq(summarise(&b), "IKE_SA_INIT request 0 [ N((16438)) ]");
}

Test(summary, empty_informational_is_a_dpd)
{
	struct ikeb b;
	ikeb_header(&b, 1, 2, 37, 0x08, 5);
	ikeb_done(&b);
	cr_expect_str_eq(summarise(&b), "INFORMATIONAL request 5 [ ]");
}

Test(summary, unknown_exchange_by_number)
{
	struct ikeb b;
	ikeb_header(&b, 1, 2, 99, 0x20, 7);
	ikeb_done(&b);
	cr_expect_str_eq(summarise(&b), "(99) response 7 [ ]");
}

Test(summary, eap_and_cp)
{
	struct ikeb b;
	ikeb_header(&b, 1, 2, 35, 0x20, 1);
	size_t p = ikeb_payload(&b, 48, 0); /* EAP Request/Identity */
	ikeb_u8(&b, 1);
	ikeb_u8(&b, 7);
	ikeb_u16(&b, 5);
	ikeb_u8(&b, 1);
	ikeb_end(&b, p);
	p = ikeb_payload(&b, 47, 0); /* CP REQUEST: INTERNAL_IP4_ADDRESS, INTERNAL_IP4_DNS */
	ikeb_u8(&b, 1);
	ikeb_fill(&b, 0, 3);
	ikeb_u16(&b, 1);
	ikeb_u16(&b, 0);
	ikeb_u16(&b, 3);
	ikeb_u16(&b, 0);
	ikeb_end(&b, p);
	ikeb_done(&b);
	cr_expect_str_eq(summarise(&b), "IKE_AUTH response 1 [ EAP/REQ/ID CPRQ(ADDR DNS) ]");
}

Test(summary, truncated_buffer_reports_needed_length)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 0, 0);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	char small[10];
	size_t need = ike_msg_summary(&msg, small, sizeof(small));
	cr_expect_eq(need, strlen("IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]"));
	cr_expect_eq(strlen(small), sizeof(small) - 1);
}
