// SPDX-License-Identifier: MIT
/*
 * memfd_create(2) and file seals, as Linux 6.1's mm/memfd.c with the seal checks of
 * mm/shmem.c (docs/memfd.md). A memfd is a ramfs regular file that never had a name: i_nlink 0,
 * freed with its last reference, named "memfd:NAME" for /proc/PID/maps and /proc/PID/fd.
 */
#include "mm/memfd.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "fs/fdtable.h"
#include "fs/ramfs.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define MFD_NAME_PREFIX "memfd:"
#define MFD_NAME_PREFIX_LEN (sizeof(MFD_NAME_PREFIX) - 1)
#define MFD_NAME_MAX_LEN (NAME_MAX - MFD_NAME_PREFIX_LEN)
#define MFD_ALL_FLAGS (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB)

const char *memfd_name(struct inode *inode)
{
	return inode->i_flags & S_MEMFD ? inode->i_private : NULL;
}

bool is_file_hugepages(struct file *file)
{
	return file->f_op == &hugetlbfs_file_operations;
}

/* The seals of file (Linux's memfd_file_seals_ptr): ramfs (tmpfs) regular files have them. */
static u32 *memfd_file_seals_ptr(struct file *file)
{
	struct inode *inode = file_inode(file);

	if (file->f_op != &ramfs_file_operations && !is_file_hugepages(file))
		return NULL;
	return &inode->i_seals;
}

/* F_ADD_SEALS (Linux's memfd_add_seals), its checks in Linux's order. */
static long memfd_add_seals(struct file *file, unsigned int seals)
{
	u32 *file_seals;

	if (!(file->f_mode & FMODE_WRITE))
		return -EPERM;
	if (seals & ~(unsigned int)F_ALL_SEALS)
		return -EINVAL;
	file_seals = memfd_file_seals_ptr(file);
	if (!file_seals)
		return -EINVAL;
	if (*file_seals & F_SEAL_SEAL)
		return -EPERM;
	/* Nothing may write once F_SEAL_WRITE is set: no shared writable mapping may exist. */
	if ((seals & F_SEAL_WRITE) && !(*file_seals & F_SEAL_WRITE) &&
	    mapping_writably_mapped(file_inode(file)))
		return -EBUSY;
	*file_seals |= seals;
	return 0;
}

long memfd_fcntl(struct file *file, unsigned int cmd, unsigned long arg)
{
	u32 *seals;

	switch (cmd) {
	case F_ADD_SEALS:
		if (arg > 0xffffffffUL)
			return -EINVAL; /* the upper 32 bits are refused, not ignored */
		return memfd_add_seals(file, (unsigned int)arg);
	case F_GET_SEALS:
		seals = memfd_file_seals_ptr(file);
		return seals ? (long)*seals : -EINVAL;
	default:
		return -EINVAL;
	}
}

int memfd_mmap_check(struct file *file, u64 *vm_flags)
{
	u32 *seals = memfd_file_seals_ptr(file);

	if (!seals || !(*seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return 0;
	if ((*vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE))
		return -EPERM;
	if (*vm_flags & VM_SHARED)
		*vm_flags &= ~VM_MAYWRITE;
	return 0;
}

/*
 * The file of a new memfd called name (kmalloc'd "memfd:NAME", which the inode takes): Linux's
 * shmem_file_setup, or hugetlb_file_setup for MFD_HUGETLB. NULL when memory runs out.
 */
static struct file *memfd_file_setup(char *name, bool hugetlb)
{
	struct inode *inode = ramfs_new_inode(NULL, S_IFREG | 0777, 0);

	if (!inode)
		return NULL;
	inode->i_nlink = 0; /* no name: freed with its last reference */
	if (hugetlb)
		inode->i_fop = &hugetlbfs_file_operations;
	struct file *f = alloc_file(inode, O_RDWR | O_LARGEFILE, inode->i_fop);
	if (f) {
		inode->i_flags |= S_MEMFD; /* the name is the inode's from now on */
		inode->i_private = name;
	}
	iput(inode); /* the file holds its own reference */
	return f;
}

long sys_memfd_create(const char __user *uname, unsigned int flags)
{
	if (!(flags & MFD_HUGETLB)) {
		if (flags & ~MFD_ALL_FLAGS)
			return -EINVAL;
	} else if (flags & ~(MFD_ALL_FLAGS | (MFD_HUGE_MASK << MFD_HUGE_SHIFT))) {
		return -EINVAL; /* with MFD_HUGETLB, a huge page size may be encoded */
	}
	char *name = kmalloc(MFD_NAME_PREFIX_LEN + MFD_NAME_MAX_LEN + 2, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	memcpy(name, MFD_NAME_PREFIX, MFD_NAME_PREFIX_LEN);
	/* The length with its NUL may be at most MFD_NAME_MAX_LEN + 1 (strnlen_user's rule). */
	long len = strncpy_from_user(name + MFD_NAME_PREFIX_LEN, uname, MFD_NAME_MAX_LEN + 2);
	long err = len < 0 ? -EFAULT : len > (long)MFD_NAME_MAX_LEN ? -EINVAL : 0;
	if (err) {
		kfree(name);
		return err;
	}
	int fd = get_unused_fd_flags(flags & MFD_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0) {
		kfree(name);
		return fd;
	}
	unsigned int hsize = (flags >> MFD_HUGE_SHIFT) & MFD_HUGE_MASK;
	if ((flags & MFD_HUGETLB) && hsize && hsize != 21) {
		put_unused_fd((unsigned int)fd);
		kfree(name);
		return -ENODEV; /* no such huge page size (hstate) */
	}
	struct file *file = memfd_file_setup(name, flags & MFD_HUGETLB);
	if (!file) {
		put_unused_fd((unsigned int)fd);
		kfree(name);
		return -ENOMEM;
	}
	/* memfd_create's file is seekable and positioned, with O_LARGEFILE, as Linux's. */
	if (flags & MFD_ALLOW_SEALING)
		file_inode(file)->i_seals &= ~F_SEAL_SEAL;
	fd_install((unsigned int)fd, file);
	return fd;
}
