/*
 * track_msg.h — header-only IKE messages for the tracker's tests: between
 * 192.0.2.1 (the IKE SA's initiator) and 203.0.113.1, at t0 + us, the bytes
 * filled from the SPI, flags and message ID so that a resent request hashes
 * the same and a new one does not.
 */
#ifndef TRACK_MSG_H
#define TRACK_MSG_H

#include <string.h>

#include "ikescope/ike.h"

#define SEC 1000000LL
static const int64_t t0 = 1750000000LL * SEC;

static inline void msg(struct ike_msg *m, uint8_t *raw, int64_t us, bool from_i, uint64_t ispi, uint64_t rspi,
		       uint8_t exch, uint8_t flags, uint32_t mid, uint64_t frame)
{
	static const uint8_t a[4] = {192, 0, 2, 1}, b[4] = {203, 0, 113, 1};
	memset(m, 0, sizeof(*m));
	m->at.frame = frame;
	m->at.ts_sec = (t0 + us) / SEC;
	m->at.ts_usec = (int32_t)((t0 + us) % SEC);
	m->at.src.family = m->at.dst.family = 4;
	memcpy(m->at.src.a, from_i ? a : b, 4);
	memcpy(m->at.dst.a, from_i ? b : a, 4);
	m->at.sport = m->at.dport = 500;
	m->ispi = ispi;
	m->rspi = rspi;
	m->exchange = exch;
	m->flags = flags;
	m->mid = mid;
	memset(raw, (int)(ispi ^ flags ^ mid), 40);
	m->raw = (struct ike_span){raw, 40};
	m->length = 40;
}

#endif
