// SPDX-License-Identifier: MIT
/* Frame-pointer stack walking. */
#include "kernel/backtrace.h"
#include "arch/x86_64/traps.h"

int backtrace_walk(u64 rbp, u64 *addrs, int max)
{
	int n = 0;

	while (n < max && rbp && !(rbp & 7)) {
		u64 next, ret;
		if (probe_read_u64((const u64 *)rbp, &next) ||
		    probe_read_u64((const u64 *)(rbp + 8), &ret) || !ret)
			break;
		addrs[n++] = ret;
		if (next <= rbp) /* the stack grows down: callers' frames are higher */
			break;
		rbp = next;
	}
	return n;
}
