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

#endif
