// SPDX-License-Identifier: MIT
/*
 * Who may do what to an inode (Linux 6.1's fs/namei.c generic_permission and friends, without
 * ACLs, user namespaces or LSMs). The mode bits are checked against the caller's file-system
 * uid and gid and its supplementary groups: the owner's bits when the fsuid owns the inode, else
 * the group's when the inode's group is one of the caller's (and group and other differ in the
 * bits asked), else the others'. Then the capabilities may override, as capable_wrt_inode_uidgid:
 * CAP_DAC_READ_SEARCH reads any file and reads and searches any directory, CAP_DAC_OVERRIDE does
 * anything to a directory and reads and writes any file, but runs one only when some x bit is
 * set. /proc/sys files follow Linux's sysctl rule (the effective uid, and no execute at all).
 * See docs/credentials.md.
 */
#include "fs/proc.h"
#include "fs/vfs.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"

/* The mode bits alone (Linux's acl_permission_check with no ACL): 0 or -EACCES. */
static int acl_permission_check(const struct inode *inode, int mask)
{
	u32 mode = inode->i_mode;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (inode->i_uid == current->cred.fsuid) {
		mode >>= 6;
	} else if ((mask & (mode ^ (mode >> 3))) && in_group_p(inode->i_gid)) {
		/* the group's bits only matter where they differ from the others' */
		mode >>= 3;
	}
	return (mask & ~mode) ? -EACCES : 0;
}

int generic_permission(const struct inode *inode, int mask)
{
	int err = acl_permission_check(inode, mask);

	if (err != -EACCES)
		return err;
	if (S_ISDIR(inode->i_mode)) {
		if (!(mask & MAY_WRITE) && capable(CAP_DAC_READ_SEARCH))
			return 0;
		return capable(CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (mask == MAY_READ && capable(CAP_DAC_READ_SEARCH))
		return 0;
	/* reading and writing are always overridable, running only a file with an x bit */
	if ((!(mask & MAY_EXEC) || (inode->i_mode & S_IXUGO)) && capable(CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

/*
 * A /proc/sys file (Linux's proc_sys_permission and test_perm): never executable; the owner's
 * bits for effective uid 0, the group's for a caller in group 0, else the others', with no
 * capability override, so a 0444 entry is read-only for root too.
 */
static int sysctl_permission(const struct inode *inode, int mask)
{
	u32 mode = inode->i_mode;

	if ((mask & MAY_EXEC) && S_ISREG(mode))
		return -EACCES;
	if (current->cred.euid == 0)
		mode >>= 6;
	else if (in_egroup_p(0))
		mode >>= 3;
	return (mask & ~mode & (MAY_READ | MAY_WRITE | MAY_EXEC)) ? -EACCES : 0;
}

int inode_permission(struct inode *inode, int mask)
{
	if (inode->i_flags & S_SYSCTL)
		return sysctl_permission(inode, mask);
	/*
	 * Every other file, /proc's included: a /proc/PID file's owner follows its task as
	 * Linux's task_dump_owner says (root when the task is not dumpable), taken again here
	 * (proc_inode_revalidate), so its bits bind; fdinfo checks ptrace access first.
	 */
	int err = proc_inode_revalidate(inode, mask);

	if (err)
		return err;
	err = generic_permission(inode, mask);

	/*
	 * Linux's proc_fd_permission: a process may always look at the fd directory of any of
	 * its threads (same_thread_group: task/TID/fd of a thread that is not the leader too)
	 */
	if (err && (inode->i_flags & S_PROC_FD)) {
		struct task_struct *t = inode->i_pid && proc_pid_task ? proc_pid_task(inode) : NULL;

		if (!inode->i_pid || (t && t->tgid == current->tgid))
			err = 0;
	}
	return err;
}

bool inode_owner_or_capable(const struct inode *inode)
{
	return inode->i_uid == current->cred.fsuid || capable(CAP_FOWNER);
}

/*
 * Linux's check_sticky: in a sticky directory only the file's owner, the directory's owner or
 * a holder of CAP_FOWNER may remove or rename the file. True when the caller may not.
 */
static bool check_sticky(const struct inode *dir, const struct inode *inode)
{
	u32 fsuid = current->cred.fsuid;

	if (!(dir->i_mode & S_ISVTX))
		return false;
	if (inode->i_uid == fsuid || dir->i_uid == fsuid)
		return false;
	return !capable(CAP_FOWNER);
}

int may_delete_perm(struct inode *dir, const struct inode *victim)
{
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	return check_sticky(dir, victim) ? -EPERM : 0;
}

int may_create_perm(struct inode *dir)
{
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

u32 mode_strip_sgid(const struct inode *dir, u32 mode)
{
	if ((mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP))
		return mode;
	if (S_ISDIR(mode) || !dir || !(dir->i_mode & S_ISGID))
		return mode;
	if (in_group_p(dir->i_gid) || capable(CAP_FSETID))
		return mode;
	return mode & ~(u32)S_ISGID;
}

void inode_init_owner(struct inode *inode, const struct inode *dir)
{
	inode->i_uid = current->cred.fsuid;
	if (dir && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;
		/* directories always inherit S_ISGID */
		if (S_ISDIR(inode->i_mode))
			inode->i_mode |= S_ISGID;
	} else {
		inode->i_gid = current->cred.fsgid;
	}
}

int should_remove_suid(const struct inode *inode)
{
	u32 mode = inode->i_mode;
	int kill = 0;

	if (mode & S_ISUID)
		kill = ATTR_KILL_SUID;
	/* set-group-ID without group execute is a mandatory-locking mark: left alone */
	if ((mode & S_ISGID) && (mode & S_IXGRP))
		kill |= ATTR_KILL_SGID;
	if (kill && !capable(CAP_FSETID) && S_ISREG(mode))
		return kill;
	return 0;
}

void remove_privs(struct inode *inode, int kill)
{
	if (kill & ATTR_KILL_SUID)
		inode->i_mode &= ~(u32)S_ISUID;
	if (kill & ATTR_KILL_SGID)
		inode->i_mode &= ~(u32)S_ISGID;
	if (kill)
		inode->i_ctime = current_time_ns();
}

int file_remove_privs(struct file *file)
{
	struct inode *inode = file->f_inode;

	if (!S_ISREG(inode->i_mode))
		return 0;
	remove_privs(inode, should_remove_suid(inode));
	return 0;
}
