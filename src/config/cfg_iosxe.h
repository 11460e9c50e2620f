/*
 * cfg_iosxe.h — the IOS XE objects one pass over the config collects
 * (cfg_iosxe.c), resolved into tunnels afterwards (cfg_iosxe_resolve.c).
 * Internal to the config module.
 */
#ifndef IKESCOPE_CFG_IOSXE_H
#define IKESCOPE_CFG_IOSXE_H

#include "config/cfg_int.h"

#define OBJ_MAX 16

struct named {
	char name[48];
	unsigned line;
	char text[IKE_CFG_ORIGIN_LEN];
};

struct iprop {
	struct named n;
	struct ike_cfg_proposal p;
	bool prf_set, has_group, has_encr;
	unsigned group_line;
	char group_text[IKE_CFG_ORIGIN_LEN];
};
struct ipolicy {
	struct named n;
	char props[4][48];
	unsigned n_props;
};
struct peer {
	char addr[64];
	uint8_t hash[32];
	bool have_psk, opaque;
	unsigned line;
};
struct keyring {
	struct named n;
	struct peer peers[8];
	unsigned n_peers;
};
struct iprofile {
	struct named n;
	char remote[64], keyring[48];
	struct ike_cfg_timer life, dpd;
	enum ike_cfg_auth auth;
	struct ike_cfg_origin auth_from;
};
struct tset {
	struct named n;
	struct ike_cfg_proposal p;
};
struct sprofile {
	struct named n;
	char tsets[6][48];
	unsigned n_tsets;
	struct ike_cfg_origin ts_from, pfs_from;
	uint16_t pfs;
	bool has_pfs;
	char ikev2[48];
	struct ike_cfg_timer life, replay;
};
struct tif {
	struct named n;
	char src[64], dst[64], prot[48];
	struct ike_cfg_origin src_from, dst_from, prot_from;
};

struct ios {
	struct ike_cfg_file *f;
	struct iprop props[OBJ_MAX];
	struct ipolicy pols[OBJ_MAX];
	struct keyring rings[OBJ_MAX];
	struct iprofile profs[OBJ_MAX];
	struct tset tsets[OBJ_MAX];
	struct sprofile sprofs[OBJ_MAX];
	struct tif ifs[IKE_CFG_MAX_TUNNELS];
	unsigned n_props, n_pols, n_rings, n_profs, n_tsets, n_sprofs, n_ifs;
	struct ike_cfg_timer dpd_global, sa_life_global;
	enum { B_NONE, B_PROP, B_POL, B_RING, B_PROF, B_TSET, B_SPROF, B_IF, B_SKIP } block;
	struct peer *peer;
};

/* Turns every protected Tunnel interface into a tunnel of s->f. */
void cfg_iosxe_resolve(struct ios *s);

#endif
