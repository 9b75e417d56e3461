// SPDX-License-Identifier: MIT
/*
 * Time namespaces (Linux 6.1's kernel/time/namespace.c, without the vDSO's namespace page):
 * creation by unshare and clone3, entering by fork and setns, the offsets the clocks add, and
 * /proc/PID/timens_offsets. Everything here runs under the kernel lock (docs/locking.md).
 */
#include "kernel/time_namespace.h"
#include "arch/x86_64/time.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "fs/vfs.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_BOOTTIME_ALARM 9
#define CAP_SYS_TIME 25
#define CLONE_VM 0x00000100
#define CLONE_THREAD 0x00010000
#define PROC_TIME_INIT_INO 0xEFFFFFFAU /* Linux's inode number of the initial namespace */
#define PROC_DYNAMIC_FIRST 0xF0000000U /* and the first one it hands out to new ones */

struct time_namespace init_time_ns = {
	.count = 1,
	.inum = PROC_TIME_INIT_INO,
	.frozen_offsets = true,
};

/*
 * The next inode number for a new namespace. Linux takes the lowest free one (an IDA shared with
 * the other kinds of namespaces); Warden counts up and does not reuse them.
 */
static u32 next_inum = PROC_DYNAMIC_FIRST;

struct time_namespace *get_time_ns(struct time_namespace *ns)
{
	if (ns != &init_time_ns)
		ns->count++;
	return ns;
}

void put_time_ns(struct time_namespace *ns)
{
	if (!ns || ns == &init_time_ns)
		return;
	if (--ns->count == 0)
		kfree(ns);
}

/* A new namespace with old's offsets, not yet frozen (Linux's clone_time_ns); NULL: no memory. */
static struct time_namespace *clone_time_ns(const struct time_namespace *old)
{
	struct time_namespace *ns = kzalloc(sizeof(*ns), GFP_KERNEL);

	if (!ns)
		return NULL;
	ns->count = 1;
	ns->inum = next_inum++;
	ns->monotonic = old->monotonic;
	ns->boottime = old->boottime;
	ns->frozen_offsets = false;
	return ns;
}

struct time_namespace *task_time_ns(struct task_struct *t)
{
	return t->time_ns;
}

struct time_namespace *task_time_ns_for_children(struct task_struct *t)
{
	return t->time_ns_for_children;
}

/*
 * A task enters ns (Linux's timens_commit through timens_set_vvar_page): from now on its
 * offsets are what the task's clocks show, so they can no longer change.
 */
static void timens_commit(struct time_namespace *ns)
{
	ns->frozen_offsets = true;
}

long timens_clone_check(u64 flags)
{
	struct task_struct *me = current;

	/* A thread or a task sharing the address space stays in its parent's namespace. */
	if ((flags & (CLONE_THREAD | CLONE_VM)) && me->time_ns != me->time_ns_for_children)
		return -EINVAL;
	return 0;
}

int copy_time_ns(u64 flags, struct task_struct *child, struct task_struct *parent)
{
	struct time_namespace *children = parent->time_ns_for_children;

	if (flags & CLONE_NEWTIME) {
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		children = clone_time_ns(children);
		if (!children)
			return -ENOMEM;
	} else {
		get_time_ns(children);
	}
	child->time_ns_for_children = children;
	child->time_ns = get_time_ns(children);
	if (children != parent->time_ns)
		timens_commit(children); /* Linux's timens_on_fork */
	return 0;
}

void exit_time_ns(struct task_struct *t)
{
	put_time_ns(t->time_ns);
	put_time_ns(t->time_ns_for_children);
	t->time_ns = NULL;
	t->time_ns_for_children = NULL;
}

int unshare_time_ns(struct task_struct *t)
{
	struct time_namespace *ns = clone_time_ns(t->time_ns_for_children);

	if (!ns)
		return -ENOMEM;
	put_time_ns(t->time_ns_for_children);
	t->time_ns_for_children = ns;
	return 0;
}

/*
 * Linux's current_is_single_threaded: the only live thread of its process, and no other
 * process shares its address space (a vfork child, CLONE_VM without CLONE_THREAD).
 */
static bool current_is_single_threaded(void)
{
	struct task_struct *me = current;

	if (me->signal->live != 1)
		return false;
	if (!me->mm || me->mm->users == 1)
		return true;
	for (struct task_struct *t = first_task(); t; t = t->run_next)
		if (t != me && t->mm == me->mm && t->state < EXIT_ZOMBIE)
			return false;
	return true;
}

int timens_install(struct time_namespace *ns)
{
	struct task_struct *me = current;

	if (!current_is_single_threaded())
		return -EUSERS;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	get_time_ns(ns);
	put_time_ns(me->time_ns);
	me->time_ns = ns;
	get_time_ns(ns);
	put_time_ns(me->time_ns_for_children);
	me->time_ns_for_children = ns;
	timens_commit(ns);
	return 0;
}

/* A timespec offset in nanoseconds (signed; its seconds are within +-KTIME_SEC_MAX). */
static s64 offset_ns(const struct timespec64 *ts)
{
	return ts->tv_sec * (s64)NSEC_PER_SEC + ts->tv_nsec;
}

/* The caller's offset for clockid, in ns: 0 outside a namespace or for other clocks. */
static s64 timens_offset(int clockid)
{
	struct time_namespace *ns = current->time_ns;

	if (!ns || ns == &init_time_ns)
		return 0;
	switch (clockid) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
		return offset_ns(&ns->monotonic);
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return offset_ns(&ns->boottime);
	default:
		return 0;
	}
}

u64 timens_clock_to_ns(int clockid, u64 ns)
{
	return (u64)((s64)ns + timens_offset(clockid));
}

u64 timens_add_boottime_ns(u64 ns)
{
	return timens_clock_to_ns(CLOCK_BOOTTIME, ns);
}

u64 timens_ktime_to_host(int clockid, u64 t)
{
	s64 offset;

	/* Linux converts MONOTONIC, BOOTTIME and BOOTTIME_ALARM only (not the RAW/COARSE ids). */
	if (clockid != CLOCK_MONOTONIC && clockid != CLOCK_BOOTTIME &&
	    clockid != CLOCK_BOOTTIME_ALARM)
		return t;
	offset = timens_offset(clockid);
	if (t == KTIME_MAX || !offset)
		return t;
	if ((s64)t < offset)
		return 0; /* before the namespace's zero: already past */
	/* A negative offset can carry t past KTIME_MAX: never, as Linux's clamp (no signed wrap) */
	s64 host;
	if (__builtin_sub_overflow((s64)t, offset, &host) || host < 0)
		return KTIME_MAX;
	return (u64)host;
}

/* What a write to /proc/PID/timens_offsets sets: one clock's offset. */
struct proc_timens_offset {
	int clockid;
	struct timespec64 val;
};

/* The task a /proc/PID/timens_offsets file describes (the caller's for /proc/self). */
static struct task_struct *timens_file_task(struct file *file)
{
	struct inode *inode = file_inode(file);

	return inode->i_pid ? proc_pid_task(inode) : current;
}

/*
 * The text of /proc/PID/timens_offsets (Linux's proc_timens_show_offsets): the offsets of the
 * namespace the task's children go to, one clock a line; nothing once the task exited.
 */
static int timens_offsets_text(struct task_struct *p, char *buf, size_t size)
{
	struct time_namespace *ns = task_time_ns_for_children(p);

	if (!ns)
		return 0;
	return snprintf(buf, size, "%-10s %10lld %9ld\n%-10s %10lld %9ld\n", "monotonic",
			(long long)ns->monotonic.tv_sec, (long)ns->monotonic.tv_nsec, "boottime",
			(long long)ns->boottime.tv_sec, (long)ns->boottime.tv_nsec);
}

/* Opening records whether the opener may set the offsets (Linux's file_ns_capable: f_cred).
 */
static int timens_offsets_open(struct inode *inode, struct file *file)
{
	(void)inode;
	file->private_data = (void *)(uintptr_t)capable(CAP_SYS_TIME);
	file->f_mode &= ~(u32)FMODE_PWRITE; /* a seq file: pwrite is ESPIPE (seq_open) */
	return 0;
}

/* Reads the text made at this read (a seq file's, from *ppos). ESRCH once the task is reaped. */
static ssize_t timens_offsets_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct task_struct *p = timens_file_task(file);
	char buf[96];

	if (!p)
		return -ESRCH;
	if (*ppos < 0)
		return -EINVAL;
	size_t len = (size_t)timens_offsets_text(p, buf, sizeof(buf));
	if ((u64)*ppos >= len)
		return 0;
	size_t n = min(len - (size_t)*ppos, iov_iter_count(to));
	size_t copied = copy_to_iter(buf + *ppos, n, to);
	if (!copied && n)
		return -EFAULT;
	*ppos += (s64)copied;
	return (ssize_t)copied;
}

/* Linux's isspace for the ASCII a write holds (its Latin-1 0xa0 too). */
static bool timens_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (unsigned char)c == 0xa0;
}

static const char *timens_skip_spaces(const char *s)
{
	while (timens_isspace(*s))
		s++;
	return s;
}

/* Decimal digits at s as Linux's simple_strntoull: wrapping past 2^64; *end after them. */
static u64 timens_strtoull(const char *s, const char **end)
{
	u64 v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (u64)(*s++ - '0');
	*end = s;
	return v;
}

/*
 * One line as Linux's sscanf(line, "%9s %lld %lu", ...): the number of fields read (3 for a
 * whole line; what follows them is ignored). A word longer than 9 characters leaves the rest for
 * the number, as the field width does.
 */
static int timens_scan_line(const char *s, char clock[10], s64 *sec, u64 *nsec)
{
	const char *end;
	int n = 0;

	if (!*s)
		return 0;
	s = timens_skip_spaces(s);
	while (*s && !timens_isspace(*s) && n < 9)
		clock[n++] = *s++;
	clock[n] = '\0';
	s = timens_skip_spaces(s);
	if (!*s)
		return 1;
	bool neg = *s == '-';
	if (!(s[neg] >= '0' && s[neg] <= '9'))
		return 1;
	u64 v = timens_strtoull(s + neg, &end);
	*sec = (s64)(neg ? 0 - v : v); /* wrapping as Linux's, without signed overflow */
	s = timens_skip_spaces(end);
	if (!*s || !(*s >= '0' && *s <= '9'))
		return 2;
	*nsec = timens_strtoull(s, &end);
	return 3;
}

/*
 * Sets the offsets (Linux's proc_timens_set_offset): EPERM unless the opener had CAP_SYS_TIME,
 * ERANGE for seconds beyond +-KTIME_SEC_MAX or a clock that would read below 0 or past
 * KTIME_SEC_MAX / 2 seconds now, EINVAL for a negative nanosecond part, EACCES once a task
 * entered the namespace. Nothing is set unless every offset is valid.
 */
static int timens_set_offsets(struct file *file, struct task_struct *p,
			      const struct proc_timens_offset *offsets, int noffsets)
{
	struct time_namespace *ns = task_time_ns_for_children(p);

	if (!ns)
		return -ESRCH;
	if (!file->private_data)
		return -EPERM;
	for (int i = 0; i < noffsets; i++) {
		const struct proc_timens_offset *off = &offsets[i];
		u64 now = ktime_get_ns(); /* CLOCK_MONOTONIC and CLOCK_BOOTTIME: one clock here */
		s64 sec = (s64)(now / NSEC_PER_SEC), nsec = (s64)(now % NSEC_PER_SEC);

		if (off->val.tv_sec > (s64)KTIME_SEC_MAX || off->val.tv_sec < -(s64)KTIME_SEC_MAX)
			return -ERANGE;
		if (off->val.tv_nsec < 0 || off->val.tv_nsec >= (s64)NSEC_PER_SEC)
			return -EINVAL;
		sec += off->val.tv_sec;
		nsec += off->val.tv_nsec;
		if (nsec >= (s64)NSEC_PER_SEC)
			sec++;
		if (sec < 0 || sec > (s64)(KTIME_SEC_MAX / 2))
			return -ERANGE;
	}
	if (ns->frozen_offsets)
		return -EACCES;
	for (int i = 0; i < noffsets; i++) {
		if (offsets[i].clockid == CLOCK_MONOTONIC)
			ns->monotonic = offsets[i].val;
		else
			ns->boottime = offsets[i].val;
	}
	return 0;
}

/*
 * A write of /proc/PID/timens_offsets (Linux's timens_offsets_write): at offset 0 and shorter
 * than a page (EINVAL), one or two lines "CLOCK SECONDS NANOSECONDS" with CLOCK "monotonic" or
 * "1", "boottime" or "7" (EINVAL otherwise, or for nanoseconds of a second or more). Returns the
 * bytes up to the end of the second line.
 */
static ssize_t timens_offsets_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	struct proc_timens_offset offsets[2];
	size_t count = iov_iter_count(from);
	char *kbuf, *pos, *next_line;
	int noffsets = 0;
	ssize_t ret = -EINVAL;

	if (*ppos != 0 || count >= PAGE_SIZE)
		return -EINVAL;
	kbuf = kmalloc(count + 1, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	if (copy_from_iter(kbuf, count, from) != count) {
		kfree(kbuf);
		return -EFAULT;
	}
	kbuf[count] = '\0';
	for (pos = kbuf; pos; pos = next_line) {
		struct proc_timens_offset *off = &offsets[noffsets];
		char clock[10];
		u64 nsec = 0;

		next_line = strchr(pos, '\n');
		if (next_line) {
			*next_line++ = '\0';
			if (!*next_line)
				next_line = NULL;
		}
		if (timens_scan_line(pos, clock, &off->val.tv_sec, &nsec) != 3 ||
		    (s64)nsec >= (s64)NSEC_PER_SEC)
			goto out;
		off->val.tv_nsec = (s64)nsec;
		if (!strcmp(clock, "monotonic") || !strcmp(clock, "1"))
			off->clockid = CLOCK_MONOTONIC;
		else if (!strcmp(clock, "boottime") || !strcmp(clock, "7"))
			off->clockid = CLOCK_BOOTTIME;
		else
			goto out;
		if (++noffsets == 2) {
			if (next_line)
				count = (size_t)(next_line - kbuf);
			break;
		}
	}
	struct task_struct *p = timens_file_task(file);
	ret = p ? timens_set_offsets(file, p, offsets, noffsets) : -ESRCH;
	if (!ret)
		ret = (ssize_t)count;
out:
	kfree(kbuf);
	return ret;
}

/* seq_lseek: SEEK_SET and SEEK_CUR to positions >= 0, anything else EINVAL. */
static s64 timens_offsets_llseek(struct file *file, s64 offset, int whence)
{
	if (whence == SEEK_CUR && __builtin_add_overflow(offset, file->f_pos, &offset))
		return -EINVAL;
	if ((whence != SEEK_SET && whence != SEEK_CUR) || offset < 0)
		return -EINVAL;
	return file->f_pos = offset;
}

static const struct file_operations timens_offsets_fops = {
	.open = timens_offsets_open,
	.read = timens_offsets_read,
	.write = timens_offsets_write,
	.llseek = timens_offsets_llseek,
};

int proc_timens_offsets_init(void)
{
	return proc_create_fops(PROC_SELF, "timens_offsets", 0644, &timens_offsets_fops);
}
