/*
 * names.c — the verdict vocabulary of DESIGN.md (stable: scripts match on
 * these strings) and the names of links and findings.
 */
#include "ikescope/correlate.h"

const char *ike_corr_symptom_name(enum ike_corr_symptom s)
{
	switch (s) {
	case IKE_SYM_HEALTHY: return "healthy";
	case IKE_SYM_NOT_ESTABLISHED: return "not-established";
	case IKE_SYM_FLAPPED: return "flapped";
	case IKE_SYM_DOWN: return "down";
	}
	return "unknown";
}

const char *ike_corr_cause_name(enum ike_corr_cause c)
{
	switch (c) {
	case IKE_CAUSE_HEALTHY: return "healthy";
	case IKE_CAUSE_PEER_UNREACHABLE: return "peer-unreachable";
	case IKE_CAUSE_IKE_PROPOSAL_MISMATCH: return "ike-proposal-mismatch";
	case IKE_CAUSE_DH_GROUP_MISMATCH: return "dh-group-mismatch";
	case IKE_CAUSE_AUTH_FAILED: return "auth-failed";
	case IKE_CAUSE_TS_UNACCEPTABLE: return "ts-unacceptable";
	case IKE_CAUSE_CHILD_PROPOSAL_MISMATCH: return "child-proposal-mismatch";
	case IKE_CAUSE_PFS_MISMATCH: return "pfs-mismatch";
	case IKE_CAUSE_DPD_TIMEOUT: return "dpd-timeout";
	case IKE_CAUSE_PEER_DELETED: return "peer-deleted";
	case IKE_CAUSE_LOCAL_DELETED: return "local-deleted";
	case IKE_CAUSE_UNKNOWN: return "unknown";
	}
	return "unknown";
}

const char *ike_corr_loss_name(enum ike_corr_loss l)
{
	switch (l) {
	case IKE_LOSS_NONE: return NULL;
	case IKE_LOSS_TOWARD_PEER: return "toward-peer";
	case IKE_LOSS_TOWARD_LOCAL: return "toward-local";
	case IKE_LOSS_UNKNOWN: return "unknown";
	}
	return "unknown";
}

const char *ike_corr_requester_name(enum ike_corr_requester r)
{
	switch (r) {
	case IKE_REQ_LOCAL: return "local";
	case IKE_REQ_PEER: return "peer";
	case IKE_REQ_UNKNOWN: break;
	}
	return "unknown";
}

const char *ike_corr_link_kind_name(enum ike_corr_link_kind k)
{
	switch (k) {
	case IKE_CORR_LINK_PACKET: return "packet";
	case IKE_CORR_LINK_MESSAGE: return "message";
	case IKE_CORR_LINK_RETRANSMIT: return "retransmit";
	}
	return "unknown";
}

const char *ike_corr_finding_kind_name(enum ike_corr_finding_kind k)
{
	switch (k) {
	case IKE_FIND_RETRANSMITTED: return "retransmitted";
	case IKE_FIND_GAVE_UP: return "gave-up";
	case IKE_FIND_INVALID_KE: return "invalid-ke";
	case IKE_FIND_PROPOSALS: return "proposals";
	case IKE_FIND_NOTIFY_ERROR: return "notify-error";
	case IKE_FIND_DELETE: return "delete";
	case IKE_FIND_NO_REINITIATION: return "no-reinitiation";
	case IKE_FIND_REKEY: return "rekey";
	case IKE_FIND_INTERFACE: return "interface";
	case IKE_FIND_CLOCK: return "clock";
	case IKE_FIND_UNLINKED_LOG: return "unlinked-log";
	case IKE_FIND_UNLINKED_FRAME: return "unlinked-frame";
	case IKE_FIND_LOSS: return "loss";
	case IKE_FIND_LIMIT: return "limit";
	}
	return "unknown";
}
