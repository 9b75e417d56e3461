// SPDX-License-Identifier: MIT
/*
 * unshare(2) and setns(2) (Linux 6.1's ksys_unshare in kernel/fork.c and kernel/nsproxy.c).
 * Of the namespaces Warden has time namespaces only (kernel/time_namespace.h); unsharing the
 * file table and the file-system information works as Linux's. The other namespace flags are
 * refused with EINVAL after Linux's checks (EPERM without CAP_SYS_ADMIN comes first), where
 * Linux would make the namespace.
 */
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/proc_ns.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/sys.h"
#include "kernel/time_namespace.h"
#include "mm/mm.h"

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
/* The namespaces unshare_nsproxy_namespaces makes (CAP_SYS_ADMIN) */
#define CLONE_NS_FLAGS                                                             \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | \
	 CLONE_NEWCGROUP | CLONE_NEWTIME)

/* Does another process share the caller's address space (a vfork parent, CLONE_VM)? */
static bool mm_shared_with_others(void)
{
	struct task_struct *me = current;

	if (!me->mm || me->mm->users == 1)
		return false;
	for (struct task_struct *t = first_task(); t; t = t->run_next)
		if (t->mm == me->mm && t->tgid != me->tgid && t->state < EXIT_ZOMBIE)
			return true;
	return false;
}

/*
 * Linux's check_unshare_flags: unknown flags; the thread group, the signal handlers and the
 * address space can only be "unshared" when nothing shares them (it is not implemented).
 */
static long check_unshare_flags(u64 flags)
{
	struct task_struct *me = current;

	if (flags &
	    ~(u64)(CLONE_THREAD | CLONE_FS | CLONE_NEWNS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES |
		   CLONE_SYSVSEM | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER |
		   CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME))
		return -EINVAL;
	if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) && !thread_group_empty(me))
		return -EINVAL;
	if ((flags & (CLONE_SIGHAND | CLONE_VM)) && me->sighand->count > 1)
		return -EINVAL;
	if ((flags & CLONE_VM) && (me->signal->live != 1 || mm_shared_with_others()))
		return -EINVAL;
	return 0;
}

/*
 * unshare(2): the implied flags (a new user namespace means the thread group and fs; the
 * address space means the handlers, which mean the thread group; a mount namespace means fs),
 * the checks, then the new file-system information, file table and time namespace for the
 * children, all made before any is installed.
 */
long sys_unshare(u64 flags)
{
	struct task_struct *me = current;
	struct fs_struct *new_fs = NULL;
	long err;

	if (flags & CLONE_NEWUSER)
		flags |= CLONE_THREAD | CLONE_FS;
	if (flags & CLONE_VM)
		flags |= CLONE_SIGHAND;
	if (flags & CLONE_SIGHAND)
		flags |= CLONE_THREAD;
	if (flags & CLONE_NEWNS)
		flags |= CLONE_FS;
	err = check_unshare_flags(flags);
	if (err)
		return err;
	if (flags & CLONE_NEWUSER)
		return -EINVAL; /* Warden has one user namespace */
	if (flags & CLONE_NS_FLAGS) {
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (flags & (CLONE_NS_FLAGS & ~CLONE_NEWTIME))
			return -EINVAL; /* only time namespaces */
	}
	if ((flags & CLONE_FS) && me->fs->count > 1) {
		new_fs = copy_fs(me->fs);
		if (!new_fs)
			return -ENOMEM;
	}
	if (flags & CLONE_FILES) {
		err = unshare_files(me); /* installed at once: only memory can fail after it */
		if (err) {
			if (new_fs)
				put_fs(new_fs);
			return err;
		}
	}
	if (flags & CLONE_NEWTIME) {
		err = unshare_time_ns(me);
		if (err) {
			if (new_fs)
				put_fs(new_fs);
			return err;
		}
	}
	if (new_fs) {
		put_fs(me->fs);
		me->fs = new_fs;
	}
	return 0;
}

/*
 * setns(2) (Linux 6.1's): the file must be a namespace file (an open /proc/PID/ns link: EINVAL
 * for any other, pidfds included, which Warden does not have) of the type nstype names when it
 * is not 0 (EINVAL); then the namespace's own rules (timens_install: EUSERS, EPERM).
 */
long sys_setns(int fd, int nstype)
{
	struct file *f = fget(fd);
	struct time_namespace *ns;
	long err;

	if (!f)
		return -EBADF;
	ns = nsfs_time_ns(f);
	if (!ns || (nstype && nstype != CLONE_NEWTIME))
		err = -EINVAL;
	else
		err = timens_install(ns);
	fput(f);
	return err;
}
