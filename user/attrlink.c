/* attrlink: chmod/fchmod/fchmodat, chown/fchown/lchown/fchownat, utimensat/utimes and
 * link/linkat as Linux 6.1 has them as root, on files under /tmp/attrlink.d: the mode bits kept
 * and the file type left alone, chown's -1 and its clearing of set-id bits, the times set, now
 * and omitted, link counts, and the errors EINVAL, EFAULT, EBADF, ENOENT, ENOTDIR, EEXIST, EPERM,
 * EXDEV. Raw system calls (common.h); each line is "what: result".
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define D "/tmp/attrlink.d"
#define BAD ((long)1)

/* Prints mode (octal), link count, owner and group of path (lstat). */
static void show_stat(const char *what, const char *path)
{
	struct stat st;

	if (lstat(path, &st)) {
		printf("%s: stat %s\n", what, errname(errno));
		return;
	}
	printf("%s: mode %o nlink %lu uid %u gid %u\n", what, st.st_mode,
	       (unsigned long)st.st_nlink, st.st_uid, st.st_gid);
}

/* Prints atime and mtime of path (seconds.nanoseconds). */
static void show_times(const char *what, const char *path)
{
	struct stat st;

	stat(path, &st);
	printf("%s: atime %ld.%09ld mtime %ld.%09ld\n", what, (long)st.st_atim.tv_sec,
	       st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

/* Runs the cases. */
int main(void)
{
	struct timespec ts[2];
	struct timeval tv[2];
	struct stat st;
	int fd;

	ensure_tmp();
	umask(022);
	mkdir(D, 0755);
	fd = open(D "/f", O_CREAT | O_RDWR, 0644);
	mkdir(D "/dir", 0755);
	symlink("f", D "/sym");

	show("chmod 4751", sys2(SYS_chmod, (long)D "/f", 04751));
	show_stat("f", D "/f");
	show("chmod 0177777", sys2(SYS_chmod, (long)D "/f", 0177777));
	show_stat("f", D "/f");
	show("chmod via symlink", sys2(SYS_chmod, (long)D "/sym", 0600));
	show_stat("f", D "/f");
	show_stat("sym", D "/sym");
	show("fchmod", sys2(SYS_fchmod, fd, 0640));
	show_stat("f", D "/f");
	show("fchmod bad fd", sys2(SYS_fchmod, 99, 0640));
	show("fchmodat", sys3(SYS_fchmodat, AT_FDCWD, (long)D "/dir", 01777));
	show_stat("dir", D "/dir");
	show("chmod missing", sys2(SYS_chmod, (long)D "/nope", 0644));
	show("chmod notdir", sys2(SYS_chmod, (long)D "/f/x", 0644));
	show("chmod efault", sys2(SYS_chmod, BAD, 0644));
	show("chmod empty", sys2(SYS_chmod, (long)"", 0644));

	sys2(SYS_chmod, (long)D "/f", 06755);
	show("chown 5 6", sys3(SYS_chown, (long)D "/f", 5, 6));
	show_stat("f", D "/f");
	sys2(SYS_chmod, (long)D "/f", 06745);
	show("chown -1 -1", sys3(SYS_chown, (long)D "/f", -1, -1));
	show_stat("f", D "/f");
	show("chown -1 9", sys3(SYS_chown, (long)D "/f", -1, 9));
	show_stat("f", D "/f");
	sys2(SYS_chmod, (long)D "/dir", 06755);
	show("chown dir", sys3(SYS_chown, (long)D "/dir", 1, 1));
	show_stat("dir", D "/dir");
	show("lchown sym", sys3(SYS_lchown, (long)D "/sym", 3, 4));
	show_stat("sym", D "/sym");
	show_stat("f", D "/f");
	show("fchown", sys3(SYS_fchown, fd, 0, 0));
	show_stat("f", D "/f");
	show("fchown bad fd", sys3(SYS_fchown, 99, 0, 0));
	show("fchownat nofollow",
	     sys6(SYS_fchownat, AT_FDCWD, (long)D "/sym", 7, 7, AT_SYMLINK_NOFOLLOW, 0));
	show_stat("sym", D "/sym");
	show("fchownat empty", sys6(SYS_fchownat, fd, (long)"", 8, 8, AT_EMPTY_PATH, 0));
	show_stat("f", D "/f");
	show("fchownat bad flag", sys6(SYS_fchownat, AT_FDCWD, (long)D "/f", 0, 0, 0x1, 0));
	show("fchownat empty no flag", sys6(SYS_fchownat, fd, (long)"", 8, 8, 0, 0));
	show("chown efault", sys3(SYS_chown, BAD, 0, 0));

	ts[0] = (struct timespec){ 1000000000, 123456789 };
	ts[1] = (struct timespec){ 981173106, 5 };
	show("utimensat", sys4(SYS_utimensat, AT_FDCWD, (long)D "/f", (long)ts, 0));
	show_times("f", D "/f");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1] = (struct timespec){ 1234567890, 0 };
	show("utimensat omit atime", sys4(SYS_utimensat, AT_FDCWD, (long)D "/f", (long)ts, 0));
	show_times("f", D "/f");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_OMIT;
	show("utimensat both omit", sys4(SYS_utimensat, AT_FDCWD, (long)D "/nope", (long)ts, 0));
	ts[0] = (struct timespec){ 0, 1000000000 };
	ts[1] = (struct timespec){ 0, 0 };
	show("utimensat bad nsec", sys4(SYS_utimensat, AT_FDCWD, (long)D "/f", (long)ts, 0));
	ts[0].tv_nsec = -1;
	show("utimensat negative nsec", sys4(SYS_utimensat, AT_FDCWD, (long)D "/f", (long)ts, 0));
	ts[0].tv_nsec = 0;
	show("utimensat bad flag", sys4(SYS_utimensat, AT_FDCWD, (long)D "/f", (long)ts, 0x2));
	show("utimensat efault times", sys4(SYS_utimensat, AT_FDCWD, (long)D "/f", BAD, 0));
	show("utimensat efault name", sys4(SYS_utimensat, AT_FDCWD, BAD, (long)ts, 0));
	show("utimensat fd", sys4(SYS_utimensat, fd, 0, (long)ts, 0));
	show_times("f", D "/f");
	show("utimensat fd nofollow", sys4(SYS_utimensat, fd, 0, (long)ts, AT_SYMLINK_NOFOLLOW));
	show("utimensat null cwd", sys4(SYS_utimensat, AT_FDCWD, 0, (long)ts, 0));
	show("utimensat bad fd", sys4(SYS_utimensat, 99, 0, (long)ts, 0));
	show("utimensat missing", sys4(SYS_utimensat, AT_FDCWD, (long)D "/nope", (long)ts, 0));
	ts[0] = (struct timespec){ 100, 0 };
	ts[1] = (struct timespec){ 200, 0 };
	show("utimensat nofollow sym",
	     sys4(SYS_utimensat, AT_FDCWD, (long)D "/sym", (long)ts, AT_SYMLINK_NOFOLLOW));
	lstat(D "/sym", &st);
	printf("sym: mtime %ld\n", (long)st.st_mtim.tv_sec);
	show_times("f", D "/f");
	tv[0] = (struct timeval){ 300, 7 };
	tv[1] = (struct timeval){ 400, 999999 };
	show("utimes", sys2(SYS_utimes, (long)D "/f", (long)tv));
	show_times("f", D "/f");
	tv[1].tv_usec = 1000000;
	show("utimes bad usec", sys2(SYS_utimes, (long)D "/f", (long)tv));
	show("utimes efault", sys2(SYS_utimes, (long)D "/f", BAD));

	show("link", sys2(SYS_link, (long)D "/f", (long)D "/g"));
	show_stat("f", D "/f");
	show("link exists", sys2(SYS_link, (long)D "/f", (long)D "/g"));
	show("link dir", sys2(SYS_link, (long)D "/dir", (long)D "/dir2"));
	show("link missing", sys2(SYS_link, (long)D "/nope", (long)D "/h"));
	show("link into missing dir", sys2(SYS_link, (long)D "/f", (long)D "/nodir/h"));
	show("link to proc", sys2(SYS_link, (long)D "/f", (long)"/proc/h"));
	show("link sym", sys2(SYS_link, (long)D "/sym", (long)D "/sym2"));
	show_stat("sym2", D "/sym2");
	show("linkat follow", sys6(SYS_linkat, AT_FDCWD, (long)D "/sym", AT_FDCWD, (long)D "/h",
				   AT_SYMLINK_FOLLOW, 0));
	show_stat("h", D "/h");
	show("linkat bad flag",
	     sys6(SYS_linkat, AT_FDCWD, (long)D "/f", AT_FDCWD, (long)D "/i", 0x100, 0));
	show("linkat empty path",
	     sys6(SYS_linkat, fd, (long)"", AT_FDCWD, (long)D "/i", AT_EMPTY_PATH, 0));
	show_stat("i", D "/i");
	show("linkat efault", sys6(SYS_linkat, AT_FDCWD, BAD, AT_FDCWD, (long)D "/j", 0, 0));
	show("unlink f", sys1(SYS_unlink, (long)D "/f"));
	show_stat("g", D "/g");
	show("unlink g h i", sys1(SYS_unlink, (long)D "/g") | sys1(SYS_unlink, (long)D "/h") |
				     sys1(SYS_unlink, (long)D "/i"));
	fstat(fd, &st);
	printf("fd nlink %lu\n", (unsigned long)st.st_nlink);
	show("linkat unlinked fd",
	     sys6(SYS_linkat, fd, (long)"", AT_FDCWD, (long)D "/k", AT_EMPTY_PATH, 0));
	show("fchmod unlinked", sys2(SYS_fchmod, fd, 0600));
	return 0;
}
