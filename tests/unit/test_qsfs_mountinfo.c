/* SPDX-License-Identifier: MIT */
/* Tests for qsfs/mountinfo: a line's mount point, type and source, escapes undone, malformed lines refused. */
#include <errno.h>

#include "qsfs/mountinfo.h"
#include "runner.h"

static void point_is(const char *line, const char *want)
{
	char out[256];
	ASSERT_EQ(mountinfo_mount_point(line, out, sizeof(out)), 0);
	ASSERT_STR_EQ(out, want);
}

static void malformed(const char *line)
{
	char out[256];
	if (mountinfo_mount_point(line, out, sizeof(out)) != -EINVAL)
		TEST_FAIL_("accepted: \"%s\"", line);
}

TEST(mountinfo_plain_lines)
{
	/* proc(5)'s example, and lines as this kernel writes them */
	point_is("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n",
		 "/mnt2");
	point_is("22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw", "/proc");
	point_is("1 0 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n", "/");
	/* no optional fields; several optional fields */
	point_is("40 22 0:35 / /mnt rw - fuse.zdbfs zdbfs rw,user_id=0,group_id=0,allow_other", "/mnt");
	point_is("41 22 0:36 /sub /a/b rw shared:1 master:2 propagate_from:3 unbindable - tmpfs none rw",
		 "/a/b");
}

TEST(mountinfo_escapes)
{
	point_is("50 22 0:40 / /tmp/with\\040space rw - tmpfs none rw\n", "/tmp/with space");
	point_is("50 22 0:40 / /t\\011ab\\012nl\\134bs rw - tmpfs none rw", "/t\tab\nnl\\bs");
	point_is("50 22 0:40 / /caf\\303\\251 rw - tmpfs none rw", "/caf\xc3\xa9");
	/* the root field may be escaped too and is not what is returned */
	point_is("50 22 0:40 /a\\040b /c rw - tmpfs none rw", "/c");
	malformed("50 22 0:40 / /bad\\04 rw - tmpfs none rw");
	malformed("50 22 0:40 / /bad\\0 rw - tmpfs none rw");
	malformed("50 22 0:40 / /bad\\ rw - tmpfs none rw");
	malformed("50 22 0:40 / /bad\\089 rw - tmpfs none rw");
	malformed("50 22 0:40 / /nul\\000 rw - tmpfs none rw");
	malformed("50 22 0:40 / /big\\777 rw - tmpfs none rw");
}

TEST(mountinfo_malformed)
{
	malformed("");
	malformed("\n");
	malformed("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw");  /* no "-" */
	malformed("36 35 98:0 /mnt1 /mnt2 - ext3 /dev/root rw");                   /* no options */
	malformed("36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root");                   /* 2 after "-" */
	malformed("36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw extra");          /* 4 after "-" */
	malformed("x 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw");
	malformed("36 35 98 /mnt1 /mnt2 rw - ext3 /dev/root rw");
	malformed("36 35 98: /mnt1 /mnt2 rw - ext3 /dev/root rw");
	malformed("36 35 98:0 /mnt1 mnt2 rw - ext3 /dev/root rw");                 /* not absolute */
	malformed("36  35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw");               /* empty field */
	malformed(" 36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw");
	malformed("36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw ");
	malformed("36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw \n");
}

TEST(mountinfo_out_size)
{
	char out[6];
	const char *line = "50 22 0:40 / /abcd rw - tmpfs none rw";
	ASSERT_EQ(mountinfo_mount_point(line, out, 6), 0); /* "/abcd" + NUL */
	ASSERT_STR_EQ(out, "/abcd");
	ASSERT_EQ(mountinfo_mount_point(line, out, 5), -ENAMETOOLONG);
	/* the decoded length counts: "/a b" + NUL is 5 bytes, not the 7 of "/a\040b" */
	ASSERT_EQ(mountinfo_mount_point("50 22 0:40 / /a\\040b rw - tmpfs none rw", out, 4), -ENAMETOOLONG);
	ASSERT_EQ(mountinfo_mount_point("50 22 0:40 / /a\\040b rw - tmpfs none rw", out, 5), 0);
	ASSERT_STR_EQ(out, "/a b");
}

static void filesystem_is(const char *line, const char *type, const char *source)
{
	char t[64], src[64];
	ASSERT_EQ(mountinfo_filesystem(line, t, sizeof(t), src, sizeof(src)), 0);
	ASSERT_STR_EQ(t, type);
	ASSERT_STR_EQ(src, source);
}

TEST(mountinfo_type_and_source)
{
	/* a real zdbfs mount (libfuse 3: type fuse.SUBTYPE, source the fsname) */
	filesystem_is("45 26 0:39 / /mnt rw,nosuid,nodev,relatime - fuse.zdbfs zdbfs "
		      "rw,user_id=0,group_id=0,allow_other\n",
		      "fuse.zdbfs", "zdbfs");
	filesystem_is("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:2 - ext3 /dev/root rw",
		      "ext3", "/dev/root");
	filesystem_is("50 22 0:40 / /m rw - tmpfs my\\040src rw", "tmpfs", "my src");
	char t[8], src[8];
	ASSERT_EQ(mountinfo_filesystem("50 22 0:40 / /m rw - tmpfs verylongsource rw", t, sizeof(t),
				       src, sizeof(src)),
		  -ENAMETOOLONG);
	ASSERT_EQ(mountinfo_filesystem("50 22 0:40 / /m rw - tmpfs none", t, sizeof(t), src,
				       sizeof(src)),
		  -EINVAL);
}

TEST(mountinfo_many_fields)
{
	/* more fields than the parser keeps: refused, never overflowed */
	char line[1024] = "1 0 8:1 / / rw";
	for (int i = 0; i < 80; i++)
		strcat(line, " shared:1");
	strcat(line, " - ext4 /dev/sda1 rw");
	malformed(line);
}
