// SPDX-License-Identifier: MIT
/*
 * fs/cpio.c: unpacking newc archives built here byte by byte: every entry type, modes, owners,
 * missing parents, "./" names, entries replacing others, archives one after another; then
 * malformed archives, each an error and never a crash, and random corruptions of a good one.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/test_fs.h"
#include "fs/cpio.h"
#include "kernel/vsprintf.h"

/* An archive being built. */
struct cpio {
	char buf[64 * 1024];
	size_t len;
};

/* Appends zero bytes up to a multiple of 4. */
static void cpio_pad(struct cpio *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/* Appends one entry: a header with these fields, the name and the data. */
static void cpio_add(struct cpio *a, const char *name, u32 mode, const void *data, u32 size,
		     u32 rmaj, u32 rmin)
{
	u32 namesize = (u32)strlen(name) + 1;

	a->len += (size_t)snprintf(a->buf + a->len, sizeof(a->buf) - a->len,
				   "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1,
				   mode, 7, 8, 1, 1234567890, size, 0, 0, rmaj, rmin, namesize, 0);
	memcpy(a->buf + a->len, name, namesize);
	a->len += namesize;
	cpio_pad(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	cpio_pad(a);
}

static void cpio_file(struct cpio *a, const char *name, u32 mode, const char *content)
{
	cpio_add(a, name, S_IFREG | mode, content, (u32)strlen(content), 0, 0);
}

static void cpio_trailer(struct cpio *a)
{
	cpio_add(a, "TRAILER!!!", 0, "", 0, 0, 0);
}

/* The content of a file, NUL-terminated, in buf (at most size - 1 bytes). */
static long read_file(const char *path, char *buf, size_t size)
{
	long fd = sys_open(path, O_RDONLY, 0);

	if (fd < 0)
		return fd;
	long n = sys_read((unsigned int)fd, buf, size - 1);
	sys_close((unsigned int)fd);
	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

/* The archive run-linux's mkinitramfs.sh makes, and more. */
static void build_archive(struct cpio *a)
{
	static char big[3 * PAGE_SIZE + 5];

	a->len = 0;
	cpio_add(a, "dev", S_IFDIR | 0755, "", 0, 0, 0);
	cpio_add(a, "dev/console", S_IFCHR | 0600, "", 0, 5, 1);
	cpio_add(a, "dev/null", S_IFCHR | 0666, "", 0, 1, 3);
	cpio_add(a, "dev/ttyS1", S_IFCHR | 0600, "", 0, 4, 65);
	cpio_add(a, "proc", S_IFDIR | 0755, "", 0, 0, 0);
	cpio_file(a, "init", 0755, "#!init");
	cpio_file(a, "prog", 0755, "\177ELF");
	cpio_file(a, "stdin", 0644, "");
	cpio_file(a, "./etc/passwd", 0600, "root:x:0:0::/:/bin/sh\n");
	cpio_add(a, "bin/sh", S_IFLNK | 0777, "busybox", 7, 0, 0);
	cpio_add(a, "/abs/link", S_IFLNK | 0777, "/etc/passwd", 11, 0, 0);
	cpio_file(a, "deep/a/b/c/file", 0644, "deep");
	cpio_add(a, "fifo", S_IFIFO | 0644, "", 0, 0, 0);
	memset(big, 'B', sizeof(big));
	cpio_add(a, "big", S_IFREG | 0644, big, sizeof(big), 0, 0);
	cpio_trailer(a);
}

HOST_TEST(fs_cpio_unpack)
{
	static struct cpio a;
	char buf[256];
	struct stat st;

	build_archive(&a);
	CHECK_EQ(fs_test_boot(a.buf, a.len), 0);
	CHECK_EQ(read_file("/init", buf, sizeof(buf)), 6);
	CHECK_STR_EQ(buf, "#!init");
	CHECK_EQ(sys_stat("/init", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0755);
	CHECK_EQ(st.st_uid, 7);
	CHECK_EQ(st.st_gid, 8);
	CHECK_EQ(st.st_mtime, 1234567890);
	CHECK_EQ(st.st_size, 6);
	CHECK_EQ(sys_stat("/stdin", &st), 0);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(sys_stat("/etc", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_EQ(sys_stat("/etc/passwd", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_EQ(read_file("/abs/link", buf, sizeof(buf)), 22);
	CHECK_EQ(sys_readlink("/bin/sh", buf, sizeof(buf)), 7);
	CHECK_MEM_EQ(buf, "busybox", 7);
	CHECK_EQ(sys_lstat("/bin/sh", &st), 0);
	CHECK_EQ(st.st_mode, S_IFLNK | 0777);
	CHECK_EQ(st.st_uid, 7);
	CHECK_EQ(read_file("/deep/a/b/c/file", buf, sizeof(buf)), 4);
	CHECK_EQ(sys_stat("/deep/a/b", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_EQ(sys_stat("/fifo", &st), -ENOENT); /* skipped */
	CHECK_EQ(sys_stat("/big", &st), 0);
	CHECK_EQ(st.st_size, 3 * PAGE_SIZE + 5);
	CHECK_EQ(st.st_blocks, 32);
	long fd = sys_open("/big", O_RDONLY, 0);
	CHECK_EQ(sys_pread64((unsigned int)fd, buf, 8, 3 * PAGE_SIZE), 5);
	CHECK_MEM_EQ(buf, "BBBBB", 5);
	sys_close((unsigned int)fd);
	/* Device nodes: the existing ones stay, new ones appear; /proc stays proc. */
	CHECK_EQ(sys_stat("/dev/ttyS1", &st), 0);
	CHECK_EQ(st.st_mode, S_IFCHR | 0600);
	CHECK_EQ(st.st_rdev, 0x441);
	CHECK_EQ(sys_open("/dev/ttyS1", O_WRONLY, 0), -ENXIO);
	CHECK_EQ(sys_stat("/dev/null", &st), 0);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(sys_stat("/dev", &st), 0);
	CHECK_EQ(st.st_uid, 7);
	CHECK_EQ(sys_stat("/proc", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0555);
	CHECK_EQ(sys_readlink("/proc/self/exe", buf, sizeof(buf)), 5);
	CHECK_EQ(sys_stat("/", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 01777);
}

HOST_TEST(fs_cpio_replace_and_concatenate)
{
	static struct cpio a;
	char buf[64];
	struct stat st;

	a.len = 0;
	cpio_file(&a, "x", 0644, "first");
	cpio_add(&a, "y", S_IFDIR | 0700, "", 0, 0, 0);
	cpio_add(&a, "z", S_IFLNK | 0777, "x", 1, 0, 0);
	cpio_add(&a, ".", S_IFDIR | 0755, "", 0, 0, 0);
	cpio_trailer(&a);
	memset(a.buf + a.len, 0, 512); /* padding between archives */
	a.len += 512;
	cpio_file(&a, "x", 0600, "2nd");
	cpio_file(&a, "y", 0644, "was a dir");
	cpio_add(&a, "x2", S_IFDIR | 0755, "", 0, 0, 0);
	cpio_file(&a, "x2/in", 0644, "");
	cpio_add(&a, "z", S_IFLNK | 0777, "other", 5, 0, 0);
	cpio_trailer(&a);
	CHECK_EQ(fs_test_boot(a.buf, a.len), 0);
	CHECK_EQ(read_file("/x", buf, sizeof(buf)), 3);
	CHECK_STR_EQ(buf, "2nd");
	CHECK_EQ(sys_stat("/x", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_EQ(sys_stat("/y", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(sys_readlink("/z", buf, sizeof(buf)), 1); /* an existing symlink stays */
	CHECK_EQ(sys_stat("/", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	/* A non-empty directory cannot be replaced by a file. */
	a.len = 0;
	cpio_file(&a, "x2", 0644, "no");
	cpio_trailer(&a);
	CHECK_EQ(unpack_initramfs(a.buf, a.len), -ENOTEMPTY);
	/* Nothing but zeros is an empty archive. */
	memset(a.buf, 0, 64);
	CHECK_EQ(unpack_initramfs(a.buf, 64), 0);
}

/* Builds a one-entry archive and lets a test spoil it; returns unpack's result. */
static int unpack_spoiled(void (*spoil)(struct cpio *a))
{
	static struct cpio a;

	a.len = 0;
	cpio_file(&a, "file", 0644, "content");
	cpio_trailer(&a);
	spoil(&a);
	return unpack_initramfs(a.buf, a.len);
}

static void spoil_nothing(struct cpio *a)
{
	(void)a;
}

static void spoil_magic(struct cpio *a)
{
	a->buf[5] = '2';
}

static void spoil_hex(struct cpio *a)
{
	a->buf[6 + 8 * 6 + 3] = 'g'; /* filesize */
}

static void spoil_truncate_header(struct cpio *a)
{
	a->len = 100;
}

static void spoil_truncate_data(struct cpio *a)
{
	a->len = 110 + 8 + 3;
}

static void spoil_no_trailer(struct cpio *a)
{
	a->len = 110 + 8 + 8;
}

static void spoil_namesize_zero(struct cpio *a)
{
	memcpy(a->buf + 6 + 8 * 11, "00000000", 8);
}

static void spoil_namesize_huge(struct cpio *a)
{
	memcpy(a->buf + 6 + 8 * 11, "FFFFFFFF", 8);
}

static void spoil_name_unterminated(struct cpio *a)
{
	a->buf[110 + 4] = 'X'; /* "file\0" -> "fileX" */
}

static void spoil_name_short(struct cpio *a)
{
	a->buf[110 + 2] = '\0'; /* a NUL before namesize says */
}

static void spoil_filesize_huge(struct cpio *a)
{
	memcpy(a->buf + 6 + 8 * 6, "7FFFFFFF", 8);
}

static void spoil_bad_type(struct cpio *a)
{
	memcpy(a->buf + 6 + 8 * 1, "000001A4", 8); /* mode 0644, no type */
}

static void spoil_junk_after(struct cpio *a)
{
	memcpy(a->buf + a->len, "junk", 4);
	a->len += 4;
}

static void spoil_empty_symlink(struct cpio *a)
{
	a->len = 0;
	cpio_add(a, "l", S_IFLNK | 0777, "", 0, 0, 0);
	cpio_trailer(a);
}

static void spoil_symlink_nul(struct cpio *a)
{
	a->len = 0;
	cpio_add(a, "l", S_IFLNK | 0777, "a\0b", 3, 0, 0);
	cpio_trailer(a);
}

static void spoil_long_name(struct cpio *a)
{
	char name[300];

	memset(name, 'n', 299);
	name[299] = '\0';
	a->len = 0;
	cpio_file(a, name, 0644, "");
	cpio_trailer(a);
}

static void spoil_under_file(struct cpio *a)
{
	a->len = 0;
	cpio_file(a, "f", 0644, "");
	cpio_file(a, "f/x", 0644, "");
	cpio_trailer(a);
}

static void spoil_dotdot_last(struct cpio *a)
{
	a->len = 0;
	cpio_file(a, "dir/..", 0644, "");
	cpio_trailer(a);
}

HOST_TEST(fs_cpio_malformed)
{
	struct stat st;

	fs_test_boot(NULL, 0);
	CHECK_EQ(unpack_spoiled(spoil_nothing), 0);
	CHECK_EQ(sys_stat("/file", &st), 0);
	CHECK_EQ(unpack_spoiled(spoil_magic), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_hex), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_truncate_header), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_truncate_data), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_no_trailer), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_namesize_zero), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_namesize_huge), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_name_unterminated), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_name_short), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_filesize_huge), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_bad_type), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_junk_after), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_empty_symlink), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_symlink_nul), -EINVAL);
	CHECK_EQ(unpack_spoiled(spoil_long_name), -ENAMETOOLONG);
	CHECK_EQ(unpack_spoiled(spoil_under_file), -ENOTDIR);
	CHECK_EQ(unpack_spoiled(spoil_dotdot_last), -EINVAL);
	/* fs_init() reports it, with the basic tree in place. */
	static struct cpio a;
	a.len = 0;
	cpio_file(&a, "ok", 0644, "");
	memcpy(a.buf + a.len, "070701", 6);
	a.len += 6;
	CHECK_EQ(fs_test_boot(a.buf, a.len), -EINVAL);
	CHECK_EQ(sys_stat("/ok", &st), 0);
	CHECK_EQ(sys_stat("/dev/null", &st), 0);
}

HOST_TEST(fs_cpio_random_corruption)
{
	static struct cpio good, bad;
	u64 seed = 12345;

	build_archive(&good);
	fs_test_boot(NULL, 0);
	for (int i = 0; i < 3000; i++) {
		memcpy(bad.buf, good.buf, good.len);
		bad.len = good.len;
		switch (host_random(&seed) % 3) {
		case 0: /* truncate */
			bad.len = host_random(&seed) % good.len;
			break;
		case 1: /* change bytes, mostly in the headers */
			for (int n = 1 + (int)(host_random(&seed) % 4); n; n--) {
				size_t at = host_random(&seed) % (i % 2 ? good.len : 600);
				bad.buf[at] = (char)host_random(&seed);
			}
			break;
		default: { /* a hex digit of a size field */
			size_t hdr = 0, at = host_random(&seed) % 2 ? 6 + 8 * 6 : 6 + 8 * 11;
			bad.buf[hdr + at + host_random(&seed) % 8] =
				"0123456789ABCDEF"[host_random(&seed) % 16];
		}
		}
		int err = unpack_initramfs(bad.buf, bad.len);
		CHECK_MSG(err <= 0, "iteration %d: %d", i, err);
	}
	/* The tree is still sound. */
	CHECK_EQ(unpack_initramfs(good.buf, good.len), 0);
	char buf[8];
	CHECK_EQ(read_file("/init", buf, sizeof(buf)), 6);
}
