/* SPDX-License-Identifier: MIT */
/* Unit-test runner: tests register themselves; each runs in a forked child with a timeout. */
#ifndef TEST_RUNNER_H
#define TEST_RUNNER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*test_fn)(void);

void test_register(const char *file, const char *name, test_fn fn);

/* TEST(name) { ... } defines and registers one test. */
#define TEST(name)                                                         \
	static void test_##name(void);                                     \
	__attribute__((constructor)) static void test_reg_##name(void)     \
	{                                                                  \
		test_register(__FILE__, #name, test_##name);               \
	}                                                                  \
	static void test_##name(void)

#define TEST_FAIL_(...)                                                    \
	do {                                                               \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);            \
		fprintf(stderr, __VA_ARGS__);                              \
		fputc('\n', stderr);                                       \
		exit(1);                                                   \
	} while (0)

#define ASSERT(cond)                                                       \
	do {                                                               \
		if (!(cond))                                               \
			TEST_FAIL_("assertion failed: %s", #cond);         \
	} while (0)

#define ASSERT_EQ(a, b)                                                    \
	do {                                                               \
		long long a_ = (long long)(a), b_ = (long long)(b);        \
		if (a_ != b_)                                              \
			TEST_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_); \
	} while (0)

#define ASSERT_STR_EQ(a, b)                                                \
	do {                                                               \
		const char *a_ = (a), *b_ = (b);                           \
		if (!a_ || !b_ || strcmp(a_, b_) != 0)                     \
			TEST_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b,   \
				   a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)

/* Asserts that haystack contains needle. */
#define ASSERT_CONTAINS(haystack, needle)                                  \
	do {                                                               \
		const char *h_ = (haystack), *n_ = (needle);               \
		if (!h_ || !strstr(h_, n_))                                \
			TEST_FAIL_("\"%s\" does not contain \"%s\"",       \
				   h_ ? h_ : "(null)", n_);                \
	} while (0)

#endif
