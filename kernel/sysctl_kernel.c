// SPDX-License-Identifier: MIT
/*
 * /proc/sys/kernel (Linux's kernel/sysctl.c table entries LTP reads): ostype and osrelease
 * (read-only strings, uname's), tainted (Linux's proc_taint: root may add taint bits, never
 * clear them), threads-max (fork's max_threads, [1, MAX_THREADS] as Linux's
 * sysctl_max_threads), pid_max ([RESERVED_PIDS + 1, PID_MAX_LIMIT]: pids cycle below it,
 * kernel/fork.c's alloc_pid) and core_pattern (a string of up to
 * 127 bytes written as Linux's proc_dostring: from the position written at, up to a newline or
 * NUL).
 */
#include "kernel/coredump.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "fs/vfs.h"

#define MAX_THREADS 0x3fffffff /* FUTEX_TID_MASK */
#define RESERVED_PIDS 300
#define PID_MAX_LIMIT (4 * 1024 * 1024)
#define TAINT_FLAGS_COUNT 19

static int sysctl_tainted;

static int ostype_show(struct seq_buf *m)
{
	seq_printf(m, "Linux\n");
	return 0;
}

static int osrelease_show(struct seq_buf *m)
{
	seq_printf(m, "%s\n", UTS_RELEASE);
	return 0;
}

/* tainted: the bits written are added to the kernel's (those Linux knows), none taken away. */
static int taint_store(int *value, int v)
{
	*value |= v & ((1 << TAINT_FLAGS_COUNT) - 1);
	return 0;
}

/* threads-max sets fork's limit on tasks. */
static int threads_max_store(int *value, int v)
{
	*value = v;
	max_threads = v;
	return 0;
}

static int core_pattern_show(struct seq_buf *m)
{
	seq_printf(m, "%s\n", core_pattern);
	return 0;
}

/*
 * Linux's _proc_do_string with sysctl_writes_strict: a write at a position past the string's
 * end is ignored; otherwise the string is cut there and the bytes written are appended up to a
 * newline or a NUL (127 at most). All the bytes count as written.
 */
static ssize_t core_pattern_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	size_t count = iov_iter_count(from), len = strlen(core_pattern);
	char buf[CORENAME_MAX_SIZE];

	(void)file;
	if (!count)
		return 0;
	if (*ppos > (s64)len)
		return (ssize_t)count;
	len = (size_t)*ppos;
	size_t take = count < sizeof(buf) ? count : sizeof(buf);
	if (copy_from_iter(buf, take, from) != take)
		return -EFAULT;
	*ppos += (s64)count;
	for (size_t i = 0; i < take && len < CORENAME_MAX_SIZE - 1; i++) {
		if (buf[i] == 0 || buf[i] == '\n')
			break;
		core_pattern[len++] = buf[i];
	}
	core_pattern[len] = 0;
	return (ssize_t)count;
}

int sysctl_kernel_init(void)
{
	struct inode *kernel = proc_sys_subdir("kernel");
	int err;

	if (!kernel)
		return -ENOMEM;
	err = proc_create_seq(kernel, "ostype", 0444, ostype_show, NULL);
	if (!err)
		err = proc_create_seq(kernel, "osrelease", 0444, osrelease_show, NULL);
	if (!err)
		err = proc_create_int_store(kernel, "tainted", 0644, &sysctl_tainted, 0, 0x7fffffff,
					    taint_store);
	if (!err)
		err = proc_create_int_store(kernel, "threads-max", 0644, &max_threads, 1,
					    MAX_THREADS, threads_max_store);
	if (!err)
		err = proc_create_int(kernel, "pid_max", 0644, &pid_max, RESERVED_PIDS + 1,
				      PID_MAX_LIMIT);
	if (!err)
		err = proc_create_seq(kernel, "core_pattern", 0644, core_pattern_show,
				      core_pattern_write);
	/* ostype and osrelease are read-only even for root (sysctl_perm) */
	for (int i = 0; !err && i < 2; i++) {
		const char *name = i ? "osrelease" : "ostype";
		struct inode *f = lookup_child(kernel, name, (u32)strlen(name));

		if (IS_ERR(f)) {
			err = PTR_ERR(f);
			break;
		}
		f->i_flags |= S_SYSCTL;
		iput(f);
	}
	iput(kernel);
	return err;
}
