/* SPDX-License-Identifier: MIT */
/* Tests for qsfs/unixdiag: the sock_diag request, and answers with and without the listener. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "qsfs/unixdiag.h"
#include "runner.h"

TEST(unixdiag_request_lists_listeners_with_their_files)
{
	unsigned char buf[UNIXDIAG_REQUEST_BYTES];
	unixdiag_request(buf);
	struct nlmsghdr h;
	struct unix_diag_req r;
	memcpy(&h, buf, sizeof(h));
	memcpy(&r, buf + sizeof(h), sizeof(r));
	ASSERT_EQ(h.nlmsg_len, UNIXDIAG_REQUEST_BYTES);
	ASSERT_EQ(h.nlmsg_type, SOCK_DIAG_BY_FAMILY);
	ASSERT_EQ(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	ASSERT_EQ(r.sdiag_family, AF_UNIX);
	ASSERT_EQ(r.udiag_states, 1u << 10 | 1u << 7); /* TCP_LISTEN, TCP_CLOSE */
	ASSERT_EQ(r.udiag_show, UDIAG_SHOW_VFS);
}

/* A datagram as the kernel sends it: messages appended with add_listener() and add_type(). */
static union {
	struct nlmsghdr align;
	unsigned char bytes[4096];
} dgram;
static size_t used;

/* One socket in @state bound to the file (@kdev in the kernel's encoding, @ino), with a
 * second attribute after its UNIX_DIAG_VFS as the kernel adds (UNIX_DIAG_SHUTDOWN). */
static void add_socket(uint32_t kdev, uint32_t ino, uint8_t state)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(dgram.bytes + used);
	struct unix_diag_msg *m = NLMSG_DATA(h);
	memset(m, 0, sizeof(*m));
	m->udiag_family = AF_UNIX;
	m->udiag_type = SOCK_STREAM;
	m->udiag_state = state;
	struct rtattr *a = (struct rtattr *)(m + 1);
	a->rta_type = UNIX_DIAG_VFS;
	a->rta_len = RTA_LENGTH(sizeof(struct unix_diag_vfs));
	struct unix_diag_vfs v = { .udiag_vfs_ino = ino, .udiag_vfs_dev = kdev };
	memcpy(RTA_DATA(a), &v, sizeof(v));
	struct rtattr *b = (struct rtattr *)((char *)a + RTA_ALIGN(a->rta_len));
	b->rta_type = UNIX_DIAG_SHUTDOWN;
	b->rta_len = RTA_LENGTH(1);
	*(unsigned char *)RTA_DATA(b) = 0;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*m) + RTA_ALIGN(a->rta_len) + RTA_ALIGN(b->rta_len));
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h->nlmsg_flags = NLM_F_MULTI;
	used += NLMSG_ALIGN(h->nlmsg_len);
}

/* One listening socket (TCP_LISTEN) bound to the file. */
static void add_listener(uint32_t kdev, uint32_t ino)
{
	add_socket(kdev, ino, 10);
}

static void add_type(uint16_t type, int error)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(dgram.bytes + used);
	memset(h, 0, NLMSG_LENGTH(sizeof(struct nlmsgerr)));
	h->nlmsg_type = type;
	h->nlmsg_len = NLMSG_LENGTH(type == NLMSG_ERROR ? sizeof(struct nlmsgerr) : sizeof(int));
	if (type == NLMSG_ERROR)
		((struct nlmsgerr *)NLMSG_DATA(h))->error = error;
	used += NLMSG_ALIGN(h->nlmsg_len);
}

TEST(unixdiag_finds_the_listener_of_the_file)
{
	used = 0;
	add_listener(254u << 20, 1111);        /* another file on the same filesystem */
	add_listener((8u << 20) | 300, 4242);   /* same inode, another device */
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used, makedev(254, 0), 4242), UNIXDIAG_MORE);
	add_listener(254u << 20, 4242);
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used, makedev(254, 0), 4242), UNIXDIAG_LISTENING);
	/* a minor over 255: stat(2) and the kernel encode it differently */
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used, makedev(8, 300), 4242), UNIXDIAG_LISTENING);
	/* only the low 32 bits of a 64-bit inode number are reported */
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used, makedev(254, 0), 4242 + (1ull << 32)),
		  UNIXDIAG_LISTENING);
}

/* between the server's bind() and listen(): the file's socket is listed, not listening */
TEST(unixdiag_tells_a_bound_socket_that_does_not_listen_yet)
{
	used = 0;
	add_listener(254u << 20, 1111);
	add_socket(254u << 20, 4242, 7); /* TCP_CLOSE */
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used, makedev(254, 0), 4242), UNIXDIAG_NOT_LISTENING);
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used, makedev(254, 0), 1111), UNIXDIAG_LISTENING);
}

TEST(unixdiag_end_error_and_malformed)
{
	used = 0;
	add_listener(254u << 20, 1111);
	add_type(NLMSG_DONE, 0);
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used, makedev(254, 0), 4242), UNIXDIAG_ABSENT);
	used = 0;
	add_type(NLMSG_ERROR, -EPERM);
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used, makedev(254, 0), 4242), -EPERM);
	used = 0;
	add_listener(254u << 20, 4242);
	ASSERT_EQ(unixdiag_scan(dgram.bytes, used - 8, makedev(254, 0), 4242), -EBADMSG);
	ASSERT_EQ(unixdiag_scan(dgram.bytes, 0, makedev(254, 0), 4242), UNIXDIAG_MORE);
}
