/* SPDX-License-Identifier: MIT */
/*
 * memfd_create(2) and file seals (Linux 6.1's mm/memfd.c and the seal checks of mm/shmem.c): a
 * memfd is an unlinked ramfs file named "memfd:NAME"; every ramfs regular file (Warden's tmpfs)
 * carries seals, F_SEAL_SEAL from birth unless memfd_create was given MFD_ALLOW_SEALING.
 * docs/memfd.md.
 */
#ifndef WARDEN_MM_MEMFD_H
#define WARDEN_MM_MEMFD_H

#include "fs/ramfs.h"
#include "kernel/errno.h"

#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034

#define F_SEAL_SEAL 0x0001 /* no more seals may be added */
#define F_SEAL_SHRINK 0x0002 /* the size may not shrink */
#define F_SEAL_GROW 0x0004 /* the size may not grow */
#define F_SEAL_WRITE 0x0008 /* no writes */
#define F_SEAL_FUTURE_WRITE 0x0010 /* no new writes; writable mappings made before go on */
#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)

#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#define MFD_HUGETLB 0x0004U
#define MFD_HUGE_SHIFT 26
#define MFD_HUGE_MASK 0x3fU
#define HPAGE_SIZE (2UL << 20) /* the only huge page size Warden knows (MFD_HUGE_2MB) */

long sys_memfd_create(const char __user *uname, unsigned int flags);

/* fcntl's F_ADD_SEALS and F_GET_SEALS (Linux's memfd_fcntl): the seals, 0, or -errno. */
long memfd_fcntl(struct file *file, unsigned int cmd, unsigned long arg);

/*
 * shmem_write_begin's check for a write of len bytes at pos: -EPERM when a write seal is set, or
 * F_SEAL_GROW and the write goes past the end of the file; else 0.
 */
static inline int shmem_write_check(struct inode *inode, s64 pos, size_t len)
{
	u32 seals = inode->i_seals;

	if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if ((seals & F_SEAL_GROW) && pos + (s64)len > inode->i_size)
		return -EPERM;
	return 0;
}

/* shmem_setattr's check of a new size: -EINVAL for a hugetlb memfd's size that is not a multiple
 * of its page size, -EPERM past F_SEAL_SHRINK or F_SEAL_GROW; else 0. */
static inline int shmem_setsize_check(struct inode *inode, s64 size)
{
	if (inode->i_fop == &hugetlbfs_file_operations && (u64)size % HPAGE_SIZE)
		return -EINVAL; /* hugetlbfs_setattr looks at this before the seals */
	if ((size < inode->i_size && (inode->i_seals & F_SEAL_SHRINK)) ||
	    (size > inode->i_size && (inode->i_seals & F_SEAL_GROW)))
		return -EPERM;
	return 0;
}

/*
 * The seals' say in an mmap of file with *vm_flags (Linux's seal_check_future_write in
 * shmem_mmap): a write-sealed file refuses shared writable mappings (EPERM) and takes
 * VM_MAYWRITE from its shared read-only ones, so mprotect cannot make them writable. 0 or -EPERM.
 */
int memfd_mmap_check(struct file *file, u64 *vm_flags);

/* True for a memfd made with MFD_HUGETLB (Linux's is_file_hugepages): no huge pages to map. */
bool is_file_hugepages(struct file *file);

/* The name of an unlinked memfd's inode ("memfd:NAME"), or NULL for any other inode. */
const char *memfd_name(struct inode *inode);

#endif
