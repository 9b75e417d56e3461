// SPDX-License-Identifier: MIT
/*
 * The host unit-test runner: runs the tests HOST_TEST() registered and prints the verdicts.
 * Messages are formatted with vasprintf() and printed with stdio: in this binary the names
 * snprintf and vsnprintf belong to the kernel's formatter, which is under test here.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"

static struct host_test *tests;
static struct host_test **tests_tail = &tests;

/* The running test's first failure: "file:line: message", or NULL while it passes. */
static char *failure;

/* Appends a test to the list, so tests run in the order they were registered. */
void host_test_register(struct host_test *t)
{
	t->next = NULL;
	*tests_tail = t;
	tests_tail = &t->next;
}

/* Keeps "file:line: message" as the running test's failure, unless it has one already. */
void host_fail(const char *file, int line, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	if (failure)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (asprintf(&failure, "%s:%d: %s", file, line, msg ? msg : "(no memory)") < 0)
		failure = NULL;
	free(msg);
	if (!failure)
		abort();
}

/* Nonzero once the running test has a failure. */
int host_failed(void)
{
	return failure != NULL;
}

/* True if s contains sub (for CHECK_PANICS()'s message check). */
int host_str_contains(const char *s, const char *sub)
{
	return strstr(s, sub) != NULL;
}

/* Appends a C-quoted copy of n bytes of s to the stream, so NULs and control bytes show up. */
static void put_quoted(FILE *f, const char *s, size_t n)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (isprint(c))
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('"', f);
}

/* Records "expr_a != expr_b: A != B" with both buffers quoted. */
static void fail_unequal(const char *file, int line, const char *expr_a, const char *expr_b,
			 const char *a, size_t na, const char *b, size_t nb)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	put_quoted(f, a, na);
	fputs(" != ", f);
	put_quoted(f, b, nb);
	fclose(f);
	host_fail(file, line, "%s != %s: %s", expr_a, expr_b, text);
	free(text);
}

/* CHECK_STR_EQ(): equal strings, or both NULL; else a failure showing both. */
int host_check_str_eq(const char *file, int line, const char *expr_a, const char *expr_b,
		      const char *a, const char *b)
{
	if (a == b || (a && b && strcmp(a, b) == 0))
		return 1;
	fail_unequal(file, line, expr_a, expr_b, a, a ? strlen(a) : 0, b, b ? strlen(b) : 0);
	return 0;
}

/* CHECK_MEM_EQ(): n equal bytes; else a failure showing both buffers. */
int host_check_mem_eq(const char *file, int line, const char *expr_a, const char *expr_b,
		      const void *a, const void *b, size_t n)
{
	if (memcmp(a, b, n) == 0)
		return 1;
	fail_unequal(file, line, expr_a, expr_b, a, n, b, n);
	return 0;
}

/*
 * True if a command-line argument selects the test: its exact name, or PREFIX* for a prefix
 * (which leaves out known-bug tests: those run only when named exactly).
 */
static int selects(const char *arg, const struct host_test *t)
{
	size_t n = strlen(arg);

	if (n && arg[n - 1] == '*')
		return !(t->flags & HOST_TEST_F_KNOWN_BUG) && strncmp(arg, t->name, n - 1) == 0;
	return strcmp(arg, t->name) == 0;
}

/* Runs one test, catching a panic it did not expect, and prints its verdict line. */
static int run_test(const struct host_test *t)
{
	jmp_buf jb;

	failure = NULL;
	if (setjmp(jb) == 0) {
		host_panic_jmp = &jb;
		t->fn();
	} else {
		host_fail(t->file, t->line, "unexpected panic: %s", host_panic_msg);
	}
	host_panic_jmp = NULL;
	if (failure) {
		printf("FAIL host.%s: %s\n", t->name, failure);
		free(failure);
		failure = NULL;
		return 0;
	}
	printf("ok host.%s\n", t->name);
	return 1;
}

/* Runs every test, or those the arguments select, and sums up; exits 1 if any failed. */
int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		for (struct host_test *t = tests; t; t = t->next) {
			if (t->flags & HOST_TEST_F_KNOWN_BUG) {
				printf("skip host.%s: known kernel bug (name it to run it)\n",
				       t->name);
				skipped++;
			} else {
				run_test(t) ? passed++ : failed++;
			}
		}
	}
	for (int i = 1; i < argc; i++) {
		int found = 0;
		for (struct host_test *t = tests; t; t = t->next) {
			if (selects(argv[i], t)) {
				found = 1;
				run_test(t) ? passed++ : failed++;
			}
		}
		if (!found) {
			printf("FAIL host.%s: no such test\n", argv[i]);
			failed++;
		}
	}
	if (skipped)
		printf("host: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	else
		printf("host: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
