// SPDX-License-Identifier: MIT
/*
 * System V shared memory: shmget, shmat, shmdt and the segments' life, as Linux 6.1's ipc/shm.c
 * (ipc/shm.h, docs/shm.md). shmctl is in ipc/shmctl.c, the sysctls and /proc/sysvipc/shm in
 * ipc/ipc_sysctl.c.
 */
#include "ipc/shm.h"
#include "mm/internal.h"
#include "mm/mmap_lock.h"
#include "mm/overcommit.h"
#include "mm/slab.h"
#include "fs/ramfs.h"
#include "fs/filemap.h"
#include "fs/fs_context.h"
#include "arch/x86_64/time.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/vsprintf.h"

struct ipc_ids shm_ids = {
	.rwsem = RWSEM_INIT(shm_ids.rwsem), .max_idx = -1, .last_idx = -1, .next_id = -1
};
u64 shm_ctlmax = SHMMAX, shm_ctlall = SHMALL;
u64 shm_tot; /* pages of every segment, against shm_ctlall (Linux's ns->shm_tot) */
int shm_ctlmni = SHMMNI, shm_rmid_forced;

/* The file system of segments (Linux's internal shm mount): its anonymous device is 0:1. */
/* Linux keeps segments on an internal tmpfs mount (shm_mnt): its magic lets fallocate in. */
static struct super_block shm_sb = { .s_dev = 1, .s_blocksize = PAGE_SIZE, .s_magic = TMPFS_MAGIC };

static const struct file_operations shm_file_operations;

/* The wall clock in seconds (Linux's ktime_get_real_seconds). */
static s64 shm_now(void)
{
	return (s64)(current_time_ns() / 1000000000ULL);
}

/* Drops a reference to shp; the last one frees it. */
static void shm_put(struct shmid_kernel *shp)
{
	if (--shp->refcount == 0)
		kfree(shp);
}

/* Linux's shm_destroy: out of the set, its pages and commit charge go (the caller holds the set).
 */
static void shm_destroy(struct shmid_kernel *shp)
{
	u64 pages = (shp->shm_segsz + PAGE_SIZE - 1) >> PAGE_SHIFT;

	shm_tot -= pages;
	ipc_rmid(&shm_ids, &shp->shm_perm);
	shp->shm_creator = NULL;
	iput(shp->shm_inode); /* its commit charge goes with it (S_ACCOUNT) */
	shp->shm_inode = NULL;
	shm_put(shp);
}

/* Nobody attached, and removed or kernel.shm_rmid_forced (Linux's shm_may_destroy). */
static bool shm_may_destroy(struct shmid_kernel *shp)
{
	return shp->shm_nattch == 0 && (shm_rmid_forced || (shp->shm_perm.mode & SHM_DEST));
}

/* IPC_RMID (Linux's do_shm_rmid): at once when unattached, else at the last detach. */
void do_shm_rmid(struct shmid_kernel *shp)
{
	if (shp->shm_nattch) {
		shp->shm_perm.mode |= SHM_DEST;
		shp->shm_perm.key = IPC_PRIVATE; /* no longer found by its key */
	} else {
		shm_destroy(shp);
	}
}

/* The segment an attach file is of. */
static struct shmid_kernel *shm_file_data(struct file *file)
{
	return file->private_data;
}

/* A VMA of an attach was copied (fork, split, mremap): one more attach (Linux's shm_open). */
static void shm_vm_open(struct vm_area_struct *vma)
{
	struct shmid_kernel *shp = shm_file_data(vma->vm_file);

	down_write(&shm_ids.rwsem);
	shp->shm_atim = shm_now();
	shp->shm_lprid = current->tgid;
	shp->shm_nattch++;
	up_write(&shm_ids.rwsem);
}

/* Linux's __shm_close: one attach less; a segment that may go now goes. */
static void __shm_close(struct shmid_kernel *shp)
{
	down_write(&shm_ids.rwsem);
	shp->shm_lprid = current ? current->tgid : 0;
	shp->shm_dtim = shm_now();
	shp->shm_nattch--;
	if (!shp->shm_perm.deleted && shm_may_destroy(shp))
		shm_destroy(shp);
	up_write(&shm_ids.rwsem);
}

/* A VMA of an attach is freed (munmap, shmdt, exit, exec): Linux's shm_close. */
static void shm_vm_close(struct vm_area_struct *vma)
{
	__shm_close(shm_file_data(vma->vm_file));
}

/* The last reference to an attach file: its hold on the segment goes (Linux's shm_release). */
static void shm_release(struct inode *inode, struct file *file)
{
	(void)inode;
	shm_put(shm_file_data(file));
}

/* An attach file: no read or write, only its mappings (their faults use the inode's pages). */
static const struct file_operations shm_file_operations = {
	.release = shm_release,
	.vm_open = shm_vm_open,
	.vm_close = shm_vm_close,
};

/*
 * hugetlb_file_setup's check before it reserves huge pages: CAP_IPC_LOCK, or group 0
 * (vm.hugetlb_shm_group's default, can_do_hugetlb_shm), or the 2 MiB-aligned size within
 * RLIMIT_MEMLOCK (user_shm_lock, the obsolete path Linux warns about; segments the user has
 * locked already are not counted here). False means EPERM.
 */
static bool hugetlb_shm_allowed(u64 size)
{
	u64 limit = current->signal->rlim[RLIMIT_MEMLOCK].rlim_cur;
	u64 huge = 2ULL << 20;

	if (capable(CAP_IPC_LOCK) || in_group_p(0) || limit == RLIM_INFINITY)
		return true;
	return ((size + huge - 1) & ~(huge - 1)) >> PAGE_SHIFT <= limit >> PAGE_SHIFT;
}

/*
 * Linux's newseg: a new segment of size bytes for key, its checks in Linux's order (size against
 * SHMMIN and shmmax EINVAL, the pages against shmall ENOSPC, the commit charge ENOMEM, shmmni
 * ENOSPC). The id or -errno; the caller holds the set for writing.
 */
static int newseg(int key, u64 size, int shmflg)
{
	u64 numpages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (size < SHMMIN || size > shm_ctlmax)
		return -EINVAL;
	if (numpages << PAGE_SHIFT < size)
		return -ENOSPC;
	if (shm_tot + numpages < shm_tot || shm_tot + numpages > shm_ctlall)
		return -ENOSPC;
	struct shmid_kernel *shp = kzalloc(sizeof(*shp), GFP_KERNEL);
	if (!shp)
		return -ENOMEM;
	shp->shm_perm.key = key;
	shp->shm_perm.mode = (u32)shmflg & 0777;
	int err = -ENOMEM;
	if (shmflg & SHM_HUGETLB) {
		/* No huge pages (vm.nr_hugepages is 0): hugetlb_file_setup finds none to reserve.
		 */
		int sizelog = (shmflg >> SHM_HUGE_SHIFT) & SHM_HUGE_MASK;

		err = sizelog && sizelog != 21 ? -EINVAL : -ENOMEM;
		if (err == -ENOMEM && !hugetlb_shm_allowed(size))
			err = -EPERM;
		goto no_file;
	}
	/* shmem's checks: a size beyond MAX_LFS_FILESIZE, then the commit charge. */
	if (size > (u64)MAX_LFS_FILESIZE) {
		err = -EINVAL;
		goto no_file;
	}
	/* SHM_NORESERVE asks for no charge, which strict overcommit does not allow. */
	bool noreserve = (shmflg & SHM_NORESERVE) && sysctl_overcommit_memory != OVERCOMMIT_NEVER;
	if (!noreserve && security_vm_enough_memory_mm(current->mm, (long)numpages))
		goto no_file;
	struct inode *inode = ramfs_new_inode(NULL, S_IFREG | 0777, 0);
	char *name = inode ? kmalloc(16, GFP_KERNEL) : NULL;
	if (!name) {
		if (inode)
			iput(inode);
		if (!noreserve)
			vm_unacct_memory((long)numpages);
		goto no_file;
	}
	snprintf(name, 16, "SYSV%08x", (unsigned int)key);
	inode->i_nlink = 0; /* no name: freed with the segment's and the attaches' references */
	inode->i_size = (s64)size;
	inode->i_sb = &shm_sb;
	/* named in i_private, as a memfd; the charge goes back with the inode */
	inode->i_flags |= S_MEMFD | (noreserve ? 0 : S_ACCOUNT);
	inode->i_private = name;
	shp->shm_inode = inode;
	shp->shm_cprid = current->tgid;
	shp->shm_ctim = shm_now();
	shp->shm_segsz = size;
	shp->shm_creator = current;
	shp->refcount = 1;
	err = ipc_addid(&shm_ids, &shp->shm_perm, shm_ctlmni);
	if (err < 0) {
		iput(inode); /* and its charge */
		goto no_file;
	}
	inode->i_ino = (u64)shp->shm_perm.id; /* maps' inode column: ps and ipcs read it */
	shm_tot += numpages;
	return shp->shm_perm.id;
no_file:
	kfree(shp);
	return err;
}

/* Linux's ipcget_public for shm: an existing key's checks (EEXIST, EINVAL, EACCES) or newseg. */
static int shmget_public(int key, u64 size, int shmflg)
{
	struct kern_ipc_perm *ipcp = ipc_findkey(&shm_ids, key);

	if (!ipcp)
		return shmflg & IPC_CREAT ? newseg(key, size, shmflg) : -ENOENT;
	if ((shmflg & IPC_CREAT) && (shmflg & IPC_EXCL))
		return -EEXIST;
	struct shmid_kernel *shp = container_of(ipcp, struct shmid_kernel, shm_perm);
	if (shp->shm_segsz < size)
		return -EINVAL;
	if (ipcperms(ipcp, shmflg))
		return -EACCES;
	return ipcp->id;
}

long sys_shmget(int key, u64 size, int shmflg)
{
	down_write(&shm_ids.rwsem);
	long r = key == IPC_PRIVATE ? newseg(key, size, shmflg) : shmget_public(key, size, shmflg);
	up_write(&shm_ids.rwsem);
	return r;
}

/*
 * Linux's do_shmat: the address checks (a misaligned one EINVAL unless SHM_RND rounds it down;
 * SHM_REMAP needs one), the segment (EINVAL, EACCES), then a MAP_SHARED mapping of a new attach
 * file, MAP_FIXED at the address (EINVAL over existing mappings unless SHM_REMAP). The segment
 * counts the call as an attach while it runs, so IPC_RMID meanwhile cannot free it.
 */
static long do_shmat(int shmid, u64 addr, int shmflg)
{
	u64 flags = MAP_SHARED, prot;
	int acc_mode, f_flags;

	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SHMLBA - 1)) {
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			addr &= ~(SHMLBA - 1);
			if (!addr && (shmflg & SHM_REMAP))
				return -EINVAL;
		}
		flags |= MAP_FIXED;
	} else if (shmflg & SHM_REMAP) {
		return -EINVAL;
	}
	if (shmflg & SHM_RDONLY) {
		prot = PROT_READ;
		acc_mode = 0444;
		f_flags = O_RDONLY;
	} else {
		prot = PROT_READ | PROT_WRITE;
		acc_mode = 0666;
		f_flags = O_RDWR;
	}
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc_mode |= 0111;
	}
	down_write(&shm_ids.rwsem);
	struct kern_ipc_perm *ipcp = ipc_obtain_object_check(&shm_ids, shmid);
	if (!ipcp) {
		up_write(&shm_ids.rwsem);
		return -EINVAL;
	}
	if (ipcperms(ipcp, acc_mode)) {
		up_write(&shm_ids.rwsem);
		return -EACCES;
	}
	struct shmid_kernel *shp = container_of(ipcp, struct shmid_kernel, shm_perm);
	shp->shm_nattch++;
	u64 size = (u64)shp->shm_inode->i_size;
	struct file *file = alloc_file(shp->shm_inode, (u32)f_flags, &shm_file_operations);
	if (file) {
		shp->refcount++;
		file->private_data = shp;
	}
	up_write(&shm_ids.rwsem);

	long r = -ENOMEM;
	if (file) {
		struct mm_struct *mm = current->mm;

		mmap_write_lock(mm);
		if (addr && !(shmflg & SHM_REMAP) &&
		    (addr + size < addr ||
		     vma_tree_find_intersection(&mm->mm_rb, addr, addr + size)))
			r = -EINVAL;
		else
			r = do_mmap(mm, file, addr, size, prot, flags, 0);
		bool populate = r >= 0 && (mm->def_flags & VM_LOCKED);
		mmap_write_unlock(mm);
		if (populate)
			mm_populate((u64)r, PAGE_ALIGN(size));
		fput(file);
	}
	/* The call's own attach goes (no detach time: Linux drops it without __shm_close). */
	down_write(&shm_ids.rwsem);
	shp->shm_nattch--;
	if (!shp->shm_perm.deleted && shm_may_destroy(shp))
		shm_destroy(shp);
	up_write(&shm_ids.rwsem);
	return r;
}

long sys_shmat(int shmid, u64 shmaddr, int shmflg)
{
	return do_shmat(shmid, shmaddr, shmflg);
}

int shm_mmap_check(struct file *file)
{
	if (file->f_op != &shm_file_operations)
		return 0;
	return shm_file_data(file)->shm_perm.deleted ? -EINVAL : 0;
}

/* Is vma an attach of a segment whose first page would be at addr? */
static bool shm_vma_at(struct vm_area_struct *vma, u64 addr)
{
	return vma->vm_file && vma->vm_file->f_op == &shm_file_operations &&
	       vma->vm_start >= addr && (vma->vm_start - addr) / PAGE_SIZE == vma->vm_pgoff;
}

/*
 * Linux's shmdt: the first attach VMA at or above addr whose offset puts the segment's start at
 * addr is unmapped, then every other VMA of the same attach file within the segment's size from
 * addr (fragments left by mprotect or munmap). EINVAL when none starts there.
 */
long sys_shmdt(u64 addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct file *file = NULL;
	long retval = -EINVAL;
	u64 size = 0;

	if (addr & ~PAGE_MASK)
		return -EINVAL;
	mmap_write_lock(mm);
	for (vma = find_vma(mm, addr); vma; vma = vma->vm_next) {
		if (shm_vma_at(vma, addr)) {
			file = vma->vm_file;
			size = (u64)file_inode(file)->i_size;
			u64 end = vma->vm_end;
			get_file(file); /* only compared below, once its VMAs are gone */
			do_munmap(mm, vma->vm_start, vma->vm_end - vma->vm_start);
			retval = 0;
			vma = find_vma(mm, end);
			break;
		}
	}
	size = PAGE_ALIGN(size);
	while (vma && vma->vm_end - addr <= size) {
		u64 end = vma->vm_end;

		if (shm_vma_at(vma, addr) && vma->vm_file == file)
			do_munmap(mm, vma->vm_start, vma->vm_end - vma->vm_start);
		vma = find_vma(mm, end);
	}
	mmap_write_unlock(mm);
	if (file)
		fput(file);
	return retval;
}

u64 shm_rss_pages(struct shmid_kernel *shp)
{
	u64 n = 0;

	for (u64 pg = 0; (pg = filemap_next_page(shp->shm_inode, pg)) != ~0ULL; pg++)
		n++;
	return n;
}

void exit_shm(struct task_struct *task)
{
	down_write(&shm_ids.rwsem);
	for (int idx = 0;; idx++) {
		struct kern_ipc_perm *ipcp = ipc_next(&shm_ids, &idx);

		if (!ipcp)
			break;
		struct shmid_kernel *shp = container_of(ipcp, struct shmid_kernel, shm_perm);
		if (shp->shm_creator != task)
			continue;
		shp->shm_creator = NULL; /* an orphan now */
		if (shm_rmid_forced && shm_may_destroy(shp))
			shm_destroy(shp);
	}
	up_write(&shm_ids.rwsem);
}

void shm_destroy_orphaned(void)
{
	down_write(&shm_ids.rwsem);
	for (int idx = 0;; idx++) {
		struct kern_ipc_perm *ipcp = ipc_next(&shm_ids, &idx);

		if (!ipcp)
			break;
		struct shmid_kernel *shp = container_of(ipcp, struct shmid_kernel, shm_perm);
		if (!shp->shm_creator && shm_may_destroy(shp))
			shm_destroy(shp);
	}
	up_write(&shm_ids.rwsem);
}
