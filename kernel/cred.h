/* SPDX-License-Identifier: MIT */
/*
 * A task's credentials (Linux's struct cred, kernel/cred.c): the real, effective, saved and
 * file-system user and group ids and the permitted and effective capability sets. Each thread
 * has its own (Linux: the setuid family changes only the calling thread; libc makes every thread
 * call it); clone and fork copy them, execve keeps them (no set-user-ID files here) and sets the
 * saved and file-system ids to the effective ones. See docs/credentials.md.
 */
#ifndef WARDEN_CRED_H
#define WARDEN_CRED_H

#include "kernel/types.h"

#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER 3
#define CAP_FSETID 4
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_LINUX_IMMUTABLE 9
#define CAP_IPC_LOCK 14
#define CAP_IPC_OWNER 15
#define CAP_SYS_RAWIO 17
#define CAP_SYS_PTRACE 19
#define CAP_SYS_ADMIN 21
#define CAP_SYS_BOOT 22
#define CAP_SYS_RESOURCE 24
#define CAP_MKNOD 27
#define CAP_MAC_OVERRIDE 32
#define CAP_LAST_CAP 40 /* Linux 6.1: CAP_CHECKPOINT_RESTORE */
#define CAP_FULL_SET ((1ULL << (CAP_LAST_CAP + 1)) - 1)

/* Supplementary groups (kernel/groups.c): shared between credentials, freed with the last. */
#define NGROUPS_MAX 65536
struct group_info {
	u32 usage; /* references: credentials pointing here (under the kernel lock) */
	u32 ngroups;
	u32 gid[]; /* ascending */
};

struct cred {
	u32 uid, euid, suid, fsuid;
	u32 gid, egid, sgid, fsgid;
	u32 securebits; /* SECBIT_* (Linux's securebits.h) */
	bool no_new_privs; /* PR_SET_NO_NEW_PRIVS: one-way, kept by clone and execve */
	u64 cap_inheritable;
	u64 cap_permitted;
	u64 cap_effective;
	u64 cap_bset; /* the bounding set */
	u64 cap_ambient;
	struct group_info *group_info; /* NULL: no supplementary groups (Linux's init_groups) */
};

/* The securebits (Linux's uapi/linux/securebits.h): each bit's lock is the bit above it. */
#define SECURE_NOROOT 0
#define SECURE_NO_SETUID_FIXUP 2
#define SECURE_KEEP_CAPS 4
#define SECURE_KEEP_CAPS_LOCKED 5
#define SECURE_NO_CAP_AMBIENT_RAISE 6
#define SECURE_ALL_BITS 0x55
#define SECURE_ALL_LOCKS 0xaa

static inline bool cred_issecure(const struct cred *c, int bit)
{
	return (c->securebits >> bit) & 1;
}

/* The dumpable values of prctl(PR_SET_DUMPABLE) (Linux's SUID_DUMP_*; 2 is never set here). */
#define SUID_DUMP_DISABLE 0
#define SUID_DUMP_USER 1

struct task_struct;
struct linux_binprm;

/* The first task's credentials: root with every capability (Linux's init_cred). */
void cred_init(struct cred *c);

/* Does the current task have capability cap in its effective set (Linux's capable)? */
bool capable(int cap);

/*
 * execve's new credentials for the current task, loading file (Linux's bprm_fill_uid and
 * cap_bprm_creds_from_file, no file capabilities): a set-user-ID (set-group-ID with group
 * execute) file gives its owner (group) as the effective id unless no_new_privs or a tracer
 * without CAP_SYS_PTRACE stops it; the saved and file-system ids become the effective ones; root
 * gets every capability in its bounding set. Also the mm's dumpable flag. True when the program
 * must run in secure mode (AT_SECURE).
 */
struct file;
bool exec_creds(struct file *file);

/*
 * access() and faccessat() without AT_EACCESS ask with the real ids (Linux's
 * access_override_creds): the file-system uid and gid become the real ones and the effective
 * capabilities the permitted set for real uid 0, none otherwise (unless SECBIT_NO_SETUID_FIXUP);
 * access_revert_creds puts back what saved held.
 */
void access_override_creds(void);
void access_revert_creds(const struct cred *saved);

long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_getresuid(u32 *ruid, u32 *euid, u32 *suid);
long sys_getresgid(u32 *rgid, u32 *egid, u32 *sgid);
long sys_setuid(u32 uid);
long sys_setgid(u32 gid);
long sys_setreuid(u32 ruid, u32 euid);
long sys_setregid(u32 rgid, u32 egid);
long sys_setresuid(u32 ruid, u32 euid, u32 suid);
long sys_setresgid(u32 rgid, u32 egid, u32 sgid);
long sys_setfsuid(u32 uid);
long sys_setfsgid(u32 gid);

struct __user_cap_header_struct;
struct __user_cap_data_struct;
long sys_capget(struct __user_cap_header_struct *header, struct __user_cap_data_struct *data);
long sys_capset(struct __user_cap_header_struct *header, const struct __user_cap_data_struct *data);

/*
 * The capability and securebits prctls (Linux's cap_task_prctl): the result, or -ENOSYS when
 * option is not one of them.
 */
long cap_task_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5);

/*
 * RLIMIT_NPROC (kernel/ucount.c): may the current task make one more task (fork, clone)? Its
 * user's tasks plus the new one within its soft limit, or root, CAP_SYS_RESOURCE, CAP_SYS_ADMIN.
 */
bool fork_nproc_allowed(void);

/*
 * After a setuid-family call changed the current task's real uid from old_uid: marks it when
 * the new user was already past RLIMIT_NPROC (Linux's flag_nproc_exceeded), else unmarks it.
 */
void flag_nproc_exceeded(u32 old_uid);

/* execve's RLIMIT_NPROC check: false (EAGAIN) when marked and still past the limit. */
bool exec_nproc_allowed(void);

/* Takes a reference to a group list (NULL allowed) and returns it; drops one (frees the last). */
struct group_info *get_group_info(struct group_info *gi);
void put_group_info(struct group_info *gi);

/* Is gid the current task's file-system gid or one of its groups (Linux's in_group_p)? The
 * effective gid or one of its groups (in_egroup_p)? */
bool in_group_p(u32 gid);
bool in_egroup_p(u32 gid);

long sys_getgroups(int size, u32 *list);
long sys_setgroups(int size, const u32 *list);

#endif
