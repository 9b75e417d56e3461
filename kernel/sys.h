/* SPDX-License-Identifier: MIT */
/* Small process, identity, limit and time syscalls (kernel/sys.c, kernel/time.c). */
#ifndef WARDEN_SYS_H
#define WARDEN_SYS_H

#include "kernel/types.h"

struct task_struct;
struct rlimit64;
struct new_utsname;
struct timespec64;

/* uname's release, also /proc/sys/kernel/osrelease. */
#define UTS_RELEASE "6.1.0-warden"
/* kernel.pid_max: one past the largest pid clone3's set_tid may ask for (Linux's default on a
 * machine with few CPUs, 32768). Pids are handed out in order and never wrap or are reused. */
extern int pid_max;

/* The most tasks fork may make (Linux's max_threads, from the memory size: fork_init). */
extern int max_threads;

/* Sets max_threads as Linux 6.1's fork_init: a thread stack (16 KiB) per 8 stacks of RAM. */
void fork_init(void);

/* Creates /proc/self/limits (Linux's format). 0 or -errno. */
int proc_limits_init(void);

/* Gives a task the resource limits Linux gives the first process (after fork_init). */
void rlimit_init(struct task_struct *t);

long sys_getpid(void);
long sys_gettid(void);
long sys_getppid(void);
long sys_set_tid_address(int *tidptr);
long sys_sched_yield(void);
long sys_sched_setaffinity(int pid, unsigned int len, const u64 *user_mask);
long sys_sched_getaffinity(int pid, unsigned int len, u64 *user_mask);
long sys_getcpu(u32 *cpup, u32 *nodep, void *unused);
long sys_personality(u64 persona);
long sys_uname(struct new_utsname *u);
/* The host name sethostname set (core_pattern's %h). */
const char *utsname_nodename(void);
long sys_sethostname(const char *name, int len);
long sys_setpriority(int which, int who, int nice);
long sys_getpriority(int which, int who);
long sys_setdomainname(const char *name, int len);

/* sysinfo(2) (kernel/proc_misc.c): uptime, loads, memory in bytes (mem_unit 1), tasks. */
struct sysinfo;
long sys_sysinfo(struct sysinfo *info);
long sys_arch_prctl(int code, u64 addr);
long sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5);
long sys_prlimit64(int pid, unsigned int resource, const struct rlimit64 *new,
		   struct rlimit64 *old);
long sys_getrlimit(unsigned int resource, struct rlimit64 *old);
long sys_setrlimit(unsigned int resource, const struct rlimit64 *new);
long sys_clock_gettime(int clk, struct timespec64 *tp);
long sys_clock_getres(int clk, struct timespec64 *tp);
long sys_gettimeofday(void *tv, void *tz);
long sys_time(s64 *tloc);
long sys_nanosleep(const struct timespec64 *req, struct timespec64 *rem);
long sys_clock_nanosleep(int clk, int flags, const struct timespec64 *req, struct timespec64 *rem);
long sys_pause(void);
long sys_settimeofday(const void *tv, const void *tz);
long sys_clock_settime(int clk, const struct timespec64 *tp);
/* timerfd (kernel/timerfd.c); a change of the wall clock cancels CANCEL_ON_SET timers. */
long sys_timerfd_create(int clockid, int flags);
long sys_timerfd_settime(int ufd, int flags, const void *utmr, void *otmr);
long sys_timerfd_gettime(int ufd, void *otmr);

/* signalfd (kernel/signalfd.c): a descriptor that reads the pending signals of a mask. */
long sys_signalfd(int ufd, const u64 *user_mask, u64 sizemask);
long sys_signalfd4(int ufd, const u64 *user_mask, u64 sizemask, int flags);
void timerfd_clock_was_set(void);
/* restart_syscall(2): resumes a sleep that a stop interrupted (the restart block), else EINTR. */
long sys_restart_syscall(void);
long sys_fork(void);
long sys_vfork(void);
long sys_clone(u64 flags, u64 newsp, int *parent_tid, int *child_tid, u64 tls);
long sys_clone3(const void *uargs, u64 size);
/* unshare(2) and setns(2) (kernel/nsproxy.c). */
long sys_unshare(u64 flags);
long sys_setns(int fd, int nstype);

#endif
