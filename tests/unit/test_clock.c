/* SPDX-License-Identifier: MIT */
/* Tests for clock.h: the units of its two readings. */
#include <time.h>

#include "clock.h"
#include "runner.h"

TEST(clock_monotonic_ms_counts_milliseconds)
{
	long long before = monotonic_ms();
	struct timespec nap = { 0, 30 * 1000000L };
	nanosleep(&nap, NULL);
	long long waited = monotonic_ms() - before;
	ASSERT(waited >= 29); /* a slow machine may add to it, never take away */
	ASSERT(waited < 30 * 1000);
}

TEST(clock_realtime_ns_is_the_epoch_in_nanoseconds)
{
	long long ns = realtime_ns();
	long long secs = (long long)time(NULL);
	ASSERT(ns / 1000000000LL >= secs - 1);
	ASSERT(ns / 1000000000LL <= secs + 1);
}
