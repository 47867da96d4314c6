/* SPDX-License-Identifier: MIT */
/* Clock readings as plain numbers: monotonic milliseconds and wall-clock nanoseconds. */
#ifndef ZINIT_CLOCK_H
#define ZINIT_CLOCK_H

#include <time.h>

/* CLOCK_MONOTONIC in milliseconds: deadlines and intervals. */
static inline long long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* CLOCK_REALTIME in nanoseconds since the epoch: times written down (job names, status). */
static inline long long realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#endif
