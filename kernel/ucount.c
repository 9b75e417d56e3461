// SPDX-License-Identifier: MIT
/*
 * RLIMIT_NPROC per user (Linux 6.1's ucounts UCOUNT_RLIMIT_NPROC, kernel/ucount.c, with its uses
 * in copy_process, set_user and do_execveat_common): a user's count is its tasks (threads
 * included, zombies until they are reaped) whose real uid it is. A fork that would take the
 * count past the caller's soft RLIMIT_NPROC is EAGAIN unless the user is root or the caller has
 * CAP_SYS_RESOURCE or CAP_SYS_ADMIN; setuid to a user already past it only marks the task
 * (Linux's PF_NPROC_EXCEEDED), whose next execve is EAGAIN if it is still past. The count is
 * taken from the task list when needed rather than kept, so it can never drift.
 */
#include "kernel/cred.h"
#include "kernel/sched.h"
#include "kernel/sys.h"

/* The tasks whose real uid is uid, reaped ones left out (Linux's ucount value). */
static u64 user_nproc(u32 uid)
{
	u64 n = 0;

	for (struct task_struct *t = first_task(); t; t = t->run_next)
		if (t->pid && t->state != EXIT_DEAD && t->cred.uid == uid)
			n++;
	return n;
}

/* Is uid past the current task's RLIMIT_NPROC with extra more tasks (is_ucounts_overlimit)? */
static bool nproc_overlimit(u32 uid, u64 extra)
{
	return user_nproc(uid) + extra > current->signal->rlim[RLIMIT_NPROC].rlim_cur;
}

bool fork_nproc_allowed(void)
{
	u32 uid = current->cred.uid;

	if (!nproc_overlimit(uid, 1))
		return true;
	return uid == 0 || capable(CAP_SYS_RESOURCE) || capable(CAP_SYS_ADMIN);
}

void flag_nproc_exceeded(u32 old_uid)
{
	u32 uid = current->cred.uid;

	if (uid == old_uid)
		return;
	/* the new user's count before this task joins it (it is counted there already) */
	current->nproc_exceeded =
		uid != 0 && user_nproc(uid) - 1 > current->signal->rlim[RLIMIT_NPROC].rlim_cur;
}

bool exec_nproc_allowed(void)
{
	if (current->nproc_exceeded && nproc_overlimit(current->cred.uid, 0))
		return false;
	current->nproc_exceeded = false; /* below the limit again: later execve calls go on */
	return true;
}
