/* SPDX-License-Identifier: MIT */
/*
 * In-kernel self-tests. A test is a function registered with SELFTEST(name) { ... } in any file;
 * the linker gathers them in .selftests. Booting with test=all runs every ordinary test,
 * test=a,b or test=prefix* runs the named ones. Each prints one line on the console:
 *
 *     ok NAME            FAIL NAME: file:line: why            skip NAME: why
 *
 * followed by "selftest: N passed, N failed, N skipped", and QEMU exits with the verdict
 * (arch/x86_64/qemu.h). A test that ends with fewer free frames than it started with fails
 * ("leaked N frames"). SELFTEST_CRASH(name) registers a test that is meant to bring the kernel
 * down (a deliberate panic); it runs only when named, never with test=all.
 */
#ifndef WARDEN_SELFTEST_H
#define WARDEN_SELFTEST_H

#include "kernel/compiler.h"

#define SELFTEST_F_CRASH 0x1

struct selftest {
	const char *name;
	void (*fn)(void);
	u64 flags;
};

#define __SELFTEST(name_, flags_)                                                      \
	static void selftest_##name_(void);                                            \
	static const struct selftest __selftest_##name_ __used __section(".selftests") \
		__aligned(8) = { #name_, selftest_##name_, flags_ };                   \
	static void selftest_##name_(void)

#define SELFTEST(name) __SELFTEST(name, 0)
#define SELFTEST_CRASH(name) __SELFTEST(name, SELFTEST_F_CRASH)

/* Records the first failure of the running test (later ones are ignored). */
void selftest_fail(const char *file, int line, const char *fmt, ...) __printf(3, 4);

/* Marks the running test skipped: the machine lacks what it needs. Not counted as a pass. */
void selftest_skip(const char *fmt, ...) __printf(1, 2);

/* A number from the self-test generator, seeded by seed= (default 1). */
u64 selftest_random(void);

/* Runs the tests that spec selects; returns the number that failed. */
int selftest_run(const char *spec, u64 seed);

#define ST_FAIL(fmt, ...)                                              \
	do {                                                           \
		selftest_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__); \
		return;                                                \
	} while (0)

#define ST_SKIP(fmt, ...)                          \
	do {                                       \
		selftest_skip(fmt, ##__VA_ARGS__); \
		return;                            \
	} while (0)

#define ST_ASSERT(cond)                       \
	do {                                  \
		if (!(cond))                  \
			ST_FAIL("%s", #cond); \
	} while (0)

#define ST_ASSERT_EQ(a, b)                                                                     \
	do {                                                                                   \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); \
		if (_a != _b)                                                                  \
			ST_FAIL("%s == %s: %#llx != %#llx", #a, #b, _a, _b);                   \
	} while (0)

#define ST_ASSERT_NE(a, b)                                                                     \
	do {                                                                                   \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); \
		if (_a == _b)                                                                  \
			ST_FAIL("%s != %s: both %#llx", #a, #b, _a);                           \
	} while (0)

#endif
