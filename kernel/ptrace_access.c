// SPDX-License-Identifier: MIT
/*
 * Who may look at or take control of another task (Linux 6.1's __ptrace_may_access in
 * kernel/ptrace.c, cap_ptrace_access_check in security/commoncap.c, task_dump_owner in
 * fs/proc/base.c and mm_access in kernel/fork.c): the one rule behind PTRACE_ATTACH,
 * /proc/PID/mem, maps, smaps, pagemap and environ, and the owner of a task's /proc files.
 * Credentials are compared as Linux does with one user namespace and no LSM besides the
 * capabilities: the same ids, a dumpable mm and no capability the caller lacks, or
 * CAP_SYS_PTRACE. See docs/credentials.md.
 */
#include "kernel/ptrace.h"
#include "kernel/cred.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "fs/abi.h"
#include "mm/mm.h"

/* Has the caller CAP_SYS_PTRACE (Linux's ptrace_has_cap; NOAUDIT changes only the audit)? */
static bool ptrace_has_cap(void)
{
	return capable(CAP_SYS_PTRACE);
}

/* Are the caller's uid and gid (real or file-system ones, per mode) all three of t's? */
static bool ptrace_ids_match(const struct task_struct *t, unsigned int mode)
{
	const struct cred *c = &current->cred, *tc = &t->cred;
	u32 uid = mode & PTRACE_MODE_FSCREDS ? c->fsuid : c->uid;
	u32 gid = mode & PTRACE_MODE_FSCREDS ? c->fsgid : c->gid;

	return uid == tc->uid && uid == tc->euid && uid == tc->suid && gid == tc->gid &&
	       gid == tc->egid && gid == tc->sgid;
}

/* t's address space, NULL once it has exited (a zombie keeps the pointer, Linux clears it). */
static struct mm_struct *task_live_mm(const struct task_struct *t)
{
	return t->state < EXIT_ZOMBIE ? t->mm : NULL;
}

int ptrace_may_access(struct task_struct *t, unsigned int mode)
{
	const struct cred *c = &current->cred;
	struct mm_struct *mm = task_live_mm(t);

	/* exactly one of FSCREDS and REALCREDS (Linux WARNs and refuses otherwise) */
	if (!(mode & PTRACE_MODE_FSCREDS) == !(mode & PTRACE_MODE_REALCREDS))
		return -EPERM;
	if (same_thread_group(t, current))
		return 0;
	if (!ptrace_ids_match(t, mode) && !ptrace_has_cap())
		return -EPERM;
	if (mm && mm->dumpable != SUID_DUMP_USER && !ptrace_has_cap())
		return -EPERM;
	/* cap_ptrace_access_check: t may hold no capability the caller lacks */
	u64 caps = mode & PTRACE_MODE_FSCREDS ? c->cap_effective : c->cap_permitted;
	if ((t->cred.cap_permitted & ~caps) && !ptrace_has_cap())
		return -EPERM;
	return 0;
}

void task_dump_owner(struct task_struct *t, u32 mode, u32 *uid, u32 *gid)
{
	*uid = t->cred.euid;
	*gid = t->cred.egid;
	if (mode == (S_IFDIR | 0555))
		return; /* what `stat /proc/PID` has always told: the effective ids */
	struct mm_struct *mm = task_live_mm(t);

	if (!mm || mm->dumpable != SUID_DUMP_USER)
		*uid = *gid = 0;
}

struct mm_struct *mm_access(struct task_struct *t, unsigned int mode)
{
	struct mm_struct *mm = task_live_mm(t);

	if (mm && mm != current->mm && ptrace_may_access(t, mode))
		return ERR_PTR(-EACCES);
	return mm;
}

int ptrace_traceme_ok(struct task_struct *parent)
{
	const struct cred *pc = &parent->cred;

	if (!(current->cred.cap_permitted & ~pc->cap_permitted))
		return 0;
	return (pc->cap_effective >> CAP_SYS_PTRACE) & 1 ? 0 : -EPERM;
}
