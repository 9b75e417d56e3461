/* SPDX-License-Identifier: MIT */
/* Starting programs. */
#ifndef WARDEN_EXEC_H
#define WARDEN_EXEC_H

/*
 * Replaces the current task's program with the executable at path (kernel strings): how the
 * kernel starts PID 1. Returns a negative errno if the file cannot be run; on success the task
 * leaves for user mode at the program's entry point when it next returns to user mode.
 */
int kernel_execve(const char *path, const char *const *argv, const char *const *envp);

long sys_execve(const char *path, const char *const *argv, const char *const *envp);
long sys_execveat(int dfd, const char *path, const char *const *argv, const char *const *envp,
		  int flags);

struct task_struct;

/*
 * execve's first step past the point of no return: the caller becomes its process's only
 * thread, under the process's pid (kernel/de_thread.c). 0 or -EAGAIN (a group exit won).
 */
int de_thread(struct task_struct *me);

/* The file table and the signal handlers, no longer shared with another process: 0 or -ENOMEM. */
int unshare_files(struct task_struct *me);
int unshare_sighand(struct task_struct *me);

#endif
