/*
 * tunnel.c — which tunnel each log line and message belongs to.
 *
 * A tunnel is the local end's address and the peer's. Lines that name
 * addresses (packets, initiate, established, deleting, no config) place
 * themselves: for the local end's log the remote address is the peer; for
 * the peer's log it is the other way round. Lines without addresses take the
 * tunnel of the nearest placed line of the same thread (charon handles one
 * message on one thread from `received packet` to `sending packet`), then
 * of their IKE SA name, then the only tunnel of their file. Captured messages
 * join the tunnel of their addresses; a capture with no log makes its own
 * tunnels, the initiator of the first IKE_SA_INIT taken as the local end.
 * One verdict is made per tunnel (--peer keeps only the matching ones).
 */
#include <stdlib.h>
#include <string.h>

#include "correlate/corr_int.h"

#define THREAD_SCAN 64
#define THREAD_WINDOW_US (2 * 1000000LL)

struct tun {
	struct ike_addr local, peer;
	uint16_t local_port, peer_port;
	char name[IKE_LOG_NAME_MAX];
};

struct tuns {
	struct tun t[IKE_CORR_MAX_TUNNELS];
	size_t n;
};

static int32_t find_peer(const struct tuns *T, const struct ike_addr *peer, const struct ike_addr *local)
{
	for (size_t i = 0; i < T->n; i++)
		if (ike_corr_same_addr(&T->t[i].peer, peer) &&
		    (!local || !local->family || !T->t[i].local.family || ike_corr_same_addr(&T->t[i].local, local)))
			return (int32_t)i;
	return -1;
}

static int32_t add(struct ike_corr *c, struct tuns *T, const struct ike_addr *local, uint16_t lport,
		   const struct ike_addr *peer, uint16_t pport)
{
	int32_t k = find_peer(T, peer, local);
	if (k >= 0) {
		struct tun *t = &T->t[k];
		if (!t->local.family && local && local->family)
			t->local = *local;
		if (!t->local_port && lport)
			t->local_port = lport;
		if (!t->peer_port && pport)
			t->peer_port = pport;
		return k;
	}
	if (T->n == IKE_CORR_MAX_TUNNELS) {
		c->st.tunnels_dropped++;
		return -1;
	}
	struct tun *t = &T->t[T->n];
	memset(t, 0, sizeof(*t));
	t->peer = *peer;
	if (local)
		t->local = *local;
	t->local_port = lport;
	t->peer_port = pport;
	return (int32_t)T->n++;
}

/* The addresses a line gives: its local and remote ends. */
static bool line_addrs(const struct ike_corr_log *l, const struct ike_log_host **loc, const struct ike_log_host **rem)
{
	switch (l->kind) {
	case IKE_LOG_PKT_SENT: *loc = &l->from; *rem = &l->to; return l->to.addr.family != 0;
	case IKE_LOG_PKT_RECEIVED: *loc = &l->to; *rem = &l->from; return l->from.addr.family != 0;
	case IKE_LOG_IKE_INITIATE:
	case IKE_LOG_IKE_PEER_INITIATE:
	case IKE_LOG_IKE_ESTABLISHED:
	case IKE_LOG_IKE_REKEYED:
	case IKE_LOG_IKE_DELETING:
	case IKE_LOG_NO_IKE_CONFIG:
		*loc = &l->from;
		*rem = &l->to;
		return l->to.addr.family != 0;
	default: return false;
	}
}

static void place_lines(struct ike_corr *c, struct tuns *T, uint32_t side)
{
	for (size_t i = 0; i < c->n_logs; i++) {
		struct ike_corr_log *l = &c->logs[i];
		const struct ike_log_host *loc, *rem;
		if (l->side != side || !line_addrs(l, &loc, &rem))
			continue;
		if (side == IKE_CORR_SIDE_LOCAL) {
			l->tunnel = add(c, T, &loc->addr, loc->port, &rem->addr, rem->port);
		} else {
			/* the peer's log: its local address is our peer (unless a NAT rewrote ours) */
			int32_t k = loc->addr.family ? find_peer(T, &loc->addr, NULL) : -1;
			if (k < 0)
				for (size_t t = 0; t < T->n && k < 0; t++)
					if (ike_corr_same_addr(&T->t[t].local, &rem->addr))
						k = (int32_t)t;
			if (k < 0 && loc->addr.family)
				k = add(c, T, &rem->addr, rem->port, &loc->addr, loc->port);
			l->tunnel = k;
		}
		if (l->tunnel >= 0 && l->sa_name[0] && !T->t[l->tunnel].name[0])
			snprintf(T->t[l->tunnel].name, sizeof(T->t[l->tunnel].name), "%s", l->sa_name);
	}
}

static int32_t by_thread(const struct ike_corr *c, size_t i)
{
	const struct ike_corr_log *l = &c->logs[i];
	if (l->thread < 0)
		return -1;
	for (int dir = 1; dir >= -1; dir -= 2) {
		for (size_t s = 1; s <= THREAD_SCAN; s++) {
			if (dir < 0 && s > i)
				break;
			size_t j = dir > 0 ? i + s : i - s;
			if (j >= c->n_logs)
				break;
			const struct ike_corr_log *p = &c->logs[j];
			int64_t d = p->us - l->us;
			if (d > THREAD_WINDOW_US || d < -THREAD_WINDOW_US)
				break;
			if (p->file == l->file && p->thread == l->thread && p->tunnel >= 0) {
				const struct ike_log_host *a, *b;
				if (line_addrs(p, &a, &b))
					return p->tunnel;
			}
		}
	}
	return -1;
}

/* vEdge FTMD "VPN n Interface ipsec2 DOWN": interface ipsec2 is IKE_SA ipsec2_1 (and _2, …). */
static int32_t by_interface(const char *text, const struct tuns *T)
{
	const char *p = strstr(text, "Interface ");
	if (!p)
		return -1;
	p += strlen("Interface ");
	size_t n = strcspn(p, " ");
	if (!n)
		return -1;
	for (size_t t = 0; t < T->n; t++)
		if (strncmp(T->t[t].name, p, n) == 0 && T->t[t].name[n] == '_')
			return (int32_t)t;
	return -1;
}

static void place_rest(struct ike_corr *c, const struct tuns *T)
{
	int32_t only[IKE_LOG_MAX_FILES]; /* -1 none, -2 several */
	for (size_t f = 0; f < IKE_LOG_MAX_FILES; f++)
		only[f] = -1;
	for (size_t j = 0; j < c->n_logs; j++) {
		const struct ike_corr_log *p = &c->logs[j];
		const struct ike_log_host *a, *b;
		if (p->file >= IKE_LOG_MAX_FILES || p->tunnel < 0 || !line_addrs(p, &a, &b))
			continue;
		if (only[p->file] == -1)
			only[p->file] = p->tunnel;
		else if (only[p->file] != p->tunnel)
			only[p->file] = -2;
	}
	for (size_t i = 0; i < c->n_logs; i++) {
		struct ike_corr_log *l = &c->logs[i];
		if (l->tunnel >= 0)
			continue;
		l->tunnel = by_thread(c, i);
		if (l->tunnel < 0 && l->sa_name[0])
			for (size_t t = 0; t < T->n; t++)
				if (strcmp(T->t[t].name, l->sa_name) == 0) {
					l->tunnel = (int32_t)t;
					break;
				}
		if (l->tunnel < 0 && l->kind == IKE_LOG_IF_STATE)
			l->tunnel = by_interface(l->text, T);
		if (l->tunnel < 0 && l->file < IKE_LOG_MAX_FILES && only[l->file] >= 0)
			l->tunnel = only[l->file]; /* the only tunnel this file speaks of */
	}
}

#define SPI_SEEN 1024 /* initiator SPIs remembered, so that a NATed view joins its tunnel */

static void place_msgs(struct ike_corr *c, struct tuns *T)
{
	uint64_t *spi = malloc(SPI_SEEN * sizeof(*spi));
	int32_t *spi_tunnel = malloc(SPI_SEEN * sizeof(*spi_tunnel));
	size_t n_spi = 0, next = 0;
	if (!spi || !spi_tunnel) {
		free(spi);
		free(spi_tunnel);
		spi = NULL;
		spi_tunnel = NULL;
	}
	for (size_t i = 0; i < c->n_msgs; i++) {
		struct ike_corr_msg *x = &c->msgs[i];
		int32_t k = find_peer(T, &x->dst, &x->src);
		if (k < 0)
			k = find_peer(T, &x->src, &x->dst);
		/* the same IKE SA seen through a NAT (another capture) is the same tunnel */
		for (size_t s = 0; k < 0 && s < n_spi; s++)
			if (spi[s] == x->ispi && x->ispi)
				k = spi_tunnel[s];
		if (k < 0) {
			/* no log named these ends: the IKE SA's original initiator is local */
			if (x->initiator)
				k = add(c, T, &x->src, x->sport, &x->dst, x->dport);
			else
				k = add(c, T, &x->dst, x->dport, &x->src, x->sport);
		}
		x->tunnel = k;
		bool known = false;
		for (size_t s = 0; s < n_spi && !known; s++)
			known = spi[s] == x->ispi;
		if (!known && k >= 0 && x->ispi && spi) {
			spi[next] = x->ispi;
			spi_tunnel[next] = k;
			next = (next + 1) % SPI_SEEN;
			if (n_spi < SPI_SEEN)
				n_spi++;
		}
	}
	free(spi);
	free(spi_tunnel);
}

void ike_corr_tunnels(struct ike_corr *c)
{
	struct tuns *T = calloc(1, sizeof(*T)); /* 256 tunnels: on the heap */
	if (!T)
		return;
	place_lines(c, T, IKE_CORR_SIDE_LOCAL);
	place_lines(c, T, IKE_CORR_SIDE_PEER);
	place_rest(c, T);
	place_msgs(c, T);
	c->verdicts = calloc(T->n ? T->n : 1, sizeof(*c->verdicts));
	for (size_t i = 0; c->verdicts && i < T->n; i++) {
		const struct tun *t = &T->t[i];
		if (c->o.have_peer && !ike_corr_same_addr(&t->peer, &c->o.peer))
			continue;
		struct ike_corr_verdict *v = &c->verdicts[c->n_verdicts++];
		v->tunnel = (uint32_t)i;
		snprintf(v->name, sizeof(v->name), "%s", t->name);
		v->local = t->local;
		v->peer = t->peer;
		v->local_port = t->local_port;
		v->peer_port = t->peer_port;
		v->ts_us = v->down_us = -1;
	}
	free(T);
}
