/* The IANA registries of transforms, ID types, certificate encodings and
 * AUTH methods: sorted and unique (binary search depends on it), and the
 * names charon 5.9.8 prints. */
#include <criterion/criterion.h>
#include <string.h>

#include "ikescope/names.h"

static const struct ike_names *const owned[] = {
	&ike_names_transform_type, &ike_names_encr, &ike_names_prf,	&ike_names_integ, &ike_names_ke,
	&ike_names_esn,		   &ike_names_id_type, &ike_names_cert_enc, &ike_names_auth,
};

Test(names, sorted_unique_and_complete)
{
	for (size_t r = 0; r < sizeof(owned) / sizeof(owned[0]); r++) {
		const struct ike_names *t = owned[r];
		cr_assert_gt(t->n, 0, "%s is empty", t->registry);
		for (size_t i = 0; i < t->n; i++) {
			cr_expect(t->v[i].name && t->v[i].name[0], "%s row %zu has no name", t->registry, i);
			cr_expect(t->v[i].short_name && t->v[i].short_name[0], "%s row %zu has no short name",
				  t->registry, i);
			if (i)
				cr_expect_gt(t->v[i].id, t->v[i - 1].id, "%s: id %u after %u", t->registry,
					     t->v[i].id, t->v[i - 1].id);
			cr_expect_eq(ike_names_find(t, t->v[i].id), &t->v[i], "%s: %u not found",
				     t->registry, t->v[i].id);
		}
	}
}

Test(names, charon_transform_names)
{
	cr_expect_str_eq(ike_name_long(&ike_names_encr, 12), "AES_CBC");
	cr_expect_str_eq(ike_name_long(&ike_names_encr, 3), "3DES_CBC");
	cr_expect_str_eq(ike_name_long(&ike_names_encr, 20), "AES_GCM_16");
	cr_expect_str_eq(ike_name_long(&ike_names_encr, 25), "CAMELLIA_CCM_8");
	cr_expect_str_eq(ike_name_long(&ike_names_encr, 28), "CHACHA20_POLY1305");
	cr_expect_str_eq(ike_name_long(&ike_names_integ, 2), "HMAC_SHA1_96");
	cr_expect_str_eq(ike_name_long(&ike_names_integ, 12), "HMAC_SHA2_256_128");
	cr_expect_str_eq(ike_name_long(&ike_names_integ, 9), "AES_128_GMAC");
	cr_expect_str_eq(ike_name_long(&ike_names_prf, 2), "PRF_HMAC_SHA1");
	cr_expect_str_eq(ike_name_long(&ike_names_prf, 8), "PRF_AES128_CMAC");
	cr_expect_str_eq(ike_name_long(&ike_names_ke, 14), "MODP_2048");
	cr_expect_str_eq(ike_name_long(&ike_names_ke, 31), "CURVE_25519");
	cr_expect_str_eq(ike_name_long(&ike_names_ke, 36), "ML_KEM_768");
	cr_expect_str_eq(ike_name_long(&ike_names_esn, 0), "NO_EXT_SEQ");
	cr_expect_str_eq(ike_name_short(&ike_names_transform_type, 4), "KE");
	cr_expect_str_eq(ike_name_long(&ike_names_transform_type, 4), "KEY_EXCHANGE_METHOD");
	cr_expect_str_eq(ike_name_long(&ike_names_ke, 0), "KE_NONE");
	cr_expect_str_eq(ike_name_short(&ike_names_transform_type, 6), "ADDKE1");
	cr_expect_null(ike_name_long(&ike_names_encr, 10));
	cr_expect_null(ike_name_long(&ike_names_ke, 3));
	cr_expect_null(ike_name_long(&ike_names_integ, 0));
}

Test(names, charon_knows_only_what_5_9_8_names)
{
	cr_expect(ike_transform_charon_knows(1, 12));
	cr_expect(ike_transform_charon_knows(4, 32));
	cr_expect(ike_transform_charon_knows(4, 1040));
	cr_expect_not(ike_transform_charon_knows(4, 36), "ML-KEM is 6.x only");
	cr_expect_not(ike_transform_charon_knows(1, 30));
	cr_expect_not(ike_transform_charon_knows(1, 10), "unassigned");
	cr_expect_not(ike_transform_charon_knows(6, 36));
	cr_expect_not(ike_transform_charon_knows(99, 1));
	cr_expect_eq(ike_names_for_transform(1), &ike_names_encr);
	cr_expect_eq(ike_names_for_transform(7), &ike_names_ke);
	cr_expect_null(ike_names_for_transform(13));
}

Test(names, id_cert_auth)
{
	cr_expect_str_eq(ike_name_long(&ike_names_id_type, 9), "ID_DER_ASN1_DN");
	cr_expect_str_eq(ike_name_long(&ike_names_id_type, 13), "ID_NULL");
	cr_expect_str_eq(ike_name_long(&ike_names_cert_enc, 4), "ENC_X509_SIGNATURE");
	cr_expect_str_eq(ike_name_long(&ike_names_cert_enc, 15), "ENC_RAW_PUBLIC_KEY");
	cr_expect_str_eq(ike_name_long(&ike_names_auth, 2), "SHARED_KEY_MESSAGE_INTEGRITY_CODE");
	cr_expect_str_eq(ike_name_short(&ike_names_auth, 2), "pre-shared key");
	cr_expect_str_eq(ike_name_long(&ike_names_auth, 14), "DIGITAL_SIGNATURE");
	cr_expect_null(ike_name_long(&ike_names_auth, 4));
}
