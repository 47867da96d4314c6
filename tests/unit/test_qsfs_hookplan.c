/* SPDX-License-Identifier: MIT */
/* Tests for the hook handler's decisions per event (QSFS.md §5.4) and the sweep's rules. */
#include <stdarg.h>

#include "qsfs/hookplan.h"
#include "qsfs/sweep.h"
#include "runner.h"

static struct qsfs_settings settings;

static const char *only_ns(const char *name)
{
	return strcmp(name, "QSFS_NAMESPACES") == 0 ? "zdbfs-meta zdbfs-data" :
	       strcmp(name, "QSFS_INDEX_DIR") == 0 ? "/data/index" : NULL;
}

static int plan(struct hook_plan *p, char *err, ...)
{
	char *argv[16] = { "zdb-hook" };
	int argc = 1;
	va_list ap;
	va_start(ap, err);
	for (char *a; (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	char e[256];
	if (qsfs_settings_load(&settings, only_ns, e, sizeof(e)) < 0)
		TEST_FAIL_("settings: %s", e);
	err[0] = '\0';
	return hook_plan_build(p, &settings, "/cwd", argc, argv, err, 256);
}

TEST(qsfs_hookplan_markers_and_ignored)
{
	struct hook_plan p;
	char err[256];
	static const char *const marks[] = { "ready", "close", "crash", "namespaces-init" };
	for (size_t i = 0; i < 4; i++) {
		ASSERT_EQ(plan(&p, err, marks[i], "tcp://:::9900", "/a", "/b", NULL), 0);
		ASSERT_EQ(p.action, HOOK_MARK);
		ASSERT_EQ(p.n_files, 0);
		ASSERT_STR_EQ(p.ns, "");
		hook_plan_free(&p);
	}
	ASSERT_EQ(plan(&p, err, "something-new", "id", NULL), 0);
	ASSERT_EQ(p.action, HOOK_NOTHING);
	ASSERT_STR_EQ(p.note, "unknown event");
	ASSERT_EQ(plan(&p, err, "namespace-deleted", "id", "zdbfs-data", NULL), 0);
	ASSERT_EQ(p.action, HOOK_NOTHING);
	ASSERT_EQ(plan(&p, err, "jump-data", "id", "/data/data/zdbfs-temp/d3", "/data/data/zdbfs-temp/d4", NULL), 0);
	ASSERT_EQ(p.action, HOOK_NOTHING);
	ASSERT(p.note == NULL);
	ASSERT_EQ(plan(&p, err, "namespace-created", "id", "default", NULL), 0);
	ASSERT_EQ(p.action, HOOK_NOTHING);
	ASSERT_EQ(plan(&p, err, "missing-data", "id", "/data/data/zdbfs-temp/d0", NULL), 0);
	ASSERT_EQ(p.action, HOOK_REFUSE);
	ASSERT_EQ(plan(&p, err, "jump-index", "id", "/data/index/default/i0", "/data/index/default/i1", "", NULL), 0);
	ASSERT_EQ(p.action, HOOK_NOTHING);
}

TEST(qsfs_hookplan_jump_index)
{
	struct hook_plan p;
	char err[256];
	ASSERT_EQ(plan(&p, err, "jump-index", "tcp://:::9900", "/data/index/zdbfs-data/i4",
		       "/data/index/zdbfs-data/i5", "0 4 2", NULL), 0);
	ASSERT_EQ(p.action, HOOK_SPOOL);
	ASSERT_STR_EQ(p.ns, "zdbfs-data");
	ASSERT_EQ(p.n_required, 1);
	ASSERT_EQ(p.n_files, 3); /* i4 once */
	ASSERT_STR_EQ(p.files[0], "/data/index/zdbfs-data/i4");
	ASSERT_STR_EQ(p.files[1], "/data/index/zdbfs-data/i0");
	ASSERT_STR_EQ(p.files[2], "/data/index/zdbfs-data/i2");
	hook_plan_free(&p);
	/* relative path (zdb --index given relative), empty dirty list, no dirty argument */
	ASSERT_EQ(plan(&p, err, "jump-index", "id", "idx/zdbfs-meta/i0", "idx/zdbfs-meta/i1", "", NULL), 0);
	ASSERT_EQ(p.n_files, 1);
	ASSERT_STR_EQ(p.files[0], "/cwd/idx/zdbfs-meta/i0");
	hook_plan_free(&p);
	ASSERT_EQ(plan(&p, err, "jump-index", "id", "/i/zdbfs-meta/i0", "/i/zdbfs-meta/i1", NULL), 0);
	ASSERT_EQ(p.n_files, 1);
	hook_plan_free(&p);
	ASSERT_EQ(plan(&p, err, "jump-index", "id", "/i/zdbfs-meta/i0", "/i/zdbfs-meta/i1", "1 x", NULL), -22);
	ASSERT_STR_EQ(err, "jump-index: bad dirty index list '1 x'");
	ASSERT_EQ(plan(&p, err, "jump-index", "id", "/i/zdbfs-meta/i0", NULL), -22);
	ASSERT_STR_EQ(err, "jump-index: needs 2 arguments after the id, got 1");
	ASSERT_EQ(plan(&p, err, "jump-index", "id", "/i0", "/i1", "", NULL), -22);
	ASSERT_CONTAINS(err, "is not a file in a namespace directory");
}

TEST(qsfs_hookplan_journal_events)
{
	struct hook_plan p;
	char err[256];
	ASSERT_EQ(plan(&p, err, "jump-data", "id", "/data/data/zdbfs-meta/d3", "/data/data/zdbfs-meta/d4", NULL), 0);
	ASSERT_EQ(p.action, HOOK_JOURNAL);
	ASSERT_EQ(p.n_files, 1);
	ASSERT_STR_EQ(p.files[0], "/data/data/zdbfs-meta/d3");
	hook_plan_free(&p);
	ASSERT_EQ(plan(&p, err, "namespace-updated", "id", "zdbfs-meta", NULL), 0);
	ASSERT_EQ(p.action, HOOK_JOURNAL);
	ASSERT_STR_EQ(p.files[0], "/data/index/zdbfs-meta/zdb-namespace");
	hook_plan_free(&p);
	ASSERT_EQ(plan(&p, err, "namespace-closing", "id", "zdbfs-data", "/data/index/zdbfs-data/i7",
		       "/data/data/zdbfs-data/d7", "0 7", NULL), 0);
	ASSERT_EQ(p.action, HOOK_JOURNAL);
	ASSERT_EQ(p.n_files, 4);
	ASSERT_STR_EQ(p.files[0], "/data/index/zdbfs-data/zdb-namespace");
	ASSERT_STR_EQ(p.files[1], "/data/index/zdbfs-data/i7");
	ASSERT_STR_EQ(p.files[2], "/data/data/zdbfs-data/d7");
	ASSERT_STR_EQ(p.files[3], "/data/index/zdbfs-data/i0");
	hook_plan_free(&p);
	ASSERT_EQ(plan(&p, err, "namespace-closing", "id", "zdbfs-temp", "/i/zdbfs-temp/i0", "/d/zdbfs-temp/d0", "", NULL), 0);
	ASSERT_EQ(p.action, HOOK_NOTHING);
	ASSERT_EQ(plan(&p, err, "namespace-closing", "id", "zdbfs-data", "/i/zdbfs-meta/i0", "/d/x/d0", "", NULL), -22);
	ASSERT_EQ(plan(&p, err, "missing-data", "id", "/data/data/zdbfs-data/d1", NULL), 0);
	ASSERT_EQ(p.action, HOOK_RETRIEVE);
	ASSERT_STR_EQ(p.files[0], "/data/data/zdbfs-data/d1");
	hook_plan_free(&p);
	ASSERT_EQ(plan(&p, err, "namespace-created", "id", "a/b", NULL), -22);
	ASSERT_EQ(plan(&p, err, "ready", NULL), -22);
	ASSERT_STR_EQ(err, "usage: zdb-hook EVENT ID [ARGS...]");
}

TEST(qsfs_sweep_kinds_order_decision)
{
	unsigned long id;
	ASSERT_EQ(qsfs_file_kind("d12", &id), QSFS_FILE_DATA);
	ASSERT_EQ(id, 12);
	ASSERT_EQ(qsfs_file_kind("i0", &id), QSFS_FILE_INDEX);
	ASSERT_EQ(qsfs_file_kind("zdb-namespace", &id), QSFS_FILE_DESCRIPTOR);
	static const char *const other[] = { "d", "i01", "dx", ".lockfile", "i1.tmp", "d12345678901" };
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		ASSERT_EQ(qsfs_file_kind(other[i], &id), QSFS_FILE_OTHER);
	ASSERT(qsfs_file_order("/x/d9", "/x/d10") < 0);
	ASSERT(qsfs_file_order("/x/d10", "/x/i0") < 0);
	ASSERT(qsfs_file_order("/x/i10", "/x/zdb-namespace") < 0);
	ASSERT(qsfs_file_order("/x/zdb-namespace", "/x/junk") < 0);
	ASSERT(qsfs_file_order("/a/d1", "/b/d1") < 0);
	ASSERT_EQ(qsfs_file_order("/a/d1", "/a/d1"), 0);

	struct manifest_entry e = { .size = 100, .mtime_ns = 5 };
	ASSERT_EQ(sweep_decide(NULL, 100, 5), SWEEP_UPLOAD);
	ASSERT_EQ(sweep_decide(&e, 100, 5), SWEEP_SKIP);
	ASSERT_EQ(sweep_decide(&e, 100, 6), SWEEP_HASH);
	ASSERT_EQ(sweep_decide(&e, 101, 5), SWEEP_UPLOAD);
}

TEST(qsfs_sweep_racy_mtime)
{
	long long s = 1000000000LL;
	ASSERT_EQ(sweep_recorded_mtime(100 * s, 200 * s), 100 * s);
	ASSERT_EQ(sweep_recorded_mtime(100 * s, 101 * s), 100 * s);
	ASSERT_EQ(sweep_recorded_mtime(100 * s, 101 * s - 1), 0);
	ASSERT_EQ(sweep_recorded_mtime(100 * s, 100 * s), 0);
	ASSERT_EQ(sweep_recorded_mtime(100 * s, 50 * s), 0); /* mtime in the future */
	struct manifest_entry e = { .size = 1, .mtime_ns = 0 };
	ASSERT_EQ(sweep_decide(&e, 1, 100 * s), SWEEP_HASH); /* a racy entry is hashed */
}
