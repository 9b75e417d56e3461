// SPDX-License-Identifier: MIT
/*
 * System V shared memory's files, as Linux 6.1's ipc/ipc_sysctl.c and ipc/util.c's proc
 * interface: /proc/sys/kernel/shmmax, shmall, shmmni and shm_rmid_forced, and /proc/sysvipc/shm.
 */
#include "ipc/shm.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/string.h"

/* kernel.shm_rmid_forced: setting it destroys the orphans nobody has attached. */
static int shm_rmid_forced_store(int *value, int v)
{
	*value = v;
	if (v)
		shm_destroy_orphaned();
	return 0;
}

/* /proc/sysvipc/shm: a header, then one line per segment by index (Linux's sysvipc_shm_proc_show).
 */
static int sysvipc_shm_show(struct seq_buf *m)
{
	seq_printf(
		m,
		"       key      shmid perms                  size  cpid  lpid nattch   uid   gid "
		" cuid  cgid      atime      dtime      ctime                   rss            "
		"      swap\n");
	down_read(&shm_ids.rwsem);
	for (int idx = 0;; idx++) {
		struct kern_ipc_perm *p = ipc_next(&shm_ids, &idx);

		if (!p)
			break;
		struct shmid_kernel *shp = container_of(p, struct shmid_kernel, shm_perm);
		seq_printf(
			m,
			"%10d %10d  %4o %21llu %5u %5u  %5llu %5u %5u %5u %5u %10llu %10llu %10llu "
			"%21llu %21llu\n",
			p->key, p->id, p->mode, (unsigned long long)shp->shm_segsz, shp->shm_cprid,
			shp->shm_lprid, (unsigned long long)shp->shm_nattch, p->uid, p->gid,
			p->cuid, p->cgid, (unsigned long long)shp->shm_atim,
			(unsigned long long)shp->shm_dtim, (unsigned long long)shp->shm_ctim,
			(unsigned long long)(shm_rss_pages(shp) * PAGE_SIZE), 0ULL);
	}
	up_read(&shm_ids.rwsem);
	return 0;
}

int ipc_sysctl_init(void)
{
	struct inode *kernel = proc_sys_subdir("kernel");
	struct inode *sysvipc = proc_mkdir(NULL, "sysvipc");
	int err = -ENOMEM;

	if (kernel && sysvipc) {
		err = proc_create_ulong(kernel, "shmmax", 0644, &shm_ctlmax, NULL);
		if (!err)
			err = proc_create_ulong(kernel, "shmall", 0644, &shm_ctlall, NULL);
		if (!err)
			err = proc_create_int(kernel, "shmmni", 0644, &shm_ctlmni, 0, IPCMNI);
		if (!err) /* root may write it (Linux: 0666 with CAP_CHECKPOINT_RESTORE) */
			err = proc_create_int(kernel, "shm_next_id", 0644, &shm_ids.next_id, -1,
					      0x7fffffff);
		if (!err)
			err = proc_create_int_store(kernel, "shm_rmid_forced", 0644,
						    &shm_rmid_forced, 0, 1, shm_rmid_forced_store);
		if (!err)
			err = proc_create_seq(sysvipc, "shm", 0444, sysvipc_shm_show, NULL);
	}
	if (kernel)
		iput(kernel);
	if (sysvipc)
		iput(sysvipc);
	return err;
}
