#define _GNU_SOURCE
/* procfdlink: /proc/self/fd/N as Linux's magic link. Opening it opens the descriptor's own
 * file again (an unlinked file, a memfd, a pipe, an O_PATH handle), with the new open's flags,
 * while readlink still gives the text; a walk through it reaches a directory's children. */
#include "common.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

static char path[64];

static const char *fdpath(int fd, const char *rest)
{
	snprintf(path, sizeof(path), "/proc/self/fd/%d%s", fd, rest);
	return path;
}

static void show_link(int fd)
{
	char buf[128];
	long n = readlink(fdpath(fd, ""), buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = 0;
	printf("readlink fd: %s\n", n > 0 ? buf : errname(errno));
}

static void test_memfd(void)
{
	int m = (int)sys2(SYS_memfd_create, (long)"magic", 0);
	char buf[32] = { 0 };

	write(m, "memfd data", 10);
	show_link(m);
	int r = open(fdpath(m, ""), O_RDONLY);
	show_libc("open memfd link O_RDONLY", r >= 0 ? 0 : -1);
	show("read through it", read(r, buf, sizeof(buf) - 1));
	printf("data %s\n", buf);
	struct stat a, b;
	fstat(m, &a);
	fstat(r, &b);
	printf("same inode: %d, offsets independent: %ld\n", a.st_ino == b.st_ino,
	       (long)lseek(m, 0, SEEK_CUR));
	show_libc("write through the O_RDONLY reopen", write(r, "x", 1));
	close(r);
	r = open(fdpath(m, ""), O_RDWR | O_CREAT | O_TRUNC, 0600);
	show_libc("open O_CREAT|O_TRUNC", r >= 0 ? 0 : -1);
	fstat(m, &a);
	printf("memfd size after O_TRUNC: %ld\n", (long)a.st_size);
	show("write through the reopen", write(r, "new", 3));
	pread(m, buf, 3, 0);
	printf("memfd reads %.3s\n", buf);
	show_libc("open O_CREAT|O_EXCL", open(fdpath(m, ""), O_RDWR | O_CREAT | O_EXCL, 0600));
	show_libc("open O_NOFOLLOW", open(fdpath(m, ""), O_RDONLY | O_NOFOLLOW));
	show_libc("open O_DIRECTORY", open(fdpath(m, ""), O_RDONLY | O_DIRECTORY));
	show_libc("open with a trailing slash", open(fdpath(m, "/"), O_RDONLY));
	show_libc("stat through it", stat(fdpath(m, ""), &b));
	printf("stat size %ld mode %o\n", (long)b.st_size, b.st_mode);
	show_libc("lstat of the link", lstat(fdpath(m, ""), &b));
	printf("lstat mode %o\n", b.st_mode);
	close(r);
	close(m);
}

static void test_deleted(void)
{
	char buf[32] = { 0 };

	ensure_tmp();
	int f = open("/tmp/gone", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(f, "still here", 10);
	unlink("/tmp/gone");
	int r = open(fdpath(f, ""), O_RDONLY);
	show_libc("open deleted file through fd link", r >= 0 ? 0 : -1);
	show("read", read(r, buf, sizeof(buf) - 1));
	printf("data %s\n", buf);
	struct stat st;
	fstat(r, &st);
	printf("nlink %ld\n", (long)st.st_nlink);
	close(r);
	close(f);
	show_libc("open after close", open(fdpath(f, ""), O_RDONLY));
}

static void test_pipe_dir_socket(void)
{
	int p[2], sv[2];
	char buf[16] = { 0 };

	pipe(p);
	int w = open(fdpath(p[0], ""), O_WRONLY);
	show_libc("open pipe read end's link O_WRONLY", w >= 0 ? 0 : -1);
	write(w, "via link", 8);
	show("read end gets", read(p[0], buf, sizeof(buf) - 1));
	printf("data %s\n", buf);
	close(w);
	close(p[0]);
	close(p[1]);
	mkdir("/tmp/dirlink", 0755);
	close(open("/tmp/dirlink/child", O_CREAT | O_WRONLY, 0644));
	int d = open("/tmp/dirlink", O_RDONLY | O_DIRECTORY);
	show_libc("stat dir/child through fd link", stat(fdpath(d, "/child"), &(struct stat){ 0 }));
	show_libc("open dir/child through fd link",
		  open(fdpath(d, "/child"), O_RDONLY) >= 0 ? 0 : -1);
	show_libc("open dir link O_DIRECTORY",
		  open(fdpath(d, ""), O_RDONLY | O_DIRECTORY) >= 0 ? 0 : -1);
	show_libc("mkdir through dir link", mkdir(fdpath(d, "/sub"), 0755));
	show_libc("the new dir exists", access("/tmp/dirlink/sub", F_OK));
	int m = (int)sys2(SYS_memfd_create, (long)"x", 0);
	show_libc("path through a file's link", open(fdpath(m, "/x"), O_RDONLY));
	int o = open("/tmp/dirlink/child", O_PATH);
	int r = open(fdpath(o, ""), O_RDWR);
	show_libc("reopen an O_PATH handle read-write", r >= 0 ? 0 : -1);
	show("write through it", write(r, "ok", 2));
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	show_libc("open a socket's link", open(fdpath(sv[0], ""), O_RDWR));
	show_libc("stat a socket's link", stat(fdpath(sv[0], ""), &(struct stat){ 0 }));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_memfd();
	test_deleted();
	test_pipe_dir_socket();
	return 0;
}
