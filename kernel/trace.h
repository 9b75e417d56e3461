/* SPDX-License-Identifier: MIT */
/*
 * Memory-protection event tracing (Tracee-style) and the W^X policy. Events: the mm system calls
 * (mmap, munmap, mremap, mprotect, pkey_mprotect, pkey_alloc, pkey_free, brk), page faults that
 * end in a signal, VMA splits and merges, W^X alerts and TLB shootdowns. Each record holds a
 * timestamp, the pid, tid and program name, the event's arguments, its return value, and for
 * protection changes the VMA ranges with their old and new protection. Records go into a fixed-size
 * per-CPU ring (no allocation, drops counted, never a wait) that /proc/warden/trace hands out
 * as JSON lines; /proc/warden/control and the kernel command line choose events, a pid and
 * console echo (docs/tracing.md).
 *
 * Off costs one load and a test per hook: every hook is an inline check of trace_mask first.
 */
#ifndef WARDEN_KERNEL_TRACE_H
#define WARDEN_KERNEL_TRACE_H

#include "kernel/types.h"

enum trace_event {
	TRACE_MMAP,
	TRACE_MUNMAP,
	TRACE_MREMAP,
	TRACE_MPROTECT,
	TRACE_PKEY_MPROTECT,
	TRACE_PKEY_ALLOC,
	TRACE_PKEY_FREE,
	TRACE_BRK,
	TRACE_FAULT,
	TRACE_VMA_SPLIT,
	TRACE_VMA_MERGE,
	TRACE_WX_ALERT,
	TRACE_TLB_FLUSH,
	TRACE_NR_EVENTS
};

#define TRACE_MAX_ARGS 6
#define TRACE_MAX_RANGES 4

/* One VMA range a call changed. */
struct trace_range_rec {
	u64 start, end, old_flags, new_flags;
};

/* One event: a finished call with its arguments, result and the ranges it changed. */
struct trace_record {
	u64 ts; /* ns since boot */
	int pid, tid;
	char comm[16];
	u16 event, nargs, nranges, more_ranges; /* more_ranges: ranges that did not fit */
	u64 args[TRACE_MAX_ARGS];
	s64 ret;
	struct trace_range_rec ranges[TRACE_MAX_RANGES];
};

/* The events being recorded, one bit each (bit e: enum trace_event e). 0: tracing is off. */
extern u32 trace_mask;

/* Is event e recorded (before the pid filter)? The cheap test every hook makes first. */
static inline bool trace_enabled(enum trace_event e)
{
	return __builtin_expect(trace_mask & (1u << e), 0);
}

/*
 * A traced system call: trace_call_begin() before the work (the VMA ranges it changes are then
 * collected by trace_range()), trace_call_end() after it, with up to 5 arguments and the result.
 */
void __trace_call_begin(enum trace_event e);
void __trace_call_end(enum trace_event e, const u64 *args, int nargs, long ret);
void __trace_range(u64 start, u64 end, u64 old_flags, u64 new_flags);

static inline void trace_call_begin(enum trace_event e)
{
	if (trace_enabled(e))
		__trace_call_begin(e);
}

#define trace_call_end(e, ret, ...)                                                               \
	do {                                                                                      \
		if (trace_enabled(e)) {                                                           \
			const u64 args_[] = { __VA_ARGS__ };                                      \
			__trace_call_end(e, args_, (int)(sizeof(args_) / sizeof(args_[0])), ret); \
		}                                                                                 \
	} while (0)

/* A VMA range whose vm_flags change from old_flags to new_flags during the traced call. */
static inline void trace_range(u64 start, u64 end, u64 old_flags, u64 new_flags)
{
	if (trace_mask)
		__trace_range(start, end, old_flags, new_flags);
}

/* One-shot events: a VMA split at addr, a merge that made [start, end), a fault's signal. */
void __trace_event(enum trace_event e, const u64 *args, int nargs);

#define trace_event(e, ...)                                                               \
	do {                                                                              \
		if (trace_enabled(e)) {                                                   \
			const u64 args_[] = { __VA_ARGS__ };                              \
			__trace_event(e, args_, (int)(sizeof(args_) / sizeof(args_[0]))); \
		}                                                                         \
	} while (0)

/* The W^X policy (wx= on the command line, /proc/warden/control): off, warn or refuse. */
enum wx_policy { WX_OFF, WX_WARN, WX_REFUSE };
extern int wx_policy;

/*
 * The W^X check of a call (call: TRACE_MMAP, TRACE_MPROTECT or TRACE_PKEY_MPROTECT) that gives
 * [addr, addr+len) new_flags where it had old_flags (0 for a new mapping): memory that would be
 * writable and executable, or writable memory that becomes executable. Off: 0. Warn: logs it,
 * records a wx_alert event, 0. Refuse: the same, and -EACCES.
 */
int __wx_check(enum trace_event call, u64 addr, u64 len, u64 old_flags, u64 new_flags);

static inline int wx_check(enum trace_event call, u64 addr, u64 len, u64 old_flags, u64 new_flags)
{
	if (__builtin_expect(wx_policy == WX_OFF, 1))
		return 0;
	return __wx_check(call, addr, len, old_flags, new_flags);
}

/* Reads trace=, trace_pid=, trace_console and wx= from the command line. */
void trace_init(void);

/* Creates /proc/warden/trace and /proc/warden/control. 0 or -errno. */
int trace_proc_init(void);

#endif
