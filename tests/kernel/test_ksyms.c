// SPDX-License-Identifier: MIT
/* Self-tests of the embedded symbol table and the frame-pointer backtrace. */
#include "kernel/selftest.h"
#include "kernel/backtrace.h"
#include "kernel/ksyms.h"
#include "kernel/string.h"

int selftest_run(const char *spec, u64 seed);
void kmain(u32 magic, u32 info);

SELFTEST(ksyms_lookup)
{
	u64 off, size;
	const char *name = ksym_lookup((u64)selftest_run, &off, &size);

	ST_ASSERT(name && strcmp(name, "selftest_run") == 0);
	ST_ASSERT_EQ(off, 0);
	ST_ASSERT(size > 16);
	name = ksym_lookup((u64)selftest_run + 7, &off, NULL);
	ST_ASSERT(name && strcmp(name, "selftest_run") == 0);
	ST_ASSERT_EQ(off, 7);
	ST_ASSERT_EQ(ksym_address("kmain"), (u64)kmain);
	ST_ASSERT(ksym_lookup(0x1000, NULL, NULL) == NULL);
	ST_ASSERT(ksym_lookup((u64)&off, NULL, NULL) == NULL); /* a stack address */
}

static u64 frames[8];
static int nframes;

static __noinline void inner(void)
{
	nframes = backtrace_walk((u64)__builtin_frame_address(0), frames, 8);
	barrier();
}

static __noinline void middle(void)
{
	inner();
	barrier();
}

static __noinline void outer(void)
{
	middle();
	barrier();
}

/* Does addr lie in the function called name? */
static bool in_function(u64 addr, const char *name)
{
	const char *s = ksym_lookup(addr, NULL, NULL);

	return s && strcmp(s, name) == 0;
}

/* A walk from inner() finds its callers in order: middle, outer, then this test. */
SELFTEST(backtrace_names_callers)
{
	outer();
	ST_ASSERT(nframes >= 4);
	ST_ASSERT(in_function(frames[0], "middle"));
	ST_ASSERT(in_function(frames[1], "outer"));
	ST_ASSERT(in_function(frames[2], "selftest_backtrace_names_callers"));
}
