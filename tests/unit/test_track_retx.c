/*
 * test_track_retx.c — fitting strongSwan's retransmission schedule
 * (timeout × base^n) to the times of a request's transmissions.
 */
#include <criterion/criterion.h>

#include "ikescope/track.h"

/* n transmission times (µs) for a sender with the given schedule. */
static void schedule(int64_t *tx, size_t n, double timeout, double base)
{
	double at = 1e12, wait = timeout * 1e6;
	for (size_t i = 0; i < n; i++) {
		tx[i] = (int64_t)at;
		at += wait;
		wait *= base;
	}
}

Test(retx, strongswan_defaults_recovered_with_the_165_s_give_up)
{
	int64_t tx[6];
	schedule(tx, 6, 4.0, 1.8);
	struct ike_retx_fit f;
	ike_retx_fit(tx, 6, &f);
	cr_assert_eq(f.n_gaps, 5);
	cr_assert_float_eq(f.timeout_s, 4.0, 1e-4);
	cr_assert_float_eq(f.base, 1.8, 1e-4);
	cr_assert_lt(f.max_rel_err, 1e-4);
	cr_assert_float_eq(f.give_up_s, 165.0611, 1e-3);
	cr_assert_eq(f.verdict, IKE_RETX_STRONGSWAN_DEFAULT);
	cr_assert_str_eq(ike_retx_verdict_name(f.verdict), "strongswan-default");
}

Test(retx, other_settings_are_still_strongswan)
{
	int64_t tx[4];
	schedule(tx, 4, 2.0, 1.5);
	struct ike_retx_fit f;
	ike_retx_fit(tx, 4, &f);
	cr_assert_float_eq(f.timeout_s, 2.0, 1e-4);
	cr_assert_float_eq(f.base, 1.5, 1e-4);
	cr_assert_eq(f.verdict, IKE_RETX_STRONGSWAN);
}

Test(retx, small_capture_jitter_keeps_the_verdict)
{
	int64_t tx[6];
	schedule(tx, 6, 4.0, 1.8);
	tx[1] += 30000;
	tx[3] -= 50000;
	tx[4] += 20000;
	struct ike_retx_fit f;
	ike_retx_fit(tx, 6, &f);
	cr_assert_float_eq(f.timeout_s, 4.0, 0.1);
	cr_assert_float_eq(f.base, 1.8, 0.02);
	cr_assert_eq(f.verdict, IKE_RETX_STRONGSWAN_DEFAULT);
}

Test(retx, fixed_interval_is_not_strongswan)
{
	int64_t tx[5];
	schedule(tx, 5, 2.0, 1.0);
	struct ike_retx_fit f;
	ike_retx_fit(tx, 5, &f);
	cr_assert_float_eq(f.base, 1.0, 1e-6);
	cr_assert_eq(f.verdict, IKE_RETX_FIXED_INTERVAL);
}

Test(retx, gaps_off_any_exponential_are_irregular)
{
	const int64_t tx[] = {0, 4000000, 5000000, 15000000, 16000000};
	struct ike_retx_fit f;
	ike_retx_fit(tx, 5, &f);
	cr_assert_gt(f.max_rel_err, 0.15);
	cr_assert_eq(f.verdict, IKE_RETX_IRREGULAR);
}

Test(retx, too_few_transmissions)
{
	const int64_t tx[] = {1000000, 5000000, 5000000};
	struct ike_retx_fit f;
	ike_retx_fit(tx, 0, &f);
	cr_assert_eq(f.n_gaps, 0);
	cr_assert_eq(f.verdict, IKE_RETX_NONE);
	ike_retx_fit(tx, 1, &f);
	cr_assert_eq(f.n_gaps, 0);
	ike_retx_fit(tx, 2, &f);
	cr_assert_eq(f.n_gaps, 1);
	cr_assert_float_eq(f.timeout_s, 4.0, 1e-9);
	cr_assert_eq(f.base, 0.0);
	cr_assert_eq(f.verdict, IKE_RETX_NONE);
	/* Two copies in the same microsecond: no schedule, no division by zero. */
	ike_retx_fit(tx, 3, &f);
	cr_assert_eq(f.verdict, IKE_RETX_IRREGULAR);
}

Test(retx, more_times_than_kept_are_cut_to_the_cap)
{
	int64_t tx[IKE_TRACK_MAX_TX + 4];
	schedule(tx, IKE_TRACK_MAX_TX + 4, 0.5, 1.2);
	struct ike_retx_fit f;
	ike_retx_fit(tx, IKE_TRACK_MAX_TX + 4, &f);
	cr_assert_eq(f.n_gaps, IKE_TRACK_MAX_TX - 1);
	cr_assert_float_eq(f.base, 1.2, 1e-4);
}
