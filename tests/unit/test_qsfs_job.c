/* SPDX-License-Identifier: MIT */
/* Tests for journal jobs: format, round trip, escaping, the tolerant reader, job names. */
#include "qsfs/job.h"
#include "runner.h"

static const char *format(const struct job *j, struct strbuf *b)
{
	job_format(j, b);
	return strbuf_str(b);
}

TEST(qsfs_job_format_round_trip)
{
	struct job j = { 0 }, back = { 0 };
	struct strbuf b = { 0 };
	struct job_report rep;
	j.event = "jump-index";
	j.ns = "zdbfs-data";
	j.time_ns = 1712345678123456789LL;
	j.pid = 4242;
	job_add_upload(&j, "/s/spool/x/i0", "/data/index/zdbfs-data/i0");
	job_add_upload(&j, "/data/my dir/d\\1\n", "/data/my dir/d\\1\n");
	ASSERT_STR_EQ(format(&j, &b), "qsfs-job 1\nevent jump-index\nns zdbfs-data\n"
				      "time 1712345678123456789\npid 4242\n"
				      "upload /s/spool/x/i0 /data/index/zdbfs-data/i0\n"
				      "upload /data/my\\x20dir/d\\x5c1\\x0a /data/my\\x20dir/d\\x5c1\\x0a\nend\n");
	ASSERT_EQ(job_parse(&back, b.s, b.len, &rep), 0);
	ASSERT_EQ(rep.bad_lines, 0);
	ASSERT(rep.complete);
	ASSERT_STR_EQ(back.event, "jump-index");
	ASSERT_STR_EQ(back.ns, "zdbfs-data");
	ASSERT_EQ(back.time_ns, 1712345678123456789LL);
	ASSERT_EQ(back.pid, 4242);
	ASSERT_EQ(back.n_uploads, 2);
	ASSERT_STR_EQ(back.uploads[1].src, "/data/my dir/d\\1\n");
	ASSERT(job_upload_is_copy(&back.uploads[0]));
	ASSERT(!job_upload_is_copy(&back.uploads[1]));
	job_free(&back);
	j.event = j.ns = NULL;
	job_free(&j);
	strbuf_free(&b);
}

TEST(qsfs_job_marker_without_ns)
{
	struct job j = { .event = "close", .time_ns = 5, .pid = 1 }, back = { 0 };
	struct strbuf b = { 0 };
	struct job_report rep;
	ASSERT_STR_EQ(format(&j, &b), "qsfs-job 1\nevent close\ntime 5\npid 1\nend\n");
	ASSERT_EQ(job_parse(&back, b.s, b.len, &rep), 0);
	ASSERT(back.ns == NULL);
	ASSERT_EQ(back.n_uploads, 0);
	job_free(&back);
	strbuf_free(&b);
}

TEST(qsfs_job_torn_and_corrupt)
{
	static const char text[] = "qsfs-job 1\nevent jump-data\nbogus line\n"
				   "upload /a/d0 /a/d0\nupload relative/d1 relative/d1\n"
				   "upload /a/d2 /b/d3\nupload /a/x\\q /a/x\\q\ntime 12x\n"
				   "upload /a/d4 /a/d4\nupload /a/d5 /a";
	struct job j = { 0 };
	struct job_report rep;
	ASSERT_EQ(job_parse(&j, text, strlen(text), &rep), 0);
	ASSERT_EQ(j.n_uploads, 2);
	ASSERT_STR_EQ(j.uploads[0].src, "/a/d0");
	ASSERT_STR_EQ(j.uploads[1].key, "/a/d4");
	ASSERT_EQ(rep.bad_lines, 6);
	ASSERT(!rep.complete);
	ASSERT_STR_EQ(rep.first_error, "line 3: unknown or malformed line");
	job_free(&j);

	static const char cut[] = "qsfs-job 1\nevent close\n";
	ASSERT_EQ(job_parse(&j, cut, strlen(cut), &rep), 0);
	ASSERT_EQ(rep.bad_lines, 0);
	ASSERT(!rep.complete);
	ASSERT_STR_EQ(rep.first_error, "no end line (cut file)");
	job_free(&j);

	/* a time beyond long long (fuzz_job found its overflow): a bad line, nothing else */
	static const char huge[] = "qsfs-job 1\nevent close\ntime 9999999999999999999\n"
				   "pid 9223372036854775807\nend\n";
	ASSERT_EQ(job_parse(&j, huge, strlen(huge), &rep), 0);
	ASSERT_EQ(rep.bad_lines, 1);
	ASSERT_EQ(j.pid, 9223372036854775807L);
	ASSERT(rep.complete);
	job_free(&j);

	static const char after[] = "qsfs-job 1\nend\nupload /a/b /a/b\n";
	ASSERT_EQ(job_parse(&j, after, strlen(after), &rep), 0);
	ASSERT_EQ(j.n_uploads, 0);
	ASSERT_EQ(rep.bad_lines, 1);
	job_free(&j);
}

TEST(qsfs_job_bad_header)
{
	static const char *const bad[] = { "", "qsfs-job 2\nend\n", "qsfs-job 1", "\0\0\0" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct job j = { 0 };
		struct job_report rep;
		ASSERT_EQ(job_parse(&j, bad[i], strlen(bad[i]), &rep), -22);
		ASSERT_EQ(j.n_uploads, 0);
		ASSERT_EQ(rep.bad_lines, 1);
		job_free(&j);
	}
	/* binary garbage after a good header: never a crash, nothing kept */
	char junk[300] = "qsfs-job 1\n";
	for (int i = 11; i < 300; i++)
		junk[i] = (char)(i * 37);
	struct job j = { 0 };
	struct job_report rep;
	ASSERT_EQ(job_parse(&j, junk, sizeof(junk), &rep), 0);
	ASSERT(rep.bad_lines > 0);
	job_free(&j);
}

TEST(qsfs_job_names)
{
	char name[JOB_NAME_MAX];
	long long t = 0;
	job_name(name, 1712345678123456789LL, 77);
	ASSERT_STR_EQ(name, "01712345678123456789-77");
	strcat(name, ".job");
	ASSERT(job_name_parse(name, &t));
	ASSERT_EQ(t, 1712345678123456789LL);
	ASSERT(!job_name_parse("01712345678123456789-77.job.tmp", NULL));
	ASSERT(!job_name_parse("01712345678123456789-.job", NULL));
	ASSERT(!job_name_parse("1712345678123456789-77.job", NULL));
	ASSERT(!job_name_parse("0171234567812345678x-77.job", NULL));
	ASSERT(!job_name_parse("manifest", NULL));
}
