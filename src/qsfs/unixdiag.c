/* SPDX-License-Identifier: MIT */
/* The kernel's list of listening unix sockets (sock_diag): request and answer, no I/O (pure). */
#include "qsfs/unixdiag.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#define TCP_LISTEN_STATE 10 /* a listening unix socket's state, as for TCP */

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
		.req = { .sdiag_family = AF_UNIX, .udiag_states = 1u << TCP_LISTEN_STATE,
			 .udiag_show = UDIAG_SHOW_VFS },
	};
	memcpy(buf, &r, sizeof(r));
}

/* Whether the attributes after one unix_diag_msg name the file (@dev, @ino). */
static int bound_to(const struct nlmsghdr *nlh, uint32_t dev, uint32_t ino)
{
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
		return -EBADMSG;
	const struct unix_diag_msg *m = NLMSG_DATA(nlh);
	int left = (int)(nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	for (const struct rtattr *a = (const struct rtattr *)(m + 1); RTA_OK(a, left);
	     a = RTA_NEXT(a, left)) {
		if (a->rta_type != UNIX_DIAG_VFS || RTA_PAYLOAD(a) < sizeof(struct unix_diag_vfs))
			continue;
		struct unix_diag_vfs v;
		memcpy(&v, RTA_DATA(a), sizeof(v));
		if (v.udiag_vfs_dev == dev && v.udiag_vfs_ino == ino)
			return 1;
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
	int left = (int)len;
	if (len > (size_t)INT32_MAX)
		return -EBADMSG;
	for (const struct nlmsghdr *nlh = buf; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left)) {
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 2;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nlh);
			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return -EBADMSG;
			return e->error < 0 ? e->error : 2; /* an acknowledgement ends it too */
		}
		if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		int r = bound_to(nlh, kernel_dev(dev), (uint32_t)ino);
		if (r != 0)
			return r;
	}
	return left == 0 ? 0 : -EBADMSG;
}
