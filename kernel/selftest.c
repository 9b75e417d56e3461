// SPDX-License-Identifier: MIT
/* The self-test runner: selection, per-test verdicts, leak check, summary. */
#include "kernel/selftest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/frame.h"
#include "arch/x86_64/pgtable.h"

extern const struct selftest __start_selftests[], __stop_selftests[];

static char fail_msg[256];
static char skip_msg[160];
static bool failed, skipped;
static u64 rng_state;

void selftest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (failed)
		return;
	failed = true;
	int n = snprintf(fail_msg, sizeof(fail_msg), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(fail_msg + n, sizeof(fail_msg) - n, fmt, ap);
	va_end(ap);
}

void selftest_skip(const char *fmt, ...)
{
	va_list ap;

	skipped = true;
	va_start(ap, fmt);
	vsnprintf(skip_msg, sizeof(skip_msg), fmt, ap);
	va_end(ap);
}

/* splitmix64: small, fast, and every seed gives a good sequence. */
u64 selftest_random(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Does word (up to a comma or the end) select test t? "all" selects every non-crash test. */
static bool word_selects(const char *word, size_t len, const struct selftest *t)
{
	if (len == 3 && strncmp(word, "all", 3) == 0)
		return !(t->flags & SELFTEST_F_CRASH);
	if (len && word[len - 1] == '*')
		return strncmp(t->name, word, len - 1) == 0;
	return strlen(t->name) == len && strncmp(t->name, word, len) == 0;
}

static bool spec_selects(const char *spec, const struct selftest *t)
{
	for (const char *w = spec; *w;) {
		const char *end = strchr(w, ',');
		size_t len = end ? (size_t)(end - w) : strlen(w);
		if (word_selects(w, len, t))
			return true;
		w += len + (end ? 1 : 0);
	}
	return false;
}

/* Reports names in spec that match no test, so a typo cannot pass silently. */
static int check_unknown_names(const char *spec)
{
	int unknown = 0;

	for (const char *w = spec; *w;) {
		const char *end = strchr(w, ',');
		size_t len = end ? (size_t)(end - w) : strlen(w);
		bool found = len == 3 && strncmp(w, "all", 3) == 0;
		for (const struct selftest *t = __start_selftests; !found && t < __stop_selftests;
		     t++)
			found = word_selects(w, len, t);
		if (!found) {
			printk(KERN_EMERG "FAIL %.*s: no such self-test\n", (int)len, w);
			unknown++;
		}
		w += len + (end ? 1 : 0);
	}
	return unknown;
}

/* Runs one test and prints its verdict; returns 1 passed, 0 skipped, -1 failed. */
static int run_one(const struct selftest *t)
{
	failed = skipped = false;
	/* Page tables the kernel grows for itself (e.g. for the vmalloc area) stay; they are not
	 * leaks. */
	s64 before = (s64)nr_free_frames() + (s64)pgtable_nr_tables();
	t->fn();
	s64 leaked = before - ((s64)nr_free_frames() + (s64)pgtable_nr_tables());
	if (!failed && !skipped && leaked > 0)
		selftest_fail(__FILE__, __LINE__, "leaked %lld frames", (long long)leaked);
	if (failed) {
		printk(KERN_EMERG "FAIL %s: %s\n", t->name, fail_msg);
		return -1;
	}
	if (skipped) {
		printk(KERN_EMERG "skip %s: %s\n", t->name, skip_msg);
		return 0;
	}
	printk(KERN_EMERG "ok %s\n", t->name);
	return 1;
}

int selftest_run(const char *spec, u64 seed)
{
	int passed = 0, nfailed = 0, nskipped = 0, total = 0;

	for (const struct selftest *t = __start_selftests; t < __stop_selftests; t++)
		total += spec_selects(spec, t);
	printk(KERN_EMERG "selftest: running %d test(s) for test=%s seed=%llu\n", total, spec,
	       (unsigned long long)seed);
	nfailed += check_unknown_names(spec);
	for (const struct selftest *t = __start_selftests; t < __stop_selftests; t++) {
		if (!spec_selects(spec, t))
			continue;
		rng_state = seed;
		int r = run_one(t);
		passed += r > 0;
		nfailed += r < 0;
		nskipped += r == 0;
	}
	printk(KERN_EMERG "selftest: %d passed, %d failed, %d skipped\n", passed, nfailed,
	       nskipped);
	return nfailed;
}
