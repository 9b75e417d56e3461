/* SPDX-License-Identifier: MIT */
/*
 * Core dumps (Linux 6.1's fs/coredump.c and the ELF writer of fs/binfmt_elf.c; docs/coredump.md):
 * a process killed by a signal whose default action dumps core (SIGQUIT, SIGILL, SIGTRAP,
 * SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS) writes an ELF core file named by
 * kernel.core_pattern, and its wait status gets WCOREDUMP (0x80) when one was written.
 */
#ifndef WARDEN_KERNEL_COREDUMP_H
#define WARDEN_KERNEL_COREDUMP_H

#include "kernel/types.h"

struct task_struct;
struct kernel_siginfo;
struct file;
struct mm_struct;

#define CORENAME_MAX_SIZE 128

/* Linux's MMF_DUMP_* bits of coredump_filter, and its default (0x33). */
#define MMF_DUMP_ANON_PRIVATE 0
#define MMF_DUMP_ANON_SHARED 1
#define MMF_DUMP_MAPPED_PRIVATE 2
#define MMF_DUMP_MAPPED_SHARED 3
#define MMF_DUMP_ELF_HEADERS 4
#define MMF_DUMP_HUGETLB_PRIVATE 5
#define MMF_DUMP_HUGETLB_SHARED 6
#define MMF_DUMP_FILTER_BITS 9
#define MMF_DUMP_FILTER_MASK ((1U << MMF_DUMP_FILTER_BITS) - 1)
#define MMF_DUMP_FILTER_DEFAULT 0x33

/* SUID_DUMP_ROOT: kernel.suid_dumpable 2, dump as root to an absolute path only. */
#define SUID_DUMP_ROOT 2

/* kernel.core_pattern, core_uses_pid, core_pipe_limit and fs.suid_dumpable (sysctls). */
extern char core_pattern[CORENAME_MAX_SIZE];
extern int core_uses_pid;
extern int core_pipe_limit;
extern int suid_dumpable;

/*
 * The other threads of a dumping process (Linux's core_state): each one, on its way out,
 * parks at the top of do_exit (coredump_task_exit) so that the dumper can write its registers,
 * and is let go when the dump is over (coredump_finish).
 */
struct core_thread {
	struct task_struct *task; /* NULL once the dumper lets it go */
	struct core_thread *next;
};

struct core_state {
	struct task_struct *dumper;
	int nr_waiting; /* threads sent SIGKILL that have not parked yet */
	struct core_thread *threads; /* the parked ones */
};

/* What the ELF writer needs (Linux's coredump_params). */
struct coredump_params {
	const struct kernel_siginfo *siginfo;
	struct file *file;
	u64 limit; /* RLIMIT_CORE's soft limit (the pipe's: infinity) */
	u64 written; /* bytes written so far */
	u64 pos; /* the file position the next byte goes to */
	u64 to_skip; /* a hole not yet passed over (Linux's to_skip) */
	unsigned int filter; /* coredump_filter, read once */
	struct core_state *core_state;
	void *bounce; /* one page: a user page is copied here before it is written */
};

/*
 * The signal's default action dumps core: unless the process is not dumpable, stops its other
 * threads (the group exit starts with the signal as its status), writes the core file if
 * RLIMIT_CORE and core_pattern allow it, and adds 0x80 to the group exit status when a file was
 * written. The caller then leaves through do_group_exit.
 */
void do_coredump(const struct kernel_siginfo *info);

/* At the top of do_exit: a thread of a dumping process waits there until the dump is over. */
int coredump_task_exit(int status);

/* Writes len bytes to the core file within RLIMIT_CORE (Linux's dump_emit): true if written. */
bool dump_emit(struct coredump_params *cprm, const void *buf, size_t len);

/* Leaves len bytes unwritten (a hole) in the core file (Linux's dump_skip). */
void dump_skip(struct coredump_params *cprm, u64 len);

/* Was the dump interrupted by SIGKILL (Linux's dump_interrupted)? */
bool dump_interrupted(void);

/* Writes the ELF core file of the current process (Linux's elf_core_dump): true if dumped. */
bool elf_core_dump(struct coredump_params *cprm);

/* The sysctls: /proc/sys/kernel/core_* and /proc/sys/fs/suid_dumpable. */
int coredump_sysctl_init(void);

/* /proc/PID/coredump_filter (Linux's proc_coredump_filter_operations). */
int proc_coredump_filter_init(void);

#endif
