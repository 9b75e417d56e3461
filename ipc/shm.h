/* SPDX-License-Identifier: MIT */
/*
 * System V shared memory, as Linux 6.1's ipc/shm.c (docs/shm.md). A segment is an unlinked ramfs
 * file (Warden's shmem) named "SYSV%08x" after its key, whose inode number is the segment's id,
 * as Linux's, so /proc/PID/maps shows "/SYSVkkkkkkkk (deleted)" with the id as inode. Each
 * shmat makes a new struct file on the segment's inode (Linux's alloc_file_clone) whose
 * operations count the VMAs that map it: a VMA copied (fork, split, mremap) attaches once more,
 * a VMA freed (munmap, exit, exec) detaches once (Linux's shm_open/shm_close vm_ops). A segment
 * marked for destruction (IPC_RMID, or any after kernel.shm_rmid_forced) goes with its last
 * attach.
 */
#ifndef WARDEN_IPC_SHM_H
#define WARDEN_IPC_SHM_H

#include "ipc/util.h"

struct task_struct;
struct inode;

#define SHMMIN 1UL /* the smallest segment, in bytes */
#define SHMMNI 4096 /* kernel.shmmni's default: segments in the system */
#define SHMMAX (~0UL - (1UL << 24)) /* kernel.shmmax's default: the largest segment */
#define SHMALL (~0UL - (1UL << 24)) /* kernel.shmall's default: pages of all segments */
#define SHMLBA 4096UL /* attach addresses are multiples of this (a page on x86) */

/* shmget's flags beside IPC_CREAT, IPC_EXCL and the mode. */
#define SHM_HUGETLB 04000
#define SHM_NORESERVE 010000
#define SHM_HUGE_SHIFT 26
#define SHM_HUGE_MASK 0x3f

/* shmat's flags. */
#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_REMAP 040000
#define SHM_EXEC 0100000

/* shmctl's commands beside IPC_RMID, IPC_SET, IPC_STAT and IPC_INFO. */
#define SHM_LOCK 11
#define SHM_UNLOCK 12
#define SHM_STAT 13
#define SHM_INFO 14
#define SHM_STAT_ANY 15

/* shm_perm.mode's flags above the permission bits. */
#define SHM_DEST 01000 /* removed: destroyed at the last detach */
#define SHM_LOCKED 02000 /* SHM_LOCK */

/* A segment (Linux's shmid_kernel). */
struct shmid_kernel {
	struct kern_ipc_perm shm_perm;
	struct inode *shm_inode; /* the memory: an unlinked ramfs inode, i_size shm_segsz */
	u64 shm_nattch; /* VMAs mapping it (and shmat calls under way) */
	u64 shm_segsz;
	s64 shm_atim, shm_dtim, shm_ctim; /* last attach, detach, change (seconds since 1970) */
	int shm_cprid, shm_lprid; /* creator's and last attacher's or detacher's tgid */
	u32 mlock_uid; /* whose RLIMIT_MEMLOCK pays for SHM_LOCK (Linux's mlock_ucounts) */
	struct task_struct *shm_creator; /* NULL once the creating thread exited (exit_shm) */
	int refcount; /* the set's reference while in it, plus one per attach file */
};

/* The set of segments; kernel.shmmax, shmall (pages), shmmni, shm_rmid_forced; pages in use. */
extern struct ipc_ids shm_ids;
extern u64 shm_ctlmax, shm_ctlall, shm_tot;
extern int shm_ctlmni, shm_rmid_forced;

long sys_shmget(int key, u64 size, int shmflg);
long sys_shmat(int shmid, u64 shmaddr, int shmflg);
long sys_shmdt(u64 shmaddr);
/*
 * A new mapping of file (mm/mmap.c, after MAP_FIXED unmapped): for a SysV attach file whose
 * segment is gone (removed, its last attach just unmapped: remap_file_pages over it) -EINVAL,
 * as Linux's shm_mmap finds the ID gone or reused; else 0.
 */
struct file;
int shm_mmap_check(struct file *file);
long sys_shmctl(int shmid, int cmd, void *buf);

/*
 * A thread ends (Linux's exit_shm): the segments it created are orphans from now on, and with
 * kernel.shm_rmid_forced those nobody has attached are destroyed.
 */
void exit_shm(struct task_struct *task);

/* IPC_RMID of shp (Linux's do_shm_rmid), the set held for writing: now or at the last detach. */
void do_shm_rmid(struct shmid_kernel *shp);

/* kernel.shm_rmid_forced was set: destroys the unattached segments whose creator is gone. */
void shm_destroy_orphaned(void);

/* Pages of every segment's page cache (SHM_INFO's shm_rss, /proc/sysvipc/shm's rss). */
u64 shm_rss_pages(struct shmid_kernel *shp);

/* ipc/ipc_sysctl.c: /proc/sys/kernel/shm* and /proc/sysvipc/shm. 0 or -errno. */
int ipc_sysctl_init(void);

#endif
