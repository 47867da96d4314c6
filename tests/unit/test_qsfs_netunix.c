/* SPDX-License-Identifier: MIT */
/* Tests for qsfs/netunix: /proc/net/unix lines of listening, connected and unbound sockets. */
#include "qsfs/netunix.h"
#include "runner.h"

/* Lines as the kernel writes them (6.x): a listener, the same path connected (the accepted
 * side), a datagram socket, an unbound one, the header, an abstract name. */
#define LISTENER "00000000d589e14c: 00000002 00000000 00010000 0001 01 9302710 /run/zstor.sock\n"

TEST(netunix_listener_at_its_path)
{
	ASSERT(netunix_listens_at(LISTENER, "/run/zstor.sock"));
	ASSERT(netunix_listens_at("0000000011112222: 00000002 00000000 00010000 0001 01 7 /tmp/a b.sock",
				  "/tmp/a b.sock")); /* no newline; a blank in the path */
}

TEST(netunix_not_a_listener_or_not_that_path)
{
	ASSERT(!netunix_listens_at(LISTENER, "/var/run/zstor.sock")); /* bind()'s spelling only */
	ASSERT(!netunix_listens_at(LISTENER, "/run/zstor.soc"));
	ASSERT(!netunix_listens_at(LISTENER, "/run/zstor.sock2"));
	ASSERT(!netunix_listens_at(
		"00000000aaaabbbb: 00000003 00000000 00000000 0001 03 9302711 /run/zstor.sock\n",
		"/run/zstor.sock")); /* connected, not listening */
	ASSERT(!netunix_listens_at(
		"00000000aaaabbbb: 00000002 00000000 00010000 0002 01 9302712 /run/zstor.sock\n",
		"/run/zstor.sock")); /* a datagram socket */
	ASSERT(!netunix_listens_at("00000000c07d16fa: 00000003 00000000 00000000 0001 03  1059\n",
				   "")); /* unbound */
	ASSERT(!netunix_listens_at("Num       RefCount Protocol Flags    Type St Inode Path\n",
				   "Path"));
	ASSERT(!netunix_listens_at(
		"00000000aaaabbbb: 00000002 00000000 00010000 0001 01 9302713 @/run/zstor.sock\n",
		"/run/zstor.sock")); /* an abstract name */
	ASSERT(!netunix_listens_at("", "/run/zstor.sock"));
	ASSERT(!netunix_listens_at("garbage /run/zstor.sock", "/run/zstor.sock"));
}
