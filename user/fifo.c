/* fifo: mknod/mknodat and FIFOs as Linux 6.1: the node types a ramfs makes (FIFO, regular,
 * character and block devices, sockets) with the umask applied, EEXIST/EPERM/EINVAL/ENOENT/
 * EFAULT; a FIFO's opens (O_NONBLOCK read alone, ENXIO for a non-blocking write open without a
 * reader, O_RDWR, a blocking open waiting for its partner in another process, EINTR when a
 * signal ends the wait), data through it and EOF; a block device without a driver and a socket
 * opened give ENXIO. Raw system calls (common.h); each line is "what: result".
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common.h"

#define D "/tmp/fifo.d"
#define BAD ((long)1)

/* Prints the type and mode (octal) and rdev of path. */
static void show_node(const char *what, const char *path)
{
	struct stat st;

	if (lstat(path, &st)) {
		printf("%s: stat %s\n", what, errname(errno));
		return;
	}
	printf("%s: mode %o rdev %u:%u size %ld\n", what, st.st_mode, major(st.st_rdev),
	       minor(st.st_rdev), (long)st.st_size);
}

/* An empty SIGALRM handler, so that a blocking open ends with EINTR. */
static void on_alarm(int sig)
{
	(void)sig;
}

/* Forks a child that sends us SIGALRM 50 ms from now. */
static void alarm_soon(void)
{
	if (fork() == 0) {
		usleep(50000);
		kill(getppid(), SIGALRM);
		_exit(0);
	}
}

/* Runs the cases. */
int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char buf[32];
	long r, w, n;
	int status;

	ensure_tmp();
	umask(022);
	mkdir(D, 0755);
	show("mknod fifo", sys3(SYS_mknod, (long)D "/p", S_IFIFO | 0666, 0));
	show_node("p", D "/p");
	show("mknod exists", sys3(SYS_mknod, (long)D "/p", S_IFIFO | 0666, 0));
	show("mknod dir", sys3(SYS_mknod, (long)D "/d", S_IFDIR | 0755, 0));
	show("mknod bad type", sys3(SYS_mknod, (long)D "/x", 0170000 | 0644, 0));
	show("mknod type 0", sys3(SYS_mknod, (long)D "/r", 0644, 0));
	show_node("r", D "/r");
	show("mknod reg", sys3(SYS_mknod, (long)D "/r2", S_IFREG | 0600, makedev(1, 3)));
	show_node("r2", D "/r2");
	show("mknod chr", sys3(SYS_mknod, (long)D "/null", S_IFCHR | 0666, makedev(1, 3)));
	show_node("null", D "/null");
	show("mknod blk", sys3(SYS_mknod, (long)D "/blk", S_IFBLK | 0600, makedev(7, 300)));
	show_node("blk", D "/blk");
	show("mknod sock", sys3(SYS_mknod, (long)D "/sock", S_IFSOCK | 0777, 0));
	show_node("sock", D "/sock");
	show("mknodat fifo", sys4(SYS_mknodat, AT_FDCWD, (long)D "/q", S_IFIFO | 0600, 0));
	show_node("q", D "/q");
	show("mknod missing dir", sys3(SYS_mknod, (long)D "/no/p", S_IFIFO | 0600, 0));
	show("mknod efault", sys3(SYS_mknod, BAD, S_IFIFO | 0600, 0));
	show("mknod empty", sys3(SYS_mknod, (long)"", S_IFIFO | 0600, 0));

	r = sys2(SYS_open, (long)D "/null", O_RDWR);
	show("open chr", r >= 0 ? 0 : r);
	show("read null", sys3(SYS_read, r, (long)buf, sizeof(buf)));
	show("write null", sys3(SYS_write, r, (long)"abc", 3));
	close((int)r);
	show("open blk", sys2(SYS_open, (long)D "/blk", O_RDONLY));
	show("open sock", sys2(SYS_open, (long)D "/sock", O_RDONLY));

	show("open wronly nonblock alone", sys2(SYS_open, (long)D "/p", O_WRONLY | O_NONBLOCK));
	r = sys2(SYS_open, (long)D "/p", O_RDONLY | O_NONBLOCK);
	show("open rdonly nonblock", r >= 0 ? 0 : r);
	show("read no writer", sys3(SYS_read, r, (long)buf, sizeof(buf)));
	w = sys2(SYS_open, (long)D "/p", O_WRONLY | O_NONBLOCK);
	show("open wronly nonblock with reader", w >= 0 ? 0 : w);
	show("read empty", sys3(SYS_read, r, (long)buf, sizeof(buf)));
	show("write", sys3(SYS_write, w, (long)"hello", 5));
	n = sys3(SYS_read, r, (long)buf, sizeof(buf));
	printf("read: %ld \"%.*s\"\n", n, n > 0 ? (int)n : 0, buf);
	close((int)w);
	show("read after writer closed", sys3(SYS_read, r, (long)buf, sizeof(buf)));
	close((int)r);
	r = sys2(SYS_open, (long)D "/p", O_RDWR);
	show("open rdwr", r >= 0 ? 0 : r);
	show("write rdwr", sys3(SYS_write, r, (long)"xy", 2));
	show("read rdwr", sys3(SYS_read, r, (long)buf, sizeof(buf)));
	struct stat st;
	fstat((int)r, &st);
	printf("fstat fifo: %s\n", S_ISFIFO(st.st_mode) ? "fifo" : "other");
	show("lseek fifo", sys3(SYS_lseek, r, 0, SEEK_SET));
	close((int)r);

	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(D "/p", O_WRONLY);

		write(fd, "from child", 10);
		_exit(fd >= 0 ? 0 : 1);
	}
	usleep(100000);
	r = sys2(SYS_open, (long)D "/p", O_RDONLY);
	show("blocking open rdonly", r >= 0 ? 0 : r);
	waitpid(pid, &status, 0);
	n = sys3(SYS_read, r, (long)buf, sizeof(buf));
	printf("read: %ld \"%.*s\" child %d\n", n, n > 0 ? (int)n : 0, buf, WEXITSTATUS(status));
	close((int)r);

	pid = fork();
	if (pid == 0) {
		usleep(100000);
		int fd = open(D "/p", O_RDONLY);

		n = read(fd, buf, sizeof(buf));
		_exit((int)n);
	}
	w = sys2(SYS_open, (long)D "/p", O_WRONLY);
	show("blocking open wronly", w >= 0 ? 0 : w);
	show("write", sys3(SYS_write, w, (long)"1234567", 7));
	close((int)w);
	waitpid(pid, &status, 0);
	printf("child read %d\n", WEXITSTATUS(status));

	sigaction(SIGALRM, &sa, NULL);
	alarm_soon();
	show("open rdonly interrupted", sys2(SYS_open, (long)D "/q", O_RDONLY));
	wait(NULL);
	alarm_soon();
	show("open wronly interrupted", sys2(SYS_open, (long)D "/q", O_WRONLY));
	wait(NULL);
	show("unlink fifo", sys1(SYS_unlink, (long)D "/p"));
	return 0;
}
