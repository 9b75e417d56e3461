// SPDX-License-Identifier: MIT
/*
 * shmctl(2), as Linux 6.1's ksys_shmctl with x86-64's IPC_64 layouts (no IPC_64 bit in cmd: a
 * 64-bit kernel takes the command as it is, and glibc and musl pass none): IPC_STAT, SHM_STAT,
 * SHM_STAT_ANY, IPC_SET, IPC_RMID, IPC_INFO, SHM_INFO, SHM_LOCK and SHM_UNLOCK (docs/shm.md).
 */
#include "ipc/shm.h"
#include "mm/uaccess.h"
#include "fs/vfs.h"
#include "kernel/cred.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"

/* struct shmid64_ds of x86-64 (asm-generic/shmbuf.h): IPC_STAT's result and IPC_SET's input. */
struct shmid64_ds {
	struct ipc64_perm shm_perm;
	u64 shm_segsz;
	s64 shm_atime, shm_dtime, shm_ctime;
	int shm_cpid, shm_lpid;
	u64 shm_nattch;
	u64 __unused4, __unused5;
};
_Static_assert(sizeof(struct shmid64_ds) == 112, "Linux's struct shmid64_ds");

/* struct shminfo64: IPC_INFO's result. */
struct shminfo64 {
	u64 shmmax, shmmin, shmmni, shmseg, shmall;
	u64 __unused1, __unused2, __unused3, __unused4;
};

/* struct shm_info: SHM_INFO's result. */
struct shm_info {
	int used_ids;
	u64 shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};
_Static_assert(sizeof(struct shm_info) == 48, "Linux's struct shm_info");

/* Linux's shmctl_stat: IPC_STAT by id, SHM_STAT and SHM_STAT_ANY by index (the id returned). */
static int shmctl_stat(int shmid, int cmd, struct shmid64_ds *tbuf)
{
	struct kern_ipc_perm *ipcp;
	int err;

	memset(tbuf, 0, sizeof(*tbuf));
	down_read(&shm_ids.rwsem);
	if (cmd == SHM_STAT || cmd == SHM_STAT_ANY)
		ipcp = ipc_obtain_object_idr(&shm_ids, shmid);
	else
		ipcp = ipc_obtain_object_check(&shm_ids, shmid);
	if (!ipcp) {
		err = -EINVAL;
	} else if (cmd != SHM_STAT_ANY && ipcperms(ipcp, 0444)) {
		err = -EACCES; /* SHM_STAT_ANY shows what /proc/sysvipc/shm shows to anyone */
	} else {
		struct shmid_kernel *shp = container_of(ipcp, struct shmid_kernel, shm_perm);

		kernel_to_ipc64_perm(ipcp, &tbuf->shm_perm);
		tbuf->shm_segsz = shp->shm_segsz;
		tbuf->shm_atime = shp->shm_atim;
		tbuf->shm_dtime = shp->shm_dtim;
		tbuf->shm_ctime = shp->shm_ctim;
		tbuf->shm_cpid = shp->shm_cprid;
		tbuf->shm_lpid = shp->shm_lprid;
		tbuf->shm_nattch = shp->shm_nattch;
		err = cmd == IPC_STAT ? 0 : ipcp->id;
	}
	up_read(&shm_ids.rwsem);
	return err;
}

/* Linux's shmctl_down: IPC_RMID and IPC_SET, for the owner, the creator or CAP_SYS_ADMIN. */
static int shmctl_down(int shmid, int cmd, struct shmid64_ds *shmid64)
{
	down_write(&shm_ids.rwsem);
	struct kern_ipc_perm *ipcp = ipcctl_obtain_check(&shm_ids, shmid);
	int err = 0;

	if (IS_ERR(ipcp)) {
		err = (int)PTR_ERR(ipcp);
	} else if (cmd == IPC_RMID) {
		do_shm_rmid(container_of(ipcp, struct shmid_kernel, shm_perm));
	} else {
		err = ipc_update_perm(&shmid64->shm_perm, ipcp);
		if (!err)
			container_of(ipcp, struct shmid_kernel, shm_perm)->shm_ctim =
				(s64)(current_time_ns() / 1000000000ULL);
	}
	up_write(&shm_ids.rwsem);
	return err;
}

/* Pages SHM_LOCK has locked for uid, across its segments (Linux's UCOUNT_RLIMIT_MEMLOCK). */
static u64 shm_locked_pages(u32 uid)
{
	u64 pages = 0;

	for (int idx = 0;; idx++) {
		struct kern_ipc_perm *ipcp = ipc_next(&shm_ids, &idx);

		if (!ipcp)
			break;
		struct shmid_kernel *shp = container_of(ipcp, struct shmid_kernel, shm_perm);
		if ((ipcp->mode & SHM_LOCKED) && shp->mlock_uid == uid)
			pages += (shp->shm_segsz + PAGE_SIZE - 1) >> PAGE_SHIFT;
	}
	return pages;
}

/*
 * Linux's shmctl_do_lock: without CAP_IPC_LOCK only the owner or creator (EPERM), and SHM_LOCK
 * only with a non-zero RLIMIT_MEMLOCK (EPERM) that the user's locked segments fit in (ENOMEM,
 * user_shm_lock). Locking marks the segment; its pages are never reclaimed anyway.
 */
static int shmctl_do_lock(int shmid, int cmd)
{
	down_write(&shm_ids.rwsem);
	struct kern_ipc_perm *ipcp = ipc_obtain_object_check(&shm_ids, shmid);
	u64 limit = current->signal->rlim[RLIMIT_MEMLOCK].rlim_cur;
	u32 euid = current->cred.euid;
	int err = 0;

	if (!ipcp) {
		err = -EINVAL;
		goto out;
	}
	struct shmid_kernel *shp = container_of(ipcp, struct shmid_kernel, shm_perm);
	if (!capable(CAP_IPC_LOCK)) {
		if (euid != ipcp->uid && euid != ipcp->cuid) {
			err = -EPERM;
			goto out;
		}
		if (cmd == SHM_LOCK && !limit) {
			err = -EPERM;
			goto out;
		}
	}
	if (cmd == SHM_LOCK) {
		if (ipcp->mode & SHM_LOCKED)
			goto out;
		u64 pages = (shp->shm_segsz + PAGE_SIZE - 1) >> PAGE_SHIFT;
		if (limit != RLIM_INFINITY &&
		    shm_locked_pages(current->cred.uid) + pages > limit >> PAGE_SHIFT &&
		    !capable(CAP_IPC_LOCK)) {
			err = -ENOMEM;
			goto out;
		}
		ipcp->mode |= SHM_LOCKED;
		shp->mlock_uid = current->cred.uid;
	} else {
		ipcp->mode &= ~(u32)SHM_LOCKED;
	}
out:
	up_write(&shm_ids.rwsem);
	return err;
}

/* IPC_INFO: the limits, and the highest index in use. */
static int shmctl_ipc_info(struct shminfo64 *info)
{
	memset(info, 0, sizeof(*info));
	info->shmmni = info->shmseg = (u64)shm_ctlmni;
	info->shmmax = shm_ctlmax;
	info->shmall = shm_ctlall;
	info->shmmin = SHMMIN;
	down_read(&shm_ids.rwsem);
	int err = ipc_get_maxidx(&shm_ids);
	up_read(&shm_ids.rwsem);
	return err;
}

/* SHM_INFO: the segments in use, their pages and resident pages; the highest index in use. */
static int shmctl_shm_info(struct shm_info *info)
{
	memset(info, 0, sizeof(*info));
	down_read(&shm_ids.rwsem);
	info->used_ids = shm_ids.in_use;
	for (int idx = 0;; idx++) {
		struct kern_ipc_perm *ipcp = ipc_next(&shm_ids, &idx);

		if (!ipcp)
			break;
		info->shm_rss += shm_rss_pages(container_of(ipcp, struct shmid_kernel, shm_perm));
	}
	info->shm_tot = shm_tot;
	int err = ipc_get_maxidx(&shm_ids);
	up_read(&shm_ids.rwsem);
	return err;
}

long sys_shmctl(int shmid, int cmd, void *buf)
{
	struct shmid64_ds ds;
	int err;

	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO: {
		struct shminfo64 info;

		err = shmctl_ipc_info(&info);
		if (copy_to_user(buf, &info, sizeof(info)))
			err = -EFAULT;
		return err;
	}
	case SHM_INFO: {
		struct shm_info info;

		err = shmctl_shm_info(&info);
		if (copy_to_user(buf, &info, sizeof(info)))
			err = -EFAULT;
		return err;
	}
	case SHM_STAT:
	case SHM_STAT_ANY:
	case IPC_STAT:
		err = shmctl_stat(shmid, cmd, &ds);
		if (err < 0)
			return err;
		if (copy_to_user(buf, &ds, sizeof(ds)))
			err = -EFAULT;
		return err;
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		fallthrough;
	case IPC_RMID:
		return shmctl_down(shmid, cmd, &ds);
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shmctl_do_lock(shmid, cmd);
	default:
		return -EINVAL;
	}
}
