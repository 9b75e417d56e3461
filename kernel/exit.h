/* SPDX-License-Identifier: MIT */
/* Ending tasks and waiting for them. */
#ifndef WARDEN_EXIT_H
#define WARDEN_EXIT_H

#include "kernel/compiler.h"

/*
 * Ends the current task with a wait status as wait4 reports it: (code & 0xff) << 8 for exit(code),
 * the signal number for a kill by signal. Releases its memory, files and directory; its parent
 * collects the status. When PID 1 ends, the machine stops and reports the status (run-program).
 */
void do_exit(int status) __noreturn;

/*
 * Ends every thread of the current process with that wait status (exit_group, a fatal signal),
 * or with the status of a group exit already under way.
 */
void do_group_exit(int status) __noreturn;

struct task_struct;

/*
 * Puts process c last on parent's list of children, which is oldest first as Linux's (wait4(-1)
 * looks at them in that order; /proc/PID/task/TID/children lists them so). fork calls it under
 * tasklist_lock, exit's reparenting under the kernel lock as the rest of forget_original_parent.
 */
void add_child(struct task_struct *parent, struct task_struct *c);

/*
 * Frees a reaped zombie: a process leaves its parent's children, a thread its group (whose
 * zombie leader may then be reported to its parent).
 */
void release_task(struct task_struct *c);

long sys_exit(int code);
long sys_exit_group(int code);
/* wait4 and waitid (kernel/wait_child.c): Linux's do_wait, reported as a status or a siginfo. */
long sys_wait4(int pid, int *status, int options, void *rusage);
long sys_waitid(int which, int upid, void *infop, int options, void *rusage);

#endif
