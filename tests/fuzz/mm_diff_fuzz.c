// SPDX-License-Identifier: MIT
/*
 * libFuzzer entry for the differential test of the generic mm (tests/host/mm_diff.c): each input
 * is a sequence of mmap/munmap/mprotect/pkey_mprotect/pkey_alloc/pkey_free/mremap/write/fork
 * operations, run on a real mm and on the reference model. A disagreement, a kernel panic() (a
 * BUG_ON in the VMA tree, say) or a sanitizer report is a crash that libFuzzer saves as
 * crash-<sha1>; add its hex to mm_diff.c's found[] table as a regression. `make fuzz-host`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/host/harness.h"
#include "tests/host/mm_diff.h"

/* mm_diff.c's unit tests register themselves; the fuzzer does not run them. */
void host_test_register(struct host_test *t)
{
	(void)t;
}

/* Only the unit tests report through host_fail. */
void host_fail(const char *file, int line, const char *fmt, ...)
{
	fprintf(stderr, "host_fail at %s:%d (%s)\n", file, line, fmt);
	abort();
}

/* One input; any disagreement aborts, so libFuzzer keeps the input. */
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char why[512];

	if (mm_diff_run(data, size, why, sizeof(why))) {
		fprintf(stderr, "mm_diff: %s\n", why);
		abort();
	}
	return 0;
}
