// SPDX-License-Identifier: MIT
/*
 * fs/ file I/O through the system calls: read, write, lseek (every whence), pread64/pwrite64,
 * readv/writev, O_APPEND, sparse files and holes, truncation, the page cache's pages, files
 * unlinked while open, partial copies and EFAULT when user memory faults, and that every page
 * goes back to the frame allocator.
 */
#include <string.h>

#include "tests/host/test_fs.h"
#include "fs/uio.h"
#include "mm/frame.h"
#include "mm/slab.h"

/* A file opened O_RDWR|O_CREAT|O_TRUNC in /tmp. */
static int open_tmp(const char *path)
{
	return (int)sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
}

/* The inode behind a descriptor of the test task. */
static struct inode *fd_inode(int fd)
{
	struct file *f = fget(fd);
	struct inode *inode = f ? file_inode(f) : NULL;

	if (f)
		fput(f);
	return inode;
}

HOST_TEST(fs_read_write_seek)
{
	char buf[256];
	struct stat st;

	fs_test_boot(NULL, 0);
	int fd = open_tmp("/tmp/f");
	CHECK_EQ(fd, 3);
	CHECK_EQ(sys_write(fd, "hello world\n", 12), 12);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 12);
	CHECK_EQ(sys_read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_read(fd, buf, 5), 5);
	CHECK_MEM_EQ(buf, "hello", 5);
	CHECK_EQ(sys_lseek(fd, 1, SEEK_CUR), 6);
	CHECK_EQ(sys_read(fd, buf, sizeof(buf)), 6);
	CHECK_MEM_EQ(buf, "world\n", 6);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_END), 12);
	CHECK_EQ(sys_lseek(fd, -3, SEEK_END), 9);
	CHECK_EQ(sys_lseek(fd, -100, SEEK_CUR), -EINVAL);
	CHECK_EQ(sys_lseek(fd, -1, SEEK_SET), -EINVAL);
	CHECK_EQ(sys_lseek(fd, (s64)0x8000000000000000ULL, SEEK_SET), -EINVAL);
	CHECK_EQ(sys_lseek(fd, 0, 7), -EINVAL);
	CHECK_EQ(sys_lseek(fd, 0, (unsigned int)-1), -EINVAL);
	CHECK_EQ(sys_lseek(fd, 0x7fffffffffffffffLL, SEEK_CUR), -EINVAL);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 9);
	CHECK_EQ(sys_lseek(99, 0, SEEK_SET), -EBADF);
	/* Past EOF: the gap reads back as zeros. */
	CHECK_EQ(sys_lseek(fd, 20, SEEK_SET), 20);
	CHECK_EQ(sys_read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(sys_write(fd, "X", 1), 1);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 21);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_blocks, 8);
	CHECK_EQ(st.st_blksize, 4096);
	CHECK_EQ(sys_pread64(fd, buf, sizeof(buf), 0), 21);
	CHECK_MEM_EQ(buf, "hello world\n\0\0\0\0\0\0\0\0X", 21);
	/* pread64/pwrite64 keep the offset */
	CHECK_EQ(sys_lseek(fd, 4, SEEK_SET), 4);
	CHECK_EQ(sys_pwrite64(fd, "LL", 2, 2), 2);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 4);
	CHECK_EQ(sys_pread64(fd, buf, 5, 0), 5);
	CHECK_MEM_EQ(buf, "heLLo", 5);
	CHECK_EQ(sys_pread64(fd, buf, 5, -1), -EINVAL);
	CHECK_EQ(sys_pwrite64(fd, "z", 1, -1), -EINVAL);
	CHECK_EQ(sys_pread64(fd, buf, 16, 0x7ffffffffffffffeLL), -EINVAL);
	CHECK_EQ(sys_pwrite64(fd, buf, 16, 0x7ffffffffffffffeLL), -EINVAL);
	CHECK_EQ(sys_pread64(fd, buf, 5, 1000), 0);
	CHECK_EQ(sys_pread64(99, buf, 5, -1), -EINVAL);
	CHECK_EQ(sys_pread64(99, buf, 5, 0), -EBADF);
	CHECK_EQ(sys_pwrite64(fd, "Y", 1, 30), 1);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 31);
	/* Errors of read and write. */
	CHECK_EQ(sys_read(99, buf, 1), -EBADF);
	CHECK_EQ(sys_read((unsigned int)-1, buf, 1), -EBADF);
	CHECK_EQ(sys_write(fd, NULL, 0), 0);
	CHECK_EQ(sys_write(fd, NULL, 16), -EFAULT);
	CHECK_EQ(sys_read(fd, (void *)0xffff800000000000UL, 16), -EFAULT);
	CHECK_EQ(sys_write(fd, (void *)0x7ffffffff000UL, 0x2000), -EFAULT);
	CHECK_EQ(sys_read(fd, buf, (size_t)-1), -EFAULT);
	CHECK_EQ(sys_read(fd, buf, 1UL << 47), -EFAULT);
	CHECK_EQ(sys_close(fd), 0);
	CHECK_EQ(sys_close(fd), -EBADF);
	CHECK_EQ(sys_close(0x7fffffff), -EBADF);
	fd = (int)sys_open("/tmp/f", O_RDONLY, 0);
	CHECK_EQ(sys_write(fd, "x", 1), -EBADF);
	CHECK_EQ(sys_ftruncate(fd, 0), -EINVAL);
	CHECK_EQ(sys_fcntl(fd, F_GETFL, 0), O_LARGEFILE);
	sys_close(fd);
	fd = (int)sys_open("/tmp/f", O_WRONLY, 0);
	CHECK_EQ(sys_read(fd, buf, 1), -EBADF);
	sys_close(fd);
	fd = (int)sys_open("/tmp", O_RDONLY, 0);
	CHECK_EQ(sys_read(fd, buf, 1), -EISDIR);
	CHECK_EQ(sys_read(fd, buf, 0), -EISDIR);
	CHECK_EQ(sys_pread64(fd, buf, 1, 0), -EISDIR);
}

HOST_TEST(fs_append_readv_writev)
{
	char a[5] = { 0 }, b[64] = { 0 };
	struct stat st;

	fs_test_boot(NULL, 0);
	int fd = (int)sys_open("/tmp/app", O_CREAT | O_WRONLY | O_APPEND, 0600);
	CHECK_EQ(sys_write(fd, "one\n", 4), 4);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_write(fd, "two\n", 4), 4);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 8);
	CHECK_EQ(sys_pwrite64(fd, "X", 1, 0), 1); /* O_APPEND appends even pwrite64 */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 8);
	CHECK_EQ(sys_ftruncate(fd, 8), 0);
	CHECK_EQ(sys_fcntl(fd, F_GETFL, 0), O_LARGEFILE | O_WRONLY | O_APPEND);
	struct iovec wv[3] = { { "thr", 3 }, { "", 0 }, { "ee\n", 3 } };
	CHECK_EQ(sys_writev(fd, wv, 3), 6);
	sys_close(fd);
	fd = (int)sys_open("/tmp/app", O_RDONLY, 0);
	struct iovec rv[2] = { { a, 5 }, { b, sizeof(b) } };
	CHECK_EQ(sys_readv(fd, rv, 2), 14);
	CHECK_MEM_EQ(a, "one\nt", 5);
	CHECK_MEM_EQ(b, "wo\nthree\n", 9);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 14);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	/* iovec checks, in Linux's order */
	CHECK_EQ(sys_readv(fd, rv, 0), 0);
	CHECK_EQ(sys_readv(fd, rv, (unsigned long)-1), -EINVAL);
	CHECK_EQ(sys_readv(fd, rv, 1025), -EINVAL);
	CHECK_EQ(sys_readv(99, rv, (unsigned long)-1), -EBADF);
	CHECK_EQ(sys_readv(fd, NULL, 1), -EFAULT);
	CHECK_EQ(sys_readv(fd, (void *)0x7ffffffff000UL, 1), -EFAULT);
	CHECK_EQ(sys_writev(fd, rv, (unsigned long)-1), -EINVAL); /* 6.1: before the mode check */
	CHECK_EQ(sys_writev(fd, rv, 1), -EBADF);
	struct iovec bad[2] = { { (void *)0x7ffffffff000UL, ~0UL }, { b, 16 } };
	CHECK_EQ(sys_readv(fd, bad, 2), -EINVAL);
	bad[0].iov_len = 0x7fffffffffffffffUL;
	CHECK_EQ(sys_readv(fd, bad, 2), -EFAULT);
	bad[0] = (struct iovec){ (void *)0x7ffffffff000UL, 0x2000 };
	CHECK_EQ(sys_readv(fd, bad, 2), -EFAULT);
	bad[0] = (struct iovec){ NULL, 16 };
	CHECK_EQ(sys_readv(fd, bad, 2), 0); /* at the end of the file nothing is copied */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_readv(fd, bad, 2), -EFAULT);
	int null = (int)sys_open("/dev/null", O_RDWR, 0);
	CHECK_EQ(sys_writev(null, bad, 2), 32); /* /dev/null never touches the buffers */
	/* A readv whose second buffer faults part-way is a short read. */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	host_user_fault_range(b + 4, 16);
	struct iovec part[2] = { { a, 5 }, { b, 20 } };
	CHECK_EQ(sys_readv(fd, part, 2), 9);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 9);
	host_user_fault_range(NULL, 0);
	/* More iovecs than fit on the stack. */
	struct iovec many[20];
	char many_buf[20];
	for (int i = 0; i < 20; i++)
		many[i] = (struct iovec){ many_buf + i, 1 };
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_readv(fd, many, 20), 14);
	CHECK_MEM_EQ(many_buf, "one\ntwo\nthree\n", 14);
}

HOST_TEST(fs_sparse_files_and_page_cache)
{
	char buf[64];
	struct stat st;

	fs_test_boot(NULL, 0);
	u64 free_before = host_free_frames();
	int fd = open_tmp("/tmp/sparse");
	struct inode *inode = fd_inode(fd);
	CHECK_EQ(sys_pwrite64(fd, "abc", 3, 3 * PAGE_SIZE + 10), 3);
	CHECK_EQ(inode->i_pages.nrpages, 1);
	CHECK(filemap_get_page(inode, 0, false) == NULL);
	struct page *page = filemap_get_page(inode, 3, false);
	CHECK(page != NULL);
	CHECK_MEM_EQ((char *)page_address(page) + 10, "abc", 3);
	/* The page read() copies from is the one filemap_get_page() gives (mmap's page). */
	memcpy((char *)page_address(page) + 10, "xyz", 3);
	CHECK_EQ(sys_pread64(fd, buf, 3, 3 * PAGE_SIZE + 10), 3);
	CHECK_MEM_EQ(buf, "xyz", 3);
	/* A hole reads as zeros and allocates nothing. */
	memset(buf, 'Q', sizeof(buf));
	CHECK_EQ(sys_pread64(fd, buf, sizeof(buf), PAGE_SIZE - 32), 64);
	for (int i = 0; i < 64; i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(inode->i_pages.nrpages, 1);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 3 * PAGE_SIZE + 13);
	CHECK_EQ(st.st_blocks, 8);
	/* SEEK_DATA and SEEK_HOLE see pages, as tmpfs does. */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_DATA), 3 * PAGE_SIZE);
	CHECK_EQ(sys_lseek(fd, 3 * PAGE_SIZE + 5, SEEK_DATA), 3 * PAGE_SIZE + 5);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_HOLE), 0);
	CHECK_EQ(sys_lseek(fd, 3 * PAGE_SIZE + 1, SEEK_HOLE), 3 * PAGE_SIZE + 13);
	CHECK_EQ(sys_lseek(fd, 3 * PAGE_SIZE + 13, SEEK_DATA), -ENXIO);
	CHECK_EQ(sys_lseek(fd, -1, SEEK_HOLE), -ENXIO);
	CHECK_EQ(sys_pwrite64(fd, "z", 1, 0), 1);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_HOLE), PAGE_SIZE);
	/* Far offsets grow the radix tree; the largest offset still works. */
	CHECK_EQ(sys_pwrite64(fd, "far", 3, 1LL << 40), 3);
	CHECK_EQ(sys_pwrite64(fd, "e", 1, 0x7ffffffffffffffeLL), 1);
	CHECK_EQ(sys_pwrite64(fd, "e", 1, 0x7fffffffffffffffLL), -EINVAL);
	int afd = (int)sys_open("/tmp/sparse", O_WRONLY | O_APPEND, 0);
	CHECK_EQ(sys_write(afd, "e", 1), -EFBIG); /* appending at the largest size */
	sys_close(afd);
	CHECK_EQ(sys_pwrite64(fd, "ee", 2, 0x7ffffffffffffffeLL), -EINVAL);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 0x7fffffffffffffffLL);
	CHECK_EQ(sys_pread64(fd, buf, 8, 1LL << 40), 8);
	CHECK_MEM_EQ(buf, "far\0\0\0\0\0", 8);
	CHECK_EQ(sys_lseek(fd, 4 * PAGE_SIZE, SEEK_DATA), 1LL << 40);
	CHECK_EQ(sys_lseek(fd, (1LL << 40) + PAGE_SIZE, SEEK_DATA), 0x7ffffffffffff000LL);
	CHECK_EQ(inode->i_pages.nrpages, 4);
	/* Shrinking frees the pages past the end and zeroes the tail of the last one. */
	CHECK_EQ(sys_ftruncate(fd, 3 * PAGE_SIZE + 11), 0);
	CHECK_EQ(inode->i_pages.nrpages, 2);
	CHECK_EQ(sys_ftruncate(fd, 3 * PAGE_SIZE + 13), 0);
	CHECK_EQ(sys_pread64(fd, buf, 4, 3 * PAGE_SIZE + 10), 3);
	CHECK_MEM_EQ(buf, "x\0\0", 3);
	CHECK_EQ(sys_ftruncate(fd, 0), 0);
	CHECK_EQ(inode->i_pages.nrpages, 0);
	CHECK_EQ(sys_ftruncate(fd, -1), -EINVAL);
	CHECK_EQ(sys_ftruncate(fd, (unsigned long)0x8000000000000000ULL), -EINVAL);
	CHECK_EQ(sys_ftruncate(99, -1), -EINVAL);
	CHECK_EQ(sys_ftruncate(99, 0), -EBADF);
	CHECK_EQ(sys_close(fd), 0);
	CHECK_EQ(sys_unlink("/tmp/sparse"), 0);
	CHECK_EQ(host_free_frames(), free_before);
}

HOST_TEST(fs_truncate)
{
	char buf[16];
	struct stat st;

	fs_test_boot(NULL, 0);
	int fd = open_tmp("/tmp/t");
	CHECK_EQ(sys_write(fd, "abcdef", 6), 6);
	CHECK_EQ(sys_ftruncate(fd, 100), 0);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 100);
	CHECK_EQ(sys_ftruncate(fd, 3), 0);
	CHECK_EQ(sys_ftruncate(fd, 6), 0);
	CHECK_EQ(sys_pread64(fd, buf, sizeof(buf), 0), 6);
	CHECK_MEM_EQ(buf, "abc\0\0\0", 6);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 6); /* ftruncate keeps the offset */
	CHECK_EQ(sys_truncate("/tmp/t", 2), 0);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 2);
	CHECK_EQ(sys_truncate("/tmp", 0), -EISDIR);
	CHECK_EQ(sys_truncate("/tmp", -1), -EINVAL);
	CHECK_EQ(sys_truncate("/tmp/nope", 0), -ENOENT);
	CHECK_EQ(sys_truncate("/dev/null", 0), -EINVAL);
	CHECK_EQ(sys_truncate("", 0), -ENOENT);
	int dfd = (int)sys_open("/tmp", O_RDONLY, 0);
	CHECK_EQ(sys_ftruncate(dfd, 0), -EINVAL);
	int p[2];
	CHECK_EQ(sys_pipe(p), 0);
	CHECK_EQ(sys_ftruncate(p[1], 0), -EINVAL);
}

HOST_TEST(fs_unlinked_file_stays_open)
{
	char buf[16];
	struct stat st;

	fs_test_boot(NULL, 0);
	u64 free_before = host_free_frames();
	int fd = open_tmp("/tmp/u");
	CHECK_EQ(sys_write(fd, "still here", 10), 10);
	int fd2 = (int)sys_dup(fd);
	CHECK_EQ(sys_unlink("/tmp/u"), 0);
	CHECK_EQ(sys_stat("/tmp/u", &st), -ENOENT);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(sys_pread64(fd, buf, sizeof(buf), 0), 10);
	CHECK_MEM_EQ(buf, "still here", 10);
	CHECK_EQ(sys_close(fd), 0);
	CHECK_EQ(sys_write(fd2, "!", 1), 1);
	CHECK_EQ(sys_pread64(fd2, buf, sizeof(buf), 0), 11);
	CHECK(host_free_frames() < free_before);
	CHECK_EQ(sys_close(fd2), 0);
	CHECK_EQ(host_free_frames(), free_before);
	/* The same through a rename over the file and through an O_TMPFILE. */
	fd = open_tmp("/tmp/v");
	CHECK_EQ(sys_write(fd, "old", 3), 3);
	CHECK_EQ(sys_close((unsigned int)open_tmp("/tmp/w")), 0);
	CHECK_EQ(sys_rename("/tmp/w", "/tmp/v"), 0);
	CHECK_EQ(sys_pread64(fd, buf, 3, 0), 3);
	CHECK_MEM_EQ(buf, "old", 3);
	sys_close(fd);
	fd = (int)sys_open("/tmp", O_TMPFILE | O_RDWR, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(sys_write(fd, "tmp", 3), 3);
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	sys_close(fd);
	CHECK_EQ(sys_unlink("/tmp/v"), 0);
	CHECK_EQ(host_free_frames(), free_before);
}

HOST_TEST(fs_user_memory_faults)
{
	static char mem[2 * PAGE_SIZE];
	char *edge = mem + PAGE_SIZE; /* "unmapped" from here */

	fs_test_boot(NULL, 0);
	int fd = open_tmp("/tmp/e");
	for (int i = 0; i < 10; i++)
		CHECK_EQ(sys_write(fd, "0123456789", 10), 10);
	host_user_fault_range(edge, PAGE_SIZE);
	/* A read into a buffer that ends in an unmapped page is short; none at all is EFAULT. */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_read(fd, edge - 30, 200), 30);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 30);
	CHECK_EQ(sys_read(fd, edge, 200), -EFAULT);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 30);
	CHECK_EQ(sys_pread64(fd, edge - 10, 200, 50), 10);
	CHECK_MEM_EQ(edge - 10, "0123456789", 10);
	/* A write from one stops at the fault, keeping what came before it. */
	memcpy(edge - 4, "WXYZ", 4);
	CHECK_EQ(sys_pwrite64(fd, edge - 4, 100, 96), 4);
	struct stat st;
	CHECK_EQ(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 100);
	CHECK_EQ(sys_pwrite64(fd, edge, 10, 0), -EFAULT);
	/* /dev/zero: zeroes up to the fault */
	int z = (int)sys_open("/dev/zero", O_RDWR, 0);
	memset(edge - 8, 'Q', 8);
	CHECK_EQ(sys_read(z, edge - 8, 100), 8);
	CHECK_MEM_EQ(edge - 8, "\0\0\0\0\0\0\0\0", 8);
	CHECK_EQ(sys_read(z, edge, 100), -EFAULT);
	CHECK_EQ(sys_write(z, edge, 100), 100);
	/* stat into memory that faults */
	CHECK_EQ(sys_fstat(fd, (struct stat *)(edge - 100)), -EFAULT);
	/* getdents64 into memory that faults after one record */
	int dfd = (int)sys_open("/", O_RDONLY, 0);
	CHECK_EQ(sys_getdents64(dfd, (void *)(edge - 30), 4096), 24);
	CHECK_EQ(sys_lseek(dfd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_getdents64(dfd, (void *)edge, 4096), -EFAULT);
	host_user_fault_range(NULL, 0);
}

HOST_TEST(fs_exec_files)
{
	char buf[8];

	fs_test_boot(NULL, 0);
	int fd = (int)sys_open("/tmp/prog", O_CREAT | O_WRONLY, 0755);
	CHECK_EQ(sys_write(fd, "\177ELF....", 8), 8);
	sys_close(fd);
	fd = (int)sys_open("/tmp/noexec", O_CREAT | O_WRONLY, 0644);
	sys_close(fd);
	struct file *f = open_exec("/tmp/prog");
	CHECK(!IS_ERR(f));
	CHECK_EQ(kernel_read(f, buf, 8, 0), 8);
	CHECK_MEM_EQ(buf, "\177ELF", 4);
	CHECK_EQ(kernel_read(f, buf, 8, 6), 2);
	CHECK(S_ISREG(file_inode(f)->i_mode));
	CHECK(!file_writable(f));
	CHECK_EQ(file_mmap_kind(f), FILE_MMAP_PAGES);
	fput(f);
	CHECK_EQ(PTR_ERR(open_exec("/tmp/noexec")), -EACCES);
	CHECK_EQ(PTR_ERR(open_exec("/tmp")), -EACCES);
	CHECK_EQ(PTR_ERR(open_exec("/dev/null")), -EACCES);
	CHECK_EQ(PTR_ERR(open_exec("/tmp/nope")), -ENOENT);
	CHECK_EQ(PTR_ERR(open_exec("/tmp/prog/")), -ENOTDIR);
	CHECK_EQ(sys_symlink("/tmp/prog", "/tmp/lnk"), 0);
	f = open_exec("/tmp/lnk");
	CHECK(!IS_ERR(f));
	fput(f);
	/* filp_open and kernel_write */
	f = filp_open("/tmp/k", O_CREAT | O_RDWR, 0600);
	CHECK(!IS_ERR(f));
	CHECK_EQ(kernel_write(f, "kernel", 6, 2), 6);
	CHECK_EQ(kernel_read(f, buf, 8, 0), 8);
	CHECK_MEM_EQ(buf, "\0\0kernel", 8);
	CHECK(file_writable(f));
	fput(f);
	f = filp_open("/dev/zero", O_RDONLY, 0);
	CHECK_EQ(file_mmap_kind(f), FILE_MMAP_ANON);
	fput(f);
	f = filp_open("/tmp", O_RDONLY, 0);
	CHECK_EQ(file_mmap_kind(f), FILE_MMAP_NONE);
	fput(f);
	CHECK_EQ(PTR_ERR(filp_open("/tmp/k", O_CREAT | O_EXCL | O_RDWR, 0600)), -EEXIST);
	char *path = kmalloc(64, 0);
	CHECK_STR_EQ(d_path(fs_root, path, 64), "/");
	struct inode *inode;
	CHECK_EQ(path_lookupat(AT_FDCWD, "/tmp/k", 0, &inode), 0);
	CHECK_STR_EQ(d_path(inode, path, 64), "/tmp/k");
	CHECK_EQ(PTR_ERR(d_path(inode, path, 6)), -ENAMETOOLONG);
	iput(inode);
	kfree(path);
}
