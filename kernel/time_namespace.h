/* SPDX-License-Identifier: MIT */
/*
 * Time namespaces (Linux 6.1's kernel/time/namespace.c and include/linux/time_namespace.h,
 * without the vDSO page): a namespace holds offsets for CLOCK_MONOTONIC (and its RAW and COARSE
 * variants) and CLOCK_BOOTTIME (and its alarm clock) that the tasks in it see added to the
 * clocks. unshare(CLONE_NEWTIME) makes a new namespace for the caller's future children (its
 * time_ns_for_children); its offsets can be set through /proc/PID/timens_offsets until the first
 * task enters it (a fork, clone3(CLONE_NEWTIME) or setns). See docs/timers.md.
 */
#ifndef WARDEN_TIME_NAMESPACE_H
#define WARDEN_TIME_NAMESPACE_H

#include "kernel/ktime.h"
#include "kernel/types.h"

struct task_struct;
struct seq_buf;

#define CLONE_NEWTIME 0x00000080

/*
 * A time namespace. Reference counted (count): by each task's time_ns and time_ns_for_children
 * and by each open nsfs inode (kernel/proc_ns.c); the initial namespace is never freed. Its
 * fields are protected by the kernel lock (docs/locking.md), as Linux's offset_lock protects
 * the offsets against writers and the first task entering (frozen_offsets).
 */
struct time_namespace {
	u32 count;
	u32 inum; /* the inode number of /proc/PID/ns/time: "time:[inum]" */
	struct timespec64 monotonic; /* added to the monotonic clocks of the tasks in it */
	struct timespec64 boottime; /* added to the boot-time clocks */
	bool frozen_offsets; /* a task entered it: the offsets can no longer change */
};

extern struct time_namespace init_time_ns;

/* Takes a reference (none is counted on the initial namespace). */
struct time_namespace *get_time_ns(struct time_namespace *ns);

/* Drops a reference: the namespace is freed with its last one. */
void put_time_ns(struct time_namespace *ns);

/*
 * The time namespace of a forked or cloned child (Linux's copy_process and copy_namespaces):
 * -EINVAL for CLONE_THREAD or CLONE_VM when the parent's children go to another namespace than
 * its own (checked with clone's flags), -EPERM for CLONE_NEWTIME without CAP_SYS_ADMIN, -ENOMEM.
 * The child enters the parent's time_ns_for_children (a new one with CLONE_NEWTIME), which
 * freezes its offsets.
 */
long timens_clone_check(u64 flags);
int copy_time_ns(u64 flags, struct task_struct *child, struct task_struct *parent);

/* At exit (Linux's exit_task_namespaces): the task's references go. */
void exit_time_ns(struct task_struct *t);

/* unshare(CLONE_NEWTIME): a new namespace for the caller's children (-ENOMEM). */
int unshare_time_ns(struct task_struct *t);

/*
 * setns into ns (Linux's timens_install and timens_commit): -EUSERS unless the caller is single
 * threaded, -EPERM without CAP_SYS_ADMIN; else it and its future children are in ns, whose
 * offsets freeze.
 */
int timens_install(struct time_namespace *ns);

/* The task's namespaces (NULL once it exited). */
struct time_namespace *task_time_ns(struct task_struct *t);
struct time_namespace *task_time_ns_for_children(struct task_struct *t);

/*
 * The clock clockid's value ns (host time) as the caller's namespace shows it: the offset added
 * for the monotonic and boot-time clocks (Linux's timens_add_monotonic/timens_add_boottime).
 */
u64 timens_clock_to_ns(int clockid, u64 ns);

/* CLOCK_BOOTTIME's host value ns as the caller sees it (/proc/uptime, sysinfo). */
u64 timens_add_boottime_ns(u64 ns);

/*
 * An absolute time on clockid as the caller's namespace counts it, in host time (Linux's
 * timens_ktime_to_host): a time before the offset is already past (0); KTIME_MAX stays.
 */
u64 timens_ktime_to_host(int clockid, u64 t);

/* /proc/PID/timens_offsets (Linux's proc_timens_show_offsets and timens_offsets_write). */
int proc_timens_offsets_init(void);

#endif
