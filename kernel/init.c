// SPDX-License-Identifier: MIT
/*
 * Starting the first user program, PID 1. The kernel command line names it with init= (default
 * /init) and gives its arguments after a lone "--", one word each, %XX-decoded (so an argument
 * may hold spaces: tools/run-program encodes them). Like Linux, the kernel hands init the
 * environment HOME=/ TERM=linux.
 */
#include "kernel/init.h"
#include "kernel/cmdline.h"
#include "kernel/exec.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "arch/x86_64/process.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"

#define MAX_INIT_ARGS 64

static char init_args_buf[1024];
static const char *init_argv[MAX_INIT_ARGS + 2];
static const char *const init_envp[] = { "HOME=/", "TERM=linux", NULL };

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

/* PID 1's first code, in the kernel: become the init program. */
static void run_init(void *path)
{
	parse_init_args(path);
	int err = kernel_execve(path, init_argv, init_envp);
	if (err)
		panic("cannot run init program %s: error %d", (const char *)path, err);
}

void start_init(void)
{
	const char *path = cmdline_get("init");
	struct task_struct *t = task_create();

	if (!path || !*path)
		path = "/init";
	if (!t || !(t->files = files_alloc_console()) || !(t->fs = fs_alloc_root()) ||
	    !(t->sighand = sighand_alloc(NULL)))
		panic("start_init: out of memory");
	rlimit_init(t);
	t->pgid = t->sid = 0; /* Linux's init_struct_pid: group and session 0 until setsid */
	t->signal_flags |= SIGNAL_UNKILLABLE; /* Linux's init protection, see kernel/signal.c */
	strlcpy(t->comm, "init", sizeof(t->comm));
	arch_setup_kernel_thread(t, run_init, (void *)path);
	sched_add_task(t);
	t->state = TASK_RUNNING;
	pr_info("init: starting %s as PID %d\n", path, t->pid);
}
