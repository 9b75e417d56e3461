/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests: a tiny framework. A test is a function registered with HOST_TEST(name) { ... }
 * in any file of tests/host/; a constructor puts it on the list that main() walks. main() runs
 * every test, or those named on its command line (NAME or PREFIX*), and prints one line each:
 *
 *     ok host.NAME            FAIL host.NAME: file:line: message
 *
 * then "host: N passed, N failed"; the exit status is 1 if any failed, else 0.
 *
 * HOST_TEST_KNOWN_BUG(name) registers a test that shows a kernel bug not fixed yet: it fails (or
 * stops the run under ASan) today, so it runs only when named exactly on the command line. A full
 * run prints "skip host.NAME: known kernel bug (name it to run it)" for it instead, and the last
 * line then ends with ", N skipped". Once the kernel is fixed it becomes a plain HOST_TEST.
 *
 * The assertions record the running test's first failure and return from the function they are
 * in, so a helper that asserts is called through CHECK_CALL(), which returns from the caller too.
 *
 * The kernel code under test runs against tests/host/shim.c: panic() jumps back to the innermost
 * CHECK_PANICS() (or, failing that, to main(), which fails the running test), and host_ram_init()
 * provides the buffer that plays physical memory. Never call snprintf() or vsnprintf() in test
 * code for the host's formatting: in this binary those names are the kernel's (kernel/vsprintf.c).
 *
 * This header must not include <stdbool.h>: kernel/types.h defines bool itself, and test files
 * include both.
 */
#ifndef WARDEN_TESTS_HOST_HARNESS_H
#define WARDEN_TESTS_HOST_HARNESS_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_TEST_F_KNOWN_BUG 0x1

struct host_test {
	const char *name;
	void (*fn)(void);
	unsigned int flags;
	const char *file; /* where the test is defined, for failures without a line of their own */
	int line;
	struct host_test *next;
};

/* Adds a test to the end of the list main() runs (called by HOST_TEST's constructor). */
void host_test_register(struct host_test *t);

#define __HOST_TEST(name_, flags_)                                                              \
	static void host_test_##name_(void);                                                    \
	static struct host_test host_test_desc_##name_ = { #name_,   host_test_##name_, flags_, \
							   __FILE__, __LINE__,		NULL }; \
	__attribute__((constructor)) static void host_test_reg_##name_(void)                    \
	{                                                                                       \
		host_test_register(&host_test_desc_##name_);                                    \
	}                                                                                       \
	static void host_test_##name_(void)

#define HOST_TEST(name) __HOST_TEST(name, 0)
#define HOST_TEST_KNOWN_BUG(name) __HOST_TEST(name, HOST_TEST_F_KNOWN_BUG)

/* Records a failure of the running test; only the first one is kept and printed. */
void host_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Nonzero once the running test has failed. */
int host_failed(void);

/* Compare two strings (NULL equals only NULL) or byte buffers; record a failure if unequal. */
int host_check_str_eq(const char *file, int line, const char *expr_a, const char *expr_b,
		      const char *a, const char *b);
int host_check_mem_eq(const char *file, int line, const char *expr_a, const char *expr_b,
		      const void *a, const void *b, size_t n);

#define FAIL(fmt, ...)                                             \
	do {                                                       \
		host_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__); \
		return;                                            \
	} while (0)

#define CHECK(cond)                                      \
	do {                                             \
		if (!(cond))                             \
			FAIL("CHECK(%s) failed", #cond); \
	} while (0)

/* CHECK with a message of its own, for loops where the expression alone does not say enough. */
#define CHECK_MSG(cond, fmt, ...)                                             \
	do {                                                                  \
		if (!(cond))                                                  \
			FAIL("CHECK(%s) failed: " fmt, #cond, ##__VA_ARGS__); \
	} while (0)

/* Integers and pointers: both sides are compared and printed as 64-bit values. */
#define CHECK_EQ(a, b)                                                              \
	do {                                                                        \
		unsigned long long a_ = (unsigned long long)(a);                    \
		unsigned long long b_ = (unsigned long long)(b);                    \
		if (a_ != b_)                                                       \
			FAIL("CHECK_EQ(%s, %s): 0x%llx != 0x%llx", #a, #b, a_, b_); \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                    \
	do {                                                                  \
		if (!host_check_str_eq(__FILE__, __LINE__, #a, #b, (a), (b))) \
			return;                                               \
	} while (0)

#define CHECK_MEM_EQ(a, b, n)                                                      \
	do {                                                                       \
		if (!host_check_mem_eq(__FILE__, __LINE__, #a, #b, (a), (b), (n))) \
			return;                                                    \
	} while (0)

/* Runs a helper that may record a failure, and returns from the caller too if it did. */
#define CHECK_CALL(call)           \
	do {                       \
		call;              \
		if (host_failed()) \
			return;    \
	} while (0)

/* The shim's panic() longjmps to *host_panic_jmp when it is set; host_panic_msg has the text. */
extern jmp_buf *host_panic_jmp;
extern char host_panic_msg[512];

/*
 * Fails unless stmt panics with a message containing substr. The previous catcher (main()'s) is
 * put back either way; nothing here is modified between setjmp and longjmp.
 */
#define CHECK_PANICS(stmt, substr)                                                              \
	do {                                                                                    \
		jmp_buf *prev_ = host_panic_jmp;                                                \
		jmp_buf jb_;                                                                    \
		if (setjmp(jb_) == 0) {                                                         \
			host_panic_jmp = &jb_;                                                  \
			stmt;                                                                   \
			host_panic_jmp = prev_;                                                 \
			FAIL("%s did not panic", #stmt);                                        \
		}                                                                               \
		host_panic_jmp = prev_;                                                         \
		if (!host_str_contains(host_panic_msg, substr))                                 \
			FAIL("%s panicked with \"%s\", expected \"%s\"", #stmt, host_panic_msg, \
			     substr);                                                           \
	} while (0)

/* True if s contains sub. */
int host_str_contains(const char *s, const char *sub);

/*
 * Physical memory for the frame and slab allocators: a page-aligned buffer that becomes
 * page_offset_base, so physical address p is at buffer + p. host_ram_init() fills [0, size) with
 * junk (0xa5) and makes the rest of the buffer inaccessible to ASan. size is at most HOST_RAM_MAX.
 */
#define HOST_RAM_MAX (16UL << 20)
void *host_ram_init(size_t size);

/* A fixed-seed generator (xorshift64*), so every run of a randomized test is the same run. */
static inline uint64_t host_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

#endif
