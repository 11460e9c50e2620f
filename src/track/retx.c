/*
 * retx.c — the retransmission schedule behind a run of transmissions.
 *
 * strongSwan waits timeout × base^n before retransmission n+1 (n from 0;
 * charon.retransmit_timeout 4.0 s, retransmit_base 1.8, retransmit_tries 5,
 * no jitter by default) and gives up timeout × base^tries after its last
 * retransmission: 165 s after the first send with the defaults. The gaps
 * g_n = timeout × base^n are a line in log space, so a least-squares fit of
 * ln g_n against n gives both settings; how far the gaps stray from the line
 * tells whether the sender backs off like strongSwan at all.
 */
#include <math.h>

#include "track/track_int.h"

#define RETX_DEF_TIMEOUT 4.0
#define RETX_DEF_BASE 1.8
#define RETX_IRREGULAR 0.15 /* largest relative gap error still called exponential */

void ike_retx_fit(const int64_t *tx_us, size_t n, struct ike_retx_fit *out)
{
	*out = (struct ike_retx_fit){0};
	if (n < 2)
		return;
	if (n > IKE_TRACK_MAX_TX)
		n = IKE_TRACK_MAX_TX;
	double gap[IKE_TRACK_MAX_TX];
	size_t g = n - 1;
	for (size_t i = 0; i < g; i++) {
		gap[i] = (double)(tx_us[i + 1] - tx_us[i]) / 1e6;
		if (gap[i] <= 0.0) { /* copies in the same instant: no schedule to read */
			out->n_gaps = (unsigned)g;
			out->verdict = IKE_RETX_IRREGULAR;
			return;
		}
	}
	out->n_gaps = (unsigned)g;
	double span = (double)(tx_us[n - 1] - tx_us[0]) / 1e6;
	if (g == 1) {
		out->timeout_s = gap[0];
		return;
	}
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	for (size_t i = 0; i < g; i++) {
		double x = (double)i, y = log(gap[i]);
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
	}
	double dg = (double)g;
	double b = (dg * sxy - sx * sy) / (dg * sxx - sx * sx);
	double a = (sy - b * sx) / dg;
	out->timeout_s = exp(a);
	out->base = exp(b);
	for (size_t i = 0; i < g; i++) {
		double fit = out->timeout_s * pow(out->base, (double)i);
		double e = fabs(gap[i] - fit) / fit;
		if (e > out->max_rel_err)
			out->max_rel_err = e;
	}
	out->give_up_s = span + out->timeout_s * pow(out->base, dg);
	if (out->max_rel_err > RETX_IRREGULAR)
		out->verdict = IKE_RETX_IRREGULAR;
	else if (fabs(out->base - 1.0) < 0.1)
		out->verdict = IKE_RETX_FIXED_INTERVAL;
	else if (fabs(out->timeout_s - RETX_DEF_TIMEOUT) <= 0.1 * RETX_DEF_TIMEOUT &&
		 fabs(out->base - RETX_DEF_BASE) <= 0.05 * RETX_DEF_BASE)
		out->verdict = IKE_RETX_STRONGSWAN_DEFAULT;
	else
		out->verdict = IKE_RETX_STRONGSWAN;
}

const char *ike_retx_verdict_name(enum ike_retx_verdict v)
{
	static const char *const n[] = {"none", "strongswan-default", "strongswan", "fixed-interval", "irregular"};
	return (unsigned)v < sizeof(n) / sizeof(n[0]) ? n[v] : "none";
}
