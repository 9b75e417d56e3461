// SPDX-License-Identifier: MIT
/*
 * The number files of /proc/sys (int and unsigned long), and parsing what is written to them, as
 * Linux 6.1's kernel/sysctl.c does for proc_dointvec_minmax and proc_doulongvec_minmax with
 * sysctl_writes_strict 1 (its default): every sysctl reads a number alike.
 */
#include "fs/proc.h"
#include "fs/proc_internal.h"
#include "fs/uio.h"
#include "kernel/errno.h"
#include "mm/slab.h"

/* The longest number Linux reads, sign and prefix included, is one less (TMPBUFLEN 22). */
#define PROC_NUMBER_MAX 21

/* The kernel's isspace (lib/ctype.c): the C locale's six blanks, and Latin-1's no-break space. */
static bool proc_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (unsigned char)c == 0xa0;
}

/* What may end a number (Linux's proc_wspace_sep): a space, a tab or a newline, nothing else. */
static bool proc_number_end(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The value of c as a digit, or 36 when it is none. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	c |= 0x20;
	return c >= 'a' && c <= 'z' ? (unsigned int)(c - 'a' + 10) : 36;
}

/*
 * Reads digits from s[*i] on as strtoul with base 0 (Linux's strtoul_lenient): "0x" before a hex
 * digit means hexadecimal, a leading "0" octal, else decimal. False when the value does not fit
 * 64 bits.
 */
static bool parse_digits(const char *s, size_t len, size_t *i, u64 *val)
{
	unsigned int base = 10, d;
	u64 v = 0;

	if (s[*i] == '0') {
		base = 8;
		if (*i + 2 < len && (s[*i + 1] | 0x20) == 'x' && digit_value(s[*i + 2]) < 16) {
			base = 16;
			*i += 2;
		}
	}
	for (; *i < len && (d = digit_value(s[*i])) < base; (*i)++)
		if (__builtin_mul_overflow(v, (u64)base, &v) || __builtin_add_overflow(v, d, &v))
			return false;
	*val = v;
	return true;
}

/*
 * One number in s (Linux's proc_get_long after proc_skip_spaces): blanks, an optional '-', a
 * digit, then digits that fit 64 bits and end at a separator or at the end, and at most 20
 * characters long. Returns the bytes taken, the blanks after the number included, or -EINVAL.
 */
static ssize_t parse_number(const char *s, size_t len, u64 *val, bool *neg)
{
	size_t i = 0, start;

	while (i < len && proc_isspace(s[i]))
		i++;
	start = i;
	*neg = i + 1 < len && s[i] == '-';
	if (*neg)
		i++;
	if (i >= len || s[i] < '0' || s[i] > '9' || !parse_digits(s, len, &i, val))
		return -EINVAL;
	if (i - start >= PROC_NUMBER_MAX || (i < len && !proc_number_end(s[i])))
		return -EINVAL;
	while (i < len && proc_isspace(s[i]))
		i++;
	return (ssize_t)i;
}

int proc_sysctl_get_number(struct iov_iter *from, s64 *ppos, u64 *val, bool *neg, size_t *taken)
{
	size_t count = iov_iter_count(from), len = count < PAGE_SIZE - 1 ? count : PAGE_SIZE - 1;
	ssize_t used;
	char *buf;

	if (*ppos || !count) {
		*taken = count;
		return 0;
	}
	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	used = copy_from_iter(buf, len, from) == len ? parse_number(buf, len, val, neg) : -EFAULT;
	kfree(buf);
	if (used < 0)
		return (int)used;
	*taken = (size_t)used;
	return 1;
}

/* What an integer file refers to. */
struct proc_int {
	int *value;
	int min, max;
	int (*store)(int *value, int v); /* NULL: the value written is the value */
};

/* An integer file's content: the value and a newline (made at open and at a read from 0). */
static int proc_int_show(struct seq_buf *m)
{
	const struct proc_int *pi = proc_show_inode()->i_private;

	seq_printf(m, "%d\n", *pi->value);
	return 0;
}

/*
 * Writing an integer file (Linux's proc_dointvec_minmax with sysctl_writes_strict): one number
 * that fits an int and lies in [min, max], else EINVAL; an empty write or one at a non-zero
 * position is accepted and changes nothing. The result counts the bytes up to the number's
 * trailing blanks (what follows is not taken).
 */
static ssize_t proc_int_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	const struct proc_int *pi = file_inode(file)->i_private;
	size_t taken = 0;
	bool neg;
	u64 v;
	long n;
	int r = proc_sysctl_get_number(from, ppos, &v, &neg, &taken);

	if (r < 0)
		return r;
	if (!r) {
		n = *pi->value;
	} else {
		if (v > (neg ? 0x80000000UL : 0x7fffffffUL))
			return -EINVAL;
		n = neg ? -(long)v : (long)v;
		if (n < pi->min || n > pi->max)
			return -EINVAL;
	}
	if (pi->store) {
		int err = pi->store(pi->value, (int)n);

		if (err)
			return err;
	} else {
		*pi->value = (int)n;
	}
	*ppos += (s64)taken;
	return (ssize_t)taken;
}

static const struct file_operations proc_int_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_int_write,
	.llseek = proc_file_lseek,
};

int proc_create_int_store(struct inode *dir, const char *name, u32 mode, int *value, int min,
			  int max, int (*store)(int *value, int v))
{
	struct proc_int *pi = kmalloc(sizeof(*pi), GFP_KERNEL);
	struct inode *inode = pi ? new_inode(&proc_sb, S_IFREG | (mode & S_IALLUGO)) : NULL;

	if (!inode) {
		kfree(pi);
		return -ENOMEM;
	}
	*pi = (struct proc_int){ value, min, max, store };
	inode->i_fop = &proc_int_fops;
	inode->i_show = proc_int_show;
	inode->i_private = pi;
	return proc_add(dir ? dir : proc_root_dir(), name, inode);
}

int proc_create_int(struct inode *dir, const char *name, u32 mode, int *value, int min, int max)
{
	return proc_create_int_store(dir, name, mode, value, min, max, NULL);
}

/* What an unsigned long file refers to. */
struct proc_ulong {
	u64 *value;
	void (*store)(u64 *value, u64 v); /* NULL: the value written is the value */
};

/* An unsigned long file's content: the value and a newline. */
static int proc_ulong_show(struct seq_buf *m)
{
	const struct proc_ulong *pu = proc_show_inode()->i_private;

	seq_printf(m, "%llu\n", (unsigned long long)*pu->value);
	return 0;
}

ssize_t proc_sysctl_write_ulong(struct iov_iter *from, s64 *ppos, u64 *value)
{
	size_t taken = 0;
	bool neg;
	u64 v;
	int r = proc_sysctl_get_number(from, ppos, &v, &neg, &taken);

	if (r < 0)
		return r;
	if (r && neg)
		return -EINVAL;
	if (r)
		*value = v;
	*ppos += (s64)taken;
	return (ssize_t)taken;
}

/* Writing an unsigned long file: proc_sysctl_write_ulong, then the file's store. */
static ssize_t proc_ulong_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	const struct proc_ulong *pu = file_inode(file)->i_private;
	u64 v = *pu->value;
	ssize_t r = proc_sysctl_write_ulong(from, ppos, &v);

	if (r < 0)
		return r;
	if (pu->store)
		pu->store(pu->value, v);
	else
		*pu->value = v;
	return r;
}

static const struct file_operations proc_ulong_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_ulong_write,
	.llseek = proc_file_lseek,
};

int proc_create_ulong(struct inode *dir, const char *name, u32 mode, u64 *value,
		      void (*store)(u64 *value, u64 v))
{
	struct proc_ulong *pu = kmalloc(sizeof(*pu), GFP_KERNEL);
	struct inode *inode = pu ? new_inode(&proc_sb, S_IFREG | (mode & S_IALLUGO)) : NULL;

	if (!inode) {
		kfree(pu);
		return -ENOMEM;
	}
	*pu = (struct proc_ulong){ value, store };
	inode->i_fop = &proc_ulong_fops;
	inode->i_show = proc_ulong_show;
	inode->i_private = pu;
	return proc_add(dir ? dir : proc_root_dir(), name, inode);
}
