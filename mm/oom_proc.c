// SPDX-License-Identifier: MIT
/*
 * /proc/self/oom_score, oom_score_adj and oom_adj, as Linux 6.1's fs/proc/base.c makes them
 * (mm/oom_kill.h). oom_score is read when the file is opened (a seq file on Linux);
 * oom_score_adj and oom_adj are read at each read(2) (simple_read_from_buffer) and written
 * through kstrtoint's rules: base 0 ("0x" hex, leading 0 octal), one optional sign, blanks
 * around, a trailing newline; at most 12 bytes of a write are looked at (PROC_NUMBUF - 1) and
 * the write returns that count.
 */
#include "mm/oom_kill.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/frame.h"

#define PROC_NUMBUF 13
#define MAX_NON_LFS 0x7fffffffL /* proc's s_maxbytes: the largest offset its files seek to */

/*
 * Linux's proc_oom_score(): badness scaled into 0..2000, 0 for a process the killer never
 * chooses (init, oom_score_adj -1000).
 */
static int proc_oom_score_show(struct seq_buf *m)
{
	long totalpages = (long)nr_managed_frames();
	long badness = oom_badness(proc_task(), (u64)totalpages);
	unsigned long points = 0;

	if (badness != LONG_MIN)
		points = (unsigned long)((1000 + badness * 1000 / totalpages) * 2 / 3);
	seq_printf(m, "%lu\n", points);
	return 0;
}

/* Linux's simple_read_from_buffer() of a short text at *ppos. */
static ssize_t proc_oom_read_text(const char *text, size_t len, struct iov_iter *to, s64 *ppos)
{
	if (*ppos < 0)
		return -EINVAL;
	if ((u64)*ppos >= len)
		return 0;
	size_t n = min(len - (size_t)*ppos, iov_iter_count(to));
	size_t copied = copy_to_iter(text + *ppos, n, to);
	if (!copied && n)
		return -EFAULT;
	*ppos += (s64)copied;
	return (ssize_t)copied;
}

/* Linux's isspace(): its ctype table is Latin-1, so 0xa0 (no-break space) is a blank too. */
static bool oom_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (unsigned char)c == 0xa0;
}

/* Linux's strstrip(): drops trailing blanks in place, returns the text after leading ones. */
static char *oom_strstrip(char *s)
{
	size_t len = strlen(s);

	while (len && oom_isspace(s[len - 1]))
		s[--len] = '\0';
	while (oom_isspace(*s))
		s++;
	return s;
}

/* The value of digit c in base, or base itself if c is none. */
static unsigned int digit_value(char c, unsigned int base)
{
	unsigned int d = c >= '0' && c <= '9'	? (unsigned int)(c - '0')
			 : c >= 'a' && c <= 'f' ? (unsigned int)(c - 'a' + 10)
			 : c >= 'A' && c <= 'F' ? (unsigned int)(c - 'A' + 10)
						: 16;
	return d < base ? d : base;
}

/* Linux's _kstrtoull() with base 0: -EINVAL without digits or with junk, -ERANGE past u64. */
static int oom_kstrtoull(const char *s, u64 *res)
{
	unsigned int base = 10;
	u64 v = 0;
	int digits = 0;

	if (s[0] == '0') {
		base = 8;
		if ((s[1] == 'x' || s[1] == 'X') && digit_value(s[2], 16) < 16) {
			base = 16;
			s += 2;
		}
	}
	for (; digit_value(*s, base) < base; s++, digits++) {
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, digit_value(*s, base), &v))
			return -ERANGE;
	}
	if (!digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	return *s ? -EINVAL : (*res = v, 0);
}

/* Linux's kstrtoint(s, 0, res): an optional '-' or '+', then kstrtoull's number, in int range. */
static int oom_kstrtoint(const char *s, int *res)
{
	u64 tmp;
	int err;

	if (s[0] == '-') {
		err = oom_kstrtoull(s + 1, &tmp);
		if (err)
			return err;
		if ((s64)-tmp > 0 || (s64)-tmp != (int)(s64)-tmp)
			return -ERANGE;
		*res = (int)(s64)-tmp;
		return 0;
	}
	err = oom_kstrtoull(s[0] == '+' ? s + 1 : s, &tmp);
	if (err)
		return err;
	if ((s64)tmp < 0 || tmp > 0x7fffffff)
		return -ERANGE;
	*res = (int)tmp;
	return 0;
}

/*
 * Reads a written number as Linux's oom_score_adj_write/oom_adj_write do: the first 12 bytes
 * (fewer if the write is shorter), stripped, kstrtoint base 0. *count becomes the count the
 * write returns on success. 0 or -errno.
 */
static int proc_oom_get_int(struct iov_iter *from, size_t *count, int *val)
{
	char buffer[PROC_NUMBUF];

	memset(buffer, 0, sizeof(buffer));
	*count = min(iov_iter_count(from), sizeof(buffer) - 1);
	if (copy_from_iter(buffer, *count, from) != *count)
		return -EFAULT;
	return oom_kstrtoint(oom_strstrip(buffer), val);
}

/*
 * Linux's __set_oom_adj(): lowering oom_score_adj below the lowest value the process was given
 * by a privileged writer (oom_score_adj_min), or the legacy file lowering it at all, needs
 * CAP_SYS_RESOURCE (EACCES); a write through oom_score_adj by a writer with it sets the new
 * floor.
 */
static int set_oom_adj(struct task_struct *t, int oom_adj, bool legacy)
{
	const bool capable_sys_resource = capable(CAP_SYS_RESOURCE);

	if (legacy) {
		if (oom_adj < t->signal->oom_score_adj && !capable_sys_resource)
			return -EACCES;
		static bool warned;
		if (!warned) {
			warned = true;
			pr_warn("%s (%d): /proc/%d/oom_adj is deprecated, please use "
				"/proc/%d/oom_score_adj instead.\n",
				current->comm, current->pid, t->pid, t->pid);
		}
	} else if ((short)oom_adj < t->signal->oom_score_adj_min && !capable_sys_resource) {
		return -EACCES;
	}
	t->signal->oom_score_adj = (short)oom_adj;
	if (!legacy && capable_sys_resource)
		t->signal->oom_score_adj_min = (short)oom_adj;
	return 0;
}

/* The task a /proc/PID/oom_* file describes (the caller's for /proc/self), NULL once reaped. */
static struct task_struct *oom_file_task(struct file *file)
{
	struct inode *inode = file_inode(file);

	return inode->i_pid ? proc_pid_task(inode) : current;
}

/* /proc/PID/oom_score_adj: the value and a newline; ESRCH once the task is reaped. */
static ssize_t oom_score_adj_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	char buffer[PROC_NUMBUF];
	struct task_struct *t = oom_file_task(file);

	if (!t)
		return -ESRCH;
	int len = snprintf(buffer, sizeof(buffer), "%d\n", (int)t->signal->oom_score_adj);
	return proc_oom_read_text(buffer, (size_t)len, to, ppos);
}

/* Linux's oom_score_adj_write(): -1000..1000, else EINVAL. */
static ssize_t oom_score_adj_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	size_t count;
	int v, err;

	(void)ppos;
	err = proc_oom_get_int(from, &count, &v);
	if (!err && (v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX))
		err = -EINVAL;
	if (!err)
		err = oom_file_task(file) ? set_oom_adj(oom_file_task(file), v, false) : -ESRCH;
	return err ? err : (ssize_t)count;
}

/* Linux's oom_adj_read(): oom_score_adj scaled to -17..15 (1000 reads as 15). */
static ssize_t oom_adj_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	char buffer[PROC_NUMBUF];
	struct task_struct *t = oom_file_task(file);
	int adj, oom_adj;

	if (!t)
		return -ESRCH;
	adj = t->signal->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MAX)
		oom_adj = OOM_ADJUST_MAX;
	else
		oom_adj = (adj * -OOM_DISABLE) / OOM_SCORE_ADJ_MAX;
	if (oom_adj > OOM_ADJUST_MAX)
		oom_adj = OOM_ADJUST_MAX;
	int len = snprintf(buffer, sizeof(buffer), "%d\n", oom_adj);
	return proc_oom_read_text(buffer, (size_t)len, to, ppos);
}

/* Linux's oom_adj_write(): -16..15 or -17 (OOM_DISABLE), scaled to oom_score_adj. */
static ssize_t oom_adj_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	size_t count;
	int v, err;

	(void)ppos;
	err = proc_oom_get_int(from, &count, &v);
	if (!err && (v < OOM_ADJUST_MIN || v > OOM_ADJUST_MAX) && v != OOM_DISABLE)
		err = -EINVAL;
	if (!err) {
		/* The maximum stays reachable: 15 is 1000, the rest scale by 1000/17. */
		v = v == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : v * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
		err = oom_file_task(file) ? set_oom_adj(oom_file_task(file), v, true) : -ESRCH;
	}
	return err ? err : (ssize_t)count;
}

/* Linux's generic_file_llseek with proc's s_maxbytes (MAX_NON_LFS): no offset past 2^31 - 1. */
static s64 oom_adj_llseek(struct file *file, s64 offset, int whence)
{
	s64 old = file->f_pos, pos = generic_file_llseek(file, offset, whence);

	if (pos > MAX_NON_LFS) {
		file->f_pos = old;
		return -EINVAL;
	}
	return pos;
}

/* As Linux 6.1's fs/proc/base.c: oom_score_adj seeks with default_llseek, oom_adj does not. */
static const struct file_operations oom_score_adj_fops = {
	.read = oom_score_adj_read,
	.write = oom_score_adj_write,
	.llseek = default_llseek,
};

static const struct file_operations oom_adj_fops = {
	.read = oom_adj_read,
	.write = oom_adj_write,
	.llseek = oom_adj_llseek,
};

int proc_oom_init(void)
{
	int err = proc_create_file(PROC_SELF, "oom_score", 0444, proc_oom_score_show);

	if (!err)
		err = proc_create_fops(PROC_SELF, "oom_score_adj", 0644, &oom_score_adj_fops);
	if (!err)
		err = proc_create_fops(PROC_SELF, "oom_adj", 0644, &oom_adj_fops);
	return err;
}
