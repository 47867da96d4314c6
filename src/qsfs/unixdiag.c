/* SPDX-License-Identifier: MIT */
/* The kernel's list of unix sockets (sock_diag): request and answer, no I/O (pure). */
#include "qsfs/unixdiag.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#define TCP_LISTEN_STATE 10 /* a listening unix socket's state, as for TCP */
#define TCP_CLOSE_STATE 7   /* a bound one not listening (yet); accepted ones are ESTABLISHED */

struct request {
	struct nlmsghdr nlh;
	struct unix_diag_req req;
};

_Static_assert(sizeof(struct request) == UNIXDIAG_REQUEST_BYTES, "request size");

void unixdiag_request(unsigned char buf[UNIXDIAG_REQUEST_BYTES])
{
	struct request r = {
		.nlh = { .nlmsg_len = sizeof(r), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.req = { .sdiag_family = AF_UNIX,
			 .udiag_states = 1u << TCP_LISTEN_STATE | 1u << TCP_CLOSE_STATE,
			 .udiag_show = UDIAG_SHOW_VFS },
	};
	memcpy(buf, &r, sizeof(r));
}

/* Whether the attributes after one unix_diag_msg name the file (@dev, @ino): 1 yes, 0 no.
 * The netlink macros' loops are written out: NLMSG_OK and RTA_OK compare signed with
 * unsigned. */
static int bound_to(const struct nlmsghdr *nlh, uint32_t dev, uint32_t ino)
{
	size_t end = nlh->nlmsg_len, at = NLMSG_LENGTH(sizeof(struct unix_diag_msg));
	if (end < at)
		return -EBADMSG;
	while (at + sizeof(struct rtattr) <= end) {
		const struct rtattr *a = (const struct rtattr *)((const char *)nlh + at);
		if (a->rta_len < sizeof(*a) || a->rta_len > end - at)
			return -EBADMSG;
		if (a->rta_type == UNIX_DIAG_VFS && a->rta_len >= RTA_LENGTH(sizeof(struct unix_diag_vfs))) {
			struct unix_diag_vfs v;
			memcpy(&v, RTA_DATA(a), sizeof(v));
			if (v.udiag_vfs_dev == dev && v.udiag_vfs_ino == ino)
				return 1;
		}
		at += RTA_ALIGN(a->rta_len);
	}
	return 0;
}

/* @dev as the kernel keeps it inside (MAJOR << 20 | MINOR), which sock_diag reports, where
 * stat(2) encodes it for user space (glibc's major() and minor() undo that). */
static uint32_t kernel_dev(uint64_t dev)
{
	return (uint32_t)(major(dev) << 20 | (minor(dev) & 0xfffff));
}

int unixdiag_scan(const void *buf, size_t len, uint64_t dev, uint64_t ino)
{
	uint32_t kdev = kernel_dev(dev);
	size_t at = 0;
	while (at + sizeof(struct nlmsghdr) <= len) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)((const char *)buf + at);
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len - at)
			return -EBADMSG;
		if (nlh->nlmsg_type == NLMSG_DONE)
			return UNIXDIAG_ABSENT;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				return -EBADMSG;
			const struct nlmsgerr *e = NLMSG_DATA(nlh);
			return e->error < 0 ? e->error : UNIXDIAG_ABSENT; /* an ack ends it too */
		}
		if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			int r = bound_to(nlh, kdev, (uint32_t)ino);
			if (r < 0)
				return r;
			if (r == 1) {
				const struct unix_diag_msg *m = NLMSG_DATA(nlh);
				bool listens = m->udiag_state == TCP_LISTEN_STATE;
				return listens ? UNIXDIAG_LISTENING : UNIXDIAG_NOT_LISTENING;
			}
		}
		at += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return at >= len ? UNIXDIAG_MORE : -EBADMSG;
}
