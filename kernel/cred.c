// SPDX-License-Identifier: MIT
/*
 * Credentials (Linux's kernel/cred.c and the setuid family of kernel/sys.c): each task's real,
 * effective, saved and file-system uids and gids and its capability sets, changed only for the
 * calling thread, with Linux 6.1's rules: a task with CAP_SETUID (CAP_SETGID) may set any id,
 * others only to ids they already hold; -1 leaves an id alone where the call allows it, and is
 * EINVAL where it does not. Capabilities follow the uids as Linux's cap_emulate_setxuid does:
 * leaving uid 0 in all three ids drops every capability, an effective uid leaving 0 clears the
 * effective set and one coming back to 0 restores it; the file-system uid moves the file-system
 * capabilities. One user namespace, no set-user-ID files. See docs/credentials.md.
 */
#include "kernel/cred.h"
#include "kernel/coredump.h"
#include "fs/mount.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

/* What file-system uid 0 has always meant (Linux's CAP_FS_SET). */
#define CAP_FS_SET                                                                     \
	((1ULL << CAP_CHOWN) | (1ULL << CAP_MKNOD) | (1ULL << CAP_DAC_OVERRIDE) |      \
	 (1ULL << CAP_DAC_READ_SEARCH) | (1ULL << CAP_FOWNER) | (1ULL << CAP_FSETID) | \
	 (1ULL << CAP_LINUX_IMMUTABLE) | (1ULL << CAP_MAC_OVERRIDE))

/* An id given as -1: "leave it", or invalid (Linux's INVALID_UID after make_kuid). */
#define NO_ID ((u32)-1)

void cred_init(struct cred *c)
{
	*c = (struct cred){ .cap_permitted = CAP_FULL_SET,
			    .cap_effective = CAP_FULL_SET,
			    .cap_bset = CAP_FULL_SET };
}

bool capable(int cap)
{
	return (current->cred.cap_effective >> cap) & 1;
}

/*
 * The capabilities after a change of uids from old to new (Linux's cap_emulate_setxuid, for
 * setuid, setreuid and setresuid).
 */
static void cap_emulate_setxuid(struct cred *new, const struct cred *old)
{
	if (cred_issecure(old, SECURE_NO_SETUID_FIXUP))
		return;
	if ((old->uid == 0 || old->euid == 0 || old->suid == 0) &&
	    (new->uid != 0 && new->euid != 0 && new->suid != 0)) {
		if (!cred_issecure(old, SECURE_KEEP_CAPS)) {
			new->cap_permitted = 0;
			new->cap_effective = 0;
		}
		/* setresuid to non-root then execve still drops every capability */
		new->cap_ambient = 0;
	}
	if (old->euid == 0 && new->euid != 0)
		new->cap_effective = 0;
	if (old->euid != 0 && new->euid == 0)
		new->cap_effective = new->cap_permitted;
}

/* The capabilities after a change of the file-system uid (Linux's LSM_SETID_FS fix-up). */
static void cap_fix_setfsuid(struct cred *new, const struct cred *old)
{
	if (cred_issecure(old, SECURE_NO_SETUID_FIXUP))
		return;
	if (old->fsuid == 0 && new->fsuid != 0)
		new->cap_effective &= ~CAP_FS_SET;
	if (old->fsuid != 0 && new->fsuid == 0)
		new->cap_effective |= new->cap_permitted &CAP_FS_SET;
}

/*
 * What Linux's commit_creds does beside installing the new credentials: a change of effective
 * or file-system id, or new permitted capabilities, makes the process not dumpable
 * (suid_dumpable, 0), so that its memory and /proc files are not open to the new identity.
 */
static void commit_creds(const struct cred *old)
{
	const struct cred *new = &current->cred;

	if (new->euid != old->euid || new->egid != old->egid || new->fsuid != old->fsuid ||
	    new->fsgid != old->fsgid || (new->cap_permitted & ~old->cap_permitted)) {
		if (current->mm)
			current->mm->dumpable = suid_dumpable; /* fs.suid_dumpable */
	}
}

/* Is the program on a nosuid mount (Linux's !mnt_may_suid)? Its set-id bits then do nothing. */
static bool file_mnt_nosuid(const struct file *file)
{
	return path_nosuid(file_inode((struct file *)file));
}

/*
 * The effective ids a set-user-ID or set-group-ID file gives (Linux's bprm_fill_uid): none
 * under no_new_privs or on a nosuid mount; set-group-ID only with group execute.
 */
static void bprm_fill_uid(struct cred *new, const struct file *file)
{
	const struct inode *inode = file_inode((struct file *)file);

	if (file_mnt_nosuid(file) || new->no_new_privs)
		return;
	if (inode->i_mode & S_ISUID)
		new->euid = inode->i_uid;
	if ((inode->i_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		new->egid = inode->i_gid;
}

/*
 * Linux's check_unsafe_exec, as far as cap_bprm_creds_from_file looks at it: is the exec
 * unsafe for a gain of privileges, because the task shares its fs_struct with another process
 * (LSM_UNSAFE_SHARE) or has no_new_privs? A traced task is unsafe only when its tracer lacked
 * CAP_SYS_PTRACE (ptracer_capable: LSM_UNSAFE_PTRACE alone does not stop a capable tracer).
 */
static bool exec_unsafe(const struct task_struct *t)
{
	u32 n_fs = 0;

	if (t->cred.no_new_privs)
		return true;
	if (t->ptracer && !t->ptracer_capable)
		return true;
	struct task_struct *u;

	for_each_thread(t, u)
		if (u->fs == t->fs)
			n_fs++;
	return t->fs && t->fs->count > n_fs;
}

/*
 * The capabilities and ids after execve (Linux's cap_bprm_creds_from_file, no file
 * capabilities): root (a real or effective uid 0, without SECBIT_NOROOT) gets the bounding and
 * inheritable sets permitted, effective too for effective uid 0. A set-id or capability gain in
 * an unsafe exec is cut back: the ids to the real ones (unless the caller has CAP_SETUID and no
 * no_new_privs), the permitted set to the old one. The saved and file-system ids become the
 * effective ones; the ambient set goes with a set-id exec. True for a secure exec (AT_SECURE).
 */
static bool cap_bprm_creds_from_file(struct cred *new, const struct cred *old, bool unsafe)
{
	bool effective = false;

	new->cap_permitted = 0;
	if (!cred_issecure(old, SECURE_NOROOT)) {
		if (new->euid == 0 || new->uid == 0)
			new->cap_permitted = old->cap_bset | old->cap_inheritable;
		effective = new->euid == 0;
	}
	bool is_setid = new->euid != old->uid || new->egid != old->gid;
	bool gained = new->cap_permitted & ~old->cap_permitted;
	if ((is_setid || gained) && unsafe) {
		if (!((old->cap_effective >> CAP_SETUID) & 1) || old->no_new_privs) {
			new->euid = new->uid;
			new->egid = new->gid;
		}
		new->cap_permitted &= old->cap_permitted;
	}
	new->suid = new->fsuid = new->euid;
	new->sgid = new->fsgid = new->egid;
	if (is_setid)
		new->cap_ambient = 0;
	new->cap_permitted |= new->cap_ambient;
	new->cap_effective = effective ? new->cap_permitted : new->cap_ambient;
	new->securebits &= ~(1U << SECURE_KEEP_CAPS);
	/* __cap_grew(permitted, ambient): the ambient set gives what the real uid had not */
	return is_setid || (new->uid != 0 && (effective || (new->cap_ambient & ~old->cap_ambient)));
}

bool exec_creds(struct file *file)
{
	struct cred *c = &current->cred, old = *c;
	/* would_dump: a program the caller may not read leaves the process not dumpable */
	bool readable = !inode_permission(file_inode(file), MAY_READ);

	/* Linux's begin_new_exec: dumpable unless the ids differ, then commit_creds' check */
	current->mm->dumpable =
		readable && c->euid == c->uid && c->egid == c->gid ? SUID_DUMP_USER : suid_dumpable;
	bprm_fill_uid(c, file);
	bool secure = cap_bprm_creds_from_file(c, &old, exec_unsafe(current));
	commit_creds(&old);
	return secure;
}

void access_override_creds(void)
{
	struct cred *c = &current->cred;

	c->fsuid = c->uid;
	c->fsgid = c->gid;
	if (!cred_issecure(c, SECURE_NO_SETUID_FIXUP))
		c->cap_effective = c->uid == 0 ? c->cap_permitted : 0;
}

void access_revert_creds(const struct cred *saved)
{
	struct cred *c = &current->cred;

	c->fsuid = saved->fsuid;
	c->fsgid = saved->fsgid;
	c->cap_effective = saved->cap_effective;
}

long sys_getuid(void)
{
	return current->cred.uid;
}

long sys_geteuid(void)
{
	return current->cred.euid;
}

long sys_getgid(void)
{
	return current->cred.gid;
}

long sys_getegid(void)
{
	return current->cred.egid;
}

/* Writes three ids, stopping at the first that faults (Linux's put_user order). */
static long put_ids(u32 r, u32 e, u32 s, u32 *ur, u32 *ue, u32 *us)
{
	if (put_user_u32(r, ur) || put_user_u32(e, ue) || put_user_u32(s, us))
		return -EFAULT;
	return 0;
}

long sys_getresuid(u32 *ruid, u32 *euid, u32 *suid)
{
	const struct cred *c = &current->cred;

	return put_ids(c->uid, c->euid, c->suid, ruid, euid, suid);
}

long sys_getresgid(u32 *rgid, u32 *egid, u32 *sgid)
{
	const struct cred *c = &current->cred;

	return put_ids(c->gid, c->egid, c->sgid, rgid, egid, sgid);
}

/*
 * setuid(2): with CAP_SETUID all of real, effective, saved and file-system uid; without, only
 * the effective (and file-system) uid, to the real or saved one.
 */
long sys_setuid(u32 uid)
{
	struct cred *c = &current->cred, old = *c;

	if (uid == NO_ID)
		return -EINVAL;
	if (capable(CAP_SETUID))
		c->uid = c->suid = uid;
	else if (uid != old.uid && uid != old.suid)
		return -EPERM;
	c->euid = c->fsuid = uid;
	cap_emulate_setxuid(c, &old);
	flag_nproc_exceeded(old.uid);
	commit_creds(&old);
	return 0;
}

/* setgid(2): as setuid, with CAP_SETGID and no capability changes. */
long sys_setgid(u32 gid)
{
	struct cred *c = &current->cred, old = *c;

	if (gid == NO_ID)
		return -EINVAL;
	if (capable(CAP_SETGID))
		c->gid = c->egid = c->sgid = c->fsgid = gid;
	else if (gid == c->gid || gid == c->sgid)
		c->egid = c->fsgid = gid;
	else
		return -EPERM;
	commit_creds(&old);
	return 0;
}

/*
 * setreuid(2): the real uid to the real or effective one, the effective to any of the three
 * (anything with CAP_SETUID); the saved uid follows the effective one when the real uid is given
 * or the effective one becomes other than the old real uid.
 */
long sys_setreuid(u32 ruid, u32 euid)
{
	struct cred *c = &current->cred, old = *c, new = old;
	bool cap = capable(CAP_SETUID);

	if (ruid != NO_ID) {
		new.uid = ruid;
		if (ruid != old.uid && ruid != old.euid && !cap)
			return -EPERM;
	}
	if (euid != NO_ID) {
		new.euid = euid;
		if (euid != old.uid && euid != old.euid && euid != old.suid && !cap)
			return -EPERM;
	}
	if (ruid != NO_ID || (euid != NO_ID && euid != old.uid))
		new.suid = new.euid;
	new.fsuid = new.euid;
	cap_emulate_setxuid(&new, &old);
	*c = new;
	flag_nproc_exceeded(old.uid);
	commit_creds(&old);
	return 0;
}

/* setregid(2): as setreuid, for the gids, with CAP_SETGID. */
long sys_setregid(u32 rgid, u32 egid)
{
	struct cred *c = &current->cred, old = *c, new = *c;
	bool cap = capable(CAP_SETGID);

	if (rgid != NO_ID) {
		if (rgid != c->gid && rgid != c->egid && !cap)
			return -EPERM;
		new.gid = rgid;
	}
	if (egid != NO_ID) {
		if (egid != c->gid && egid != c->egid && egid != c->sgid && !cap)
			return -EPERM;
		new.egid = egid;
	}
	if (rgid != NO_ID || (egid != NO_ID && egid != c->gid))
		new.sgid = new.egid;
	new.fsgid = new.egid;
	*c = new;
	commit_creds(&old);
	return 0;
}

/* Is id a new value for a setres call: given, and none of the three old ones? */
static bool res_new(u32 id, u32 r, u32 e, u32 s)
{
	return id != NO_ID && id != r && id != e && id != s;
}

/*
 * setresuid(2): each uid given (-1: left alone) must be one of the three old ones unless the
 * caller has CAP_SETUID; the file-system uid follows the effective one. A call that changes
 * nothing returns at once.
 */
long sys_setresuid(u32 ruid, u32 euid, u32 suid)
{
	struct cred *c = &current->cred, old = *c;

	if ((ruid == NO_ID || ruid == old.uid) &&
	    (euid == NO_ID || (euid == old.euid && euid == old.fsuid)) &&
	    (suid == NO_ID || suid == old.suid))
		return 0;
	if ((res_new(ruid, old.uid, old.euid, old.suid) ||
	     res_new(euid, old.uid, old.euid, old.suid) ||
	     res_new(suid, old.uid, old.euid, old.suid)) &&
	    !capable(CAP_SETUID))
		return -EPERM;
	if (ruid != NO_ID)
		c->uid = ruid;
	if (euid != NO_ID)
		c->euid = euid;
	if (suid != NO_ID)
		c->suid = suid;
	c->fsuid = c->euid;
	cap_emulate_setxuid(c, &old);
	flag_nproc_exceeded(old.uid);
	commit_creds(&old);
	return 0;
}

/* setresgid(2): as setresuid, for the gids, with CAP_SETGID. */
long sys_setresgid(u32 rgid, u32 egid, u32 sgid)
{
	struct cred *c = &current->cred, old = *c;

	if ((rgid == NO_ID || rgid == c->gid) &&
	    (egid == NO_ID || (egid == c->egid && egid == c->fsgid)) &&
	    (sgid == NO_ID || sgid == c->sgid))
		return 0;
	if ((res_new(rgid, c->gid, c->egid, c->sgid) || res_new(egid, c->gid, c->egid, c->sgid) ||
	     res_new(sgid, c->gid, c->egid, c->sgid)) &&
	    !capable(CAP_SETGID))
		return -EPERM;
	if (rgid != NO_ID)
		c->gid = rgid;
	if (egid != NO_ID)
		c->egid = egid;
	if (sgid != NO_ID)
		c->sgid = sgid;
	c->fsgid = c->egid;
	commit_creds(&old);
	return 0;
}

/*
 * setfsuid(2): the file-system uid to one of the other three (any with CAP_SETUID); always
 * returns the old one, whether it changed or not (-1 asks without changing).
 */
long sys_setfsuid(u32 uid)
{
	struct cred *c = &current->cred, old = *c;

	if (uid == NO_ID)
		return old.fsuid;
	if (uid == old.uid || uid == old.euid || uid == old.suid || uid == old.fsuid ||
	    capable(CAP_SETUID)) {
		if (uid != old.fsuid) {
			c->fsuid = uid;
			cap_fix_setfsuid(c, &old);
			commit_creds(&old);
		}
	}
	return old.fsuid;
}

/* setfsgid(2): as setfsuid, for the gid, with CAP_SETGID. */
long sys_setfsgid(u32 gid)
{
	struct cred *c = &current->cred;
	u32 old = c->fsgid;

	if (gid == NO_ID)
		return old;
	if (gid == c->gid || gid == c->egid || gid == c->sgid || gid == c->fsgid ||
	    capable(CAP_SETGID)) {
		struct cred prev = *c;

		c->fsgid = gid;
		commit_creds(&prev);
	}
	return old;
}
