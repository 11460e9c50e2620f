/* table.c — the only place that lists the payload dissectors. */
#include "dissector.h"

static const struct ike_dissector *const table[256] = {
	[33] = &ike_dis_sa,
	[34] = &ike_dis_ke,
	[35] = &ike_dis_idi,
	[36] = &ike_dis_idr,
	[37] = &ike_dis_cert,
	[38] = &ike_dis_certreq,
	[39] = &ike_dis_auth,
	[40] = &ike_dis_nonce,
	[41] = &ike_dis_notify,
	[42] = &ike_dis_delete,
	[43] = &ike_dis_vendor,
	[44] = &ike_dis_tsi,
	[45] = &ike_dis_tsr,
	[46] = &ike_dis_sk,
	[47] = &ike_dis_cp,
	[48] = &ike_dis_eap,
	[49] = &ike_dis_gspm,
	[50] = &ike_dis_idg,
	[51] = &ike_dis_gsa,
	[52] = &ike_dis_kd,
	[53] = &ike_dis_skf,
};

const struct ike_dissector *ike_dissector_for(uint8_t type)
{
	return table[type];
}
