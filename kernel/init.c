// SPDX-License-Identifier: MIT
/*
 * Starting the first user program, PID 1. The kernel command line names it with init= (default
 * /init) and says what it is given:
 *
 *   init_args=FILE   argv, the file's NUL-terminated strings (argv[0] included); without it,
 *                    argv[0] is the path and the words after a lone "--" on the command line
 *                    follow, one word each, %XX-decoded
 *   init_env=FILE    the environment, in the same format; without it HOME=/ TERM=linux, the
 *                    environment Linux hands init
 *   init_stdin=FILE  a file opened O_RDONLY as fd 0 (otherwise fd 0 is an empty console file)
 *   user_console=tty fds 0-2 on /dev/console (ttyS0), as Linux's console_on_rootfs opens them
 *
 * tools/run-program puts the files in the initramfs. Each is unlinked before the program starts,
 * so the program finds only itself there. A file that breaks the rules (not a regular file, not
 * NUL-terminated, a string longer than MAX_ARG_STRLEN, more than Linux's 6 MiB of strings and
 * pointers) or a failing execve stops init with a "init: cannot start" line and exit status 126,
 * never a panic: the file comes from outside the kernel.
 */
#include "kernel/init.h"
#include "kernel/binfmts.h"
#include "kernel/cmdline.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/err.h"
#include "kernel/exec.h"
#include "kernel/exit.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "kernel/vsprintf.h"
#include "arch/x86_64/process.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "mm/frame.h"
#include "mm/vmalloc.h"

/* Linux's largest execve string area (_STK_LIM / 4 * 3), the pointers to the strings included */
#define INIT_STRINGS_MAX (6UL << 20)

#define MAX_INIT_ARGS 64

static char init_args_buf[1024];
static const char *init_argv[MAX_INIT_ARGS + 2];
static const char *const init_envp[] = { "HOME=/", "TERM=linux", NULL };

/* A file of NUL-terminated strings (init_args=, init_env=) and the array that points into it. */
struct init_strings {
	char *buf;
	const char **vec;
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX escapes in place. */
static void percent_decode(char *s)
{
	char *out = s;

	for (; *s; s++) {
		int hi, lo;
		if (s[0] == '%' && (hi = hex_digit(s[1])) >= 0 && (lo = hex_digit(s[2])) >= 0) {
			*out++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Fills init_argv: the program path, then the words after " -- " on the command line. */
static void parse_init_args(const char *path)
{
	const char *cl = cmdline_string(), *rest = NULL;
	int argc = 0;

	for (const char *p = cl; (p = strchr(p, '-')); p++)
		if ((p == cl || p[-1] == ' ') && p[1] == '-' && (p[2] == ' ' || !p[2])) {
			rest = p[2] ? p + 3 : p + 2;
			break;
		}
	init_argv[argc++] = path;
	if (rest) {
		strlcpy(init_args_buf, rest, sizeof(init_args_buf));
		for (char *w = init_args_buf; *w && argc <= MAX_INIT_ARGS;) {
			while (*w == ' ')
				*w++ = '\0';
			if (!*w)
				break;
			init_argv[argc++] = w;
			while (*w && *w != ' ')
				w++;
		}
		for (int i = 1; i < argc; i++)
			percent_decode((char *)init_argv[i]);
	}
	init_argv[argc] = NULL;
}

/* Stops init before its program starts, saying why: the kernel's failure to start it is 126. */
static void __noreturn init_failed(const char *path, const char *why, long err)
{
	pr_emerg("init: cannot start %s: %s (error %ld)\n", path, why, err);
	do_exit(126 << 8);
}

/* Reads all of a regular file into a new vmalloc'd buffer with a NUL after it: 0 or -errno. */
static int read_whole_file(struct file *f, u64 max, char **bufp, u64 *sizep)
{
	struct inode *inode = file_inode(f);
	u64 size = (u64)inode->i_size, done = 0;

	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (size > max)
		return -E2BIG;
	char *buf = vmalloc(size + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (done < size) {
		ssize_t n = kernel_read(f, buf + done, size - done, done);
		if (n <= 0) {
			vfree(buf);
			return n < 0 ? (int)n : -EIO;
		}
		done += (u64)n;
	}
	buf[size] = '\0';
	*bufp = buf;
	*sizep = size;
	return 0;
}

/*
 * Loads the strings file that the command-line parameter param names into s and unlinks it;
 * false if the parameter is absent. A bad file stops init (init_failed), since run-program or
 * whoever wrote it asked for something this program cannot be given.
 */
static bool load_init_strings(const char *param, const char *path, struct init_strings *s)
{
	const char *name = cmdline_get(param);
	static char why[160];
	u64 size = 0, count = 0;
	int err;

	if (!name)
		return false;
	struct file *f = filp_open(name, O_RDONLY, 0);
	if (IS_ERR(f)) {
		snprintf(why, sizeof(why), "%s=%s cannot be opened", param, name);
		init_failed(path, why, PTR_ERR(f));
	}
	err = read_whole_file(f, INIT_STRINGS_MAX, &s->buf, &size);
	fput(f);
	do_unlinkat(AT_FDCWD, name);
	if (err) {
		snprintf(why, sizeof(why), "%s=%s is not a regular file of at most 6 MiB", param,
			 name);
		init_failed(path, why, err);
	}
	if (size && s->buf[size - 1] != '\0') {
		snprintf(why, sizeof(why), "%s=%s does not end with a NUL", param, name);
		init_failed(path, why, -EINVAL);
	}
	for (u64 i = 0, start = 0; i < size; i++) {
		if (s->buf[i])
			continue;
		if (i + 1 - start > MAX_ARG_STRLEN) {
			snprintf(why, sizeof(why),
				 "%s=%s: string %llu is %llu bytes with its NUL, over "
				 "MAX_ARG_STRLEN %lu",
				 param, name, (unsigned long long)count,
				 (unsigned long long)(i + 1 - start),
				 (unsigned long)MAX_ARG_STRLEN);
			init_failed(path, why, -E2BIG);
		}
		count++;
		start = i + 1;
	}
	if (size + count * sizeof(char *) > INIT_STRINGS_MAX) {
		snprintf(why, sizeof(why), "%s=%s: %llu strings of %llu bytes, over Linux's 6 MiB",
			 param, name, (unsigned long long)count, (unsigned long long)size);
		init_failed(path, why, -E2BIG);
	}
	s->vec = vmalloc((count + 1) * sizeof(char *), GFP_KERNEL);
	if (!s->vec)
		init_failed(path, "out of memory for init's strings", -ENOMEM);
	for (u64 i = 0, n = 0; i < size; i += strlen(s->buf + i) + 1)
		s->vec[n++] = s->buf + i;
	s->vec[count] = NULL;
	return true;
}

/* Installs file as descriptor fd of init (replacing the console file there). */
static void install_init_fd(const char *path, unsigned int fd, struct file *file)
{
	int err = replace_fd(fd, file, 0);

	if (err < 0)
		init_failed(path, "cannot install a standard descriptor", err);
}

/* Sets up fds 0-2 from user_console=tty and init_stdin= (unlinking the stdin file). */
static void setup_init_stdio(const char *path)
{
	const char *mode = cmdline_get("user_console"), *name = cmdline_get("init_stdin");

	if (mode && strcmp(mode, "tty") == 0) {
		struct file *f = filp_open("/dev/console", O_RDWR, 0);

		if (IS_ERR(f))
			init_failed(path, "cannot open /dev/console", PTR_ERR(f));
		for (unsigned int fd = 0; fd < 3; fd++)
			install_init_fd(path, fd, f);
		fput(f);
	}
	if (name) {
		struct file *f = filp_open(name, O_RDONLY, 0);

		if (IS_ERR(f))
			init_failed(path, "init_stdin= cannot be opened", PTR_ERR(f));
		do_unlinkat(AT_FDCWD, name);
		install_init_fd(path, 0, f);
		fput(f);
	}
}

/* PID 1's first code, in the kernel: set up its descriptors and become the init program. */
static void run_init(void *arg)
{
	const char *path = arg;
	struct init_strings args = { 0 }, env = { 0 };
	const char *const *argv = init_argv, *const *envp = init_envp;

	setup_init_stdio(path);
	if (load_init_strings("init_args", path, &args))
		argv = args.vec;
	else
		parse_init_args(path);
	if (load_init_strings("init_env", path, &env))
		envp = env.vec;
	int err = kernel_execve(path, argv, envp);
	if (err)
		init_failed(path, "execve failed", err);
	vfree(args.vec);
	vfree(args.buf);
	vfree(env.vec);
	vfree(env.buf);
}

/* Creates PID 1 with Linux init's ids, limits and protection; it runs run_init() first. */
void start_init(void)
{
	const char *path = cmdline_get("init");
	struct task_struct *t = task_create();

	if (!path || !*path)
		path = "/init";
	if (!t || task_alloc_pid(t, 0) || !(t->files = files_alloc_console()) ||
	    !(t->fs = fs_alloc_root()) || !(t->sighand = sighand_alloc(NULL)) ||
	    !(t->signal = signal_alloc(NULL)))
		panic("start_init: out of memory");
	attach_thread(t);
	rlimit_init(t);
	cred_init(&t->cred);
	t->signal->pgid = t->signal->sid = 0; /* Linux's init_struct_pid: group, session 0 */
	t->signal->flags |= SIGNAL_UNKILLABLE; /* Linux's init protection, see kernel/signal.c */
	strlcpy(t->comm, "init", sizeof(t->comm));
	arch_setup_kernel_thread(t, run_init, (void *)path);
	sched_add_task(t);
	wake_up_new_task(t);
	pr_info("init: starting %s as PID %d\n", path, t->pid);
}
