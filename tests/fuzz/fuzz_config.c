/* fuzz_config — tunnel configs in every dialect (guessed, then forced), their
 * text and JSON, and the prediction and explanations between the first and the
 * last tunnel found. */
#include "fuzz.h"

#include "ikescope/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ike_cfg_dialect dialects[] = {IKE_CFG_DETECT, IKE_CFG_VEDGE, IKE_CFG_IOSXE, IKE_CFG_SWANCTL,
							IKE_CFG_IPSEC_CONF};
	static const char *const causes[] = {"ike-proposal-mismatch", "dh-group-mismatch", "auth-failed",
					     "ts-unacceptable", "child-proposal-mismatch", "pfs-mismatch",
					     "dpd-timeout", "peer-unreachable"};
	for (size_t d = 0; d < sizeof(dialects) / sizeof(dialects[0]); d++) {
		struct ike_cfg_file *f = NULL;
		char err[256];
		if (ike_cfg_parse("fuzz", (const char *)data, size, dialects[d], &f, err, sizeof(err)) != 0) {
			fuzz_sink_acc += strlen(err);
			continue;
		}
		ike_out_text_cfg_file(fuzz_null_file(), f);
		ike_out_json_cfg_file(fuzz_null_file(), f);
		const struct ike_cfg_tunnel *a = &f->tunnels[0], *b = &f->tunnels[f->n_tunnels - 1];
		struct ike_cfg_prediction p;
		ike_cfg_predict(a, b, &p);
		ike_out_text_cfg_prediction(fuzz_null_file(), &p, f, a, f, b);
		ike_out_json_cfg_prediction(fuzz_null_file(), &p, f, a, f, b);
		char text[512];
		for (size_t c = 0; c < sizeof(causes) / sizeof(causes[0]); c++) {
			fuzz_sink_acc += ike_cfg_explain(causes[c], a, b, "ESP:AES_GCM_16_256/NO_EXT_SEQ", text, sizeof(text));
			fuzz_sink_acc += ike_cfg_explain(causes[c], b, NULL, NULL, text, sizeof(text));
		}
		fuzz_sink_acc += ike_cfg_facing(a, f) != NULL;
		ike_cfg_free(f);
	}
	return 0;
}
