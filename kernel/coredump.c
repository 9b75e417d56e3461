// SPDX-License-Identifier: MIT
/*
 * Core dumps, as Linux 6.1's fs/coredump.c (docs/coredump.md): whether the dying process may
 * dump (its dumpable flag, fs.suid_dumpable, RLIMIT_CORE), its other threads stopped first
 * (coredump_wait), the file name from kernel.core_pattern (format_corename), the file created as
 * Linux creates it (a fresh regular file of the dumper's fsuid, mode 0600, never a link, a FIFO
 * or a /proc file), and the exit status marked with 0x80 when a core was written. The ELF
 * contents are kernel/binfmt_elf_core.c's.
 *
 * A core_pattern starting with '|' names a helper program Linux starts to read the core on a
 * pipe. Warden does not start helpers from the kernel: such a dump is skipped, with the status
 * Linux gives when the helper cannot be started (no 0x80).
 */
#include "kernel/coredump.h"
#include "kernel/cred.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/ntp.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/signal_internal.h"
#include "kernel/string.h"
#include "kernel/sys.h"
#include "kernel/vsprintf.h"
#include "fs/abi.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define INT_MIN (-0x7fffffff - 1)
#define INT_MAX 0x7fffffff

char core_pattern[CORENAME_MAX_SIZE] = "core";
int core_uses_pid;
int core_pipe_limit;
int suid_dumpable;

/* The name being built: a PATH_MAX buffer; overflow makes the whole name unusable. */
struct core_name {
	char *buf;
	size_t used;
	bool overflow;
};

/* Appends the formatted text to the name (Linux's cn_printf). */
static void __attribute__((format(printf, 2, 3)))
cn_printf(struct core_name *cn, const char *fmt, ...)
{
	va_list ap;
	size_t room = PATH_MAX - cn->used;

	va_start(ap, fmt);
	int n = vsnprintf(cn->buf + cn->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		cn->overflow = true;
		cn->buf[cn->used] = 0;
		return;
	}
	cn->used += (size_t)n;
}

/*
 * Appends a string that must stay one path component (Linux's cn_esc_printf): '/' becomes '!',
 * a component that would read "." or ".." starts with '!' instead, an empty one is "!".
 */
static void cn_esc_str(struct core_name *cn, const char *s)
{
	size_t cur = cn->used;

	cn_printf(cn, "%s", s);
	if (cn->overflow)
		return;
	if ((cn->used - cur == 1 && cn->buf[cur] == '.') ||
	    (cn->used - cur == 2 && cn->buf[cur] == '.' && cn->buf[cur + 1] == '.'))
		cn->buf[cur] = '!';
	if (cn->used == cur)
		cn_printf(cn, "!");
	for (; cur < cn->used; cur++) {
		if (cn->buf[cur] == '/')
			cn->buf[cur] = '!';
	}
}

/* %e's neighbours %E and %f: the program's path (%f: its last component), or the comm. */
static void cn_print_exe_file(struct core_name *cn, bool name_only)
{
	struct inode *exe = current->mm->exe_inode;
	char *pathbuf = exe ? kmalloc(PATH_MAX, GFP_KERNEL) : NULL;
	char *path = pathbuf ? d_path(exe, pathbuf, PATH_MAX) : NULL;

	if (!exe || !pathbuf || IS_ERR(path)) {
		if (!exe) {
			char tmp[TASK_COMM_LEN + 20];

			snprintf(tmp, sizeof(tmp), "%s (path unknown)", current->comm);
			cn_esc_str(cn, tmp);
		} else {
			cn->overflow = true; /* Linux fails the dump with the error */
		}
		kfree(pathbuf);
		return;
	}
	if (name_only) {
		for (char *c = path; *c; c++) {
			if (*c == '/')
				path = c + 1; /* the last component */
		}
	}
	cn_esc_str(cn, path);
	kfree(pathbuf);
}

/*
 * Expands core_pattern for the current process (Linux's format_corename): 1 for a pipe
 * pattern, 0 for a file name, -ENOMEM/-ENAMETOOLONG when no name can be made. The specifiers
 * are Linux's: %p %P (tgid), %i %I (tid), %u %g (real ids), %d (dumpable), %s (signal), %t
 * (seconds since the epoch), %h (host name), %e (comm), %f %E (program path), %c (RLIMIT_CORE),
 * %% ('%'); another letter prints nothing, a '%' at the end is dropped. Without %p,
 * core_uses_pid appends ".PID" to a file name.
 */
static int format_corename(struct core_name *cn, const struct kernel_siginfo *info, int dumpable)
{
	char pattern[CORENAME_MAX_SIZE];
	const char *p = pattern;
	bool ispipe, pid_in_pattern = false;
	struct task_struct *me = current;

	memcpy(pattern, core_pattern, sizeof(pattern));
	pattern[CORENAME_MAX_SIZE - 1] = 0;
	ispipe = pattern[0] == '|';
	cn->used = 0;
	cn->overflow = false;
	cn->buf[0] = 0;
	if (ispipe && !*++p)
		return -ENOMEM;
	while (*p) {
		if (*p != '%') {
			cn_printf(cn, "%c", *p++);
			continue;
		}
		switch (*++p) {
		case 0:
			goto out;
		case '%':
			cn_printf(cn, "%%");
			break;
		case 'p':
			pid_in_pattern = true;
			fallthrough;
		case 'P':
			cn_printf(cn, "%d", me->tgid);
			break;
		case 'i':
		case 'I':
			cn_printf(cn, "%d", me->pid);
			break;
		case 'u':
			cn_printf(cn, "%u", me->cred.uid);
			break;
		case 'g':
			cn_printf(cn, "%u", me->cred.gid);
			break;
		case 'd':
			cn_printf(cn, "%d", dumpable);
			break;
		case 's':
			cn_printf(cn, "%d", info->si_signo);
			break;
		case 't':
			cn_printf(cn, "%llu",
				  (unsigned long long)(ktime_get_real_ns() / 1000000000ULL));
			break;
		case 'h':
			cn_esc_str(cn, utsname_nodename());
			break;
		case 'e':
			cn_esc_str(cn, me->comm);
			break;
		case 'f':
			cn_print_exe_file(cn, true);
			break;
		case 'E':
			cn_print_exe_file(cn, false);
			break;
		case 'c':
			cn_printf(cn, "%llu",
				  (unsigned long long)me->signal->rlim[RLIMIT_CORE].rlim_cur);
			break;
		default:
			break;
		}
		p++;
	}
out:
	if (!ispipe && !pid_in_pattern && core_uses_pid)
		cn_printf(cn, ".%d", me->tgid);
	if (cn->overflow)
		return -ENAMETOOLONG;
	return ispipe;
}

bool dump_interrupted(void)
{
	struct task_struct *t = current;

	return ((t->pending | t->signal->shared_pending) & sigmask(SIGKILL)) != 0;
}

bool dump_emit(struct coredump_params *cprm, const void *buf, size_t len)
{
	if (cprm->to_skip) {
		cprm->pos += cprm->to_skip;
		cprm->to_skip = 0;
	}
	if (cprm->written + len > cprm->limit || dump_interrupted())
		return false;
	if (kernel_write(cprm->file, buf, len, cprm->pos) != (ssize_t)len)
		return false;
	cprm->written += len;
	cprm->pos += len;
	return true;
}

void dump_skip(struct coredump_params *cprm, u64 len)
{
	cprm->to_skip += len;
}

/*
 * Stops the other threads of the process for the dump (Linux's coredump_wait and zap_threads):
 * the group exit starts with sig as its status, every other thread gets SIGKILL, and we wait
 * until each has parked in do_exit (coredump_task_exit), where its registers stay as they were
 * in user mode. -EAGAIN when the process is already exiting (another thread dumps or exits,
 * or an execve is killing it), as Linux.
 */
static int coredump_wait(int sig, struct core_state *cs)
{
	struct task_struct *me = current, *t;
	struct signal_struct *s = me->signal;

	if ((s->flags & SIGNAL_GROUP_EXIT) || s->group_exec_task)
		return -EAGAIN;
	s->flags |= SIGNAL_GROUP_EXIT;
	s->group_exit_code = sig;
	s->core_state = cs;
	for_each_thread(me, t) {
		if (t != me && task_alive(t) && !t->exiting)
			cs->nr_waiting++;
	}
	zap_other_threads(me);
	while (cs->nr_waiting > 0 && !dump_interrupted()) {
		me->state = TASK_INTERRUPTIBLE;
		me->sleep_uninterruptible = true; /* "D", as Linux's uninterruptible wait */
		if (cs->nr_waiting == 0 || dump_interrupted())
			me->state = TASK_RUNNING;
		else
			schedule();
		me->sleep_uninterruptible = false;
	}
	return 0;
}

int coredump_task_exit(int status)
{
	struct task_struct *me = current;
	struct core_state *cs = me->signal->core_state;

	if (!cs || cs->dumper == me || cs->nr_waiting <= 0)
		return status;
	if (!me->signaled) {
		/* an exit(2) under way: counted, but neither parked nor in the core, as Linux */
		if (--cs->nr_waiting == 0)
			wake_up_process(cs->dumper);
		return status;
	}
	struct core_thread self = { .task = me, .next = cs->threads };
	cs->threads = &self;
	if (--cs->nr_waiting == 0)
		wake_up_process(cs->dumper);
	/* cs is the dumper's: only self is looked at once the dumper may have moved on */
	while (READ_ONCE(self.task)) {
		me->state = TASK_INTERRUPTIBLE;
		me->sleep_uninterruptible = true;
		if (!READ_ONCE(self.task))
			me->state = TASK_RUNNING;
		else
			schedule();
		me->sleep_uninterruptible = false;
		/*
		 * A SIGKILL for the process may have woken us rather than the dumper (we are still
		 * a thread that wants it): pass it on, so that a dumper waiting for a thread that
		 * never comes gives up. cs is alive while self.task is set.
		 */
		if (READ_ONCE(self.task) && dump_interrupted())
			wake_up_process(cs->dumper);
	}
	/* the status the whole group leaves with: the signal, with 0x80 if a core was written */
	return me->signal->group_exit_code;
}

/*
 * Ends the dump (Linux's coredump_finish): the group exit status gets 0x80 when a core was
 * written and no SIGKILL cut the dump short, and the parked threads go on exiting.
 */
static void coredump_finish(struct core_state *cs, bool dumped)
{
	struct signal_struct *s = current->signal;

	if (dumped && !dump_interrupted())
		s->group_exit_code |= 0x80;
	s->core_state = NULL;
	for (struct core_thread *c = cs->threads, *next; c; c = next) {
		struct task_struct *t = c->task;

		next = c->next;
		WRITE_ONCE(c->task, NULL); /* c may be gone as soon as t runs */
		wake_up_process(t);
	}
}

/*
 * Creates the core file as Linux's do_coredump: any old file of that name is unlinked first
 * (not when dumping as root for a set-id program), then an exclusive create that follows no
 * symlink, mode 0600 (less the umask). It must be a regular file with one name, owned by our
 * fsuid, with exactly mode 0600 (a file system that changed them is refused), and writable.
 */
static struct file *open_core_file(const char *name, bool suid_safe)
{
	if (!suid_safe)
		do_unlinkat(AT_FDCWD, name);
	struct file *f =
		filp_open(name, O_CREAT | O_RDWR | O_NOFOLLOW | O_LARGEFILE | O_EXCL, 0600);
	if (IS_ERR(f))
		return f;
	struct inode *inode = file_inode(f);
	if (inode->i_nlink > 1 || !inode->i_dentry || !S_ISREG(inode->i_mode) ||
	    inode->i_uid != current->cred.fsuid || (inode->i_mode & 0677) != 0600 ||
	    !(f->f_mode & FMODE_WRITE) || do_truncate(inode, 0)) {
		fput(f);
		return ERR_PTR(-EPERM);
	}
	return f;
}

/* Would a pipe helper run (Linux counts it against core_pipe_limit)? Warden starts none. */
static void pipe_core(struct coredump_params *cprm, const char *name)
{
	if (cprm->limit == 1) {
		pr_warn("Process %d(%s) has RLIMIT_CORE set to 1\n", current->tgid, current->comm);
		pr_warn("Aborting core\n");
		return;
	}
	pr_info("Core dump to |%s pipe failed\n", name);
}

void do_coredump(const struct kernel_siginfo *info)
{
	struct task_struct *me = current;
	struct mm_struct *mm = me->mm;
	struct core_state cs = { .dumper = me };
	struct coredump_params cprm = { .siginfo = info, .core_state = &cs };
	struct core_name cn = { 0 };
	bool dumped = false, suid_safe = false;
	u32 saved_fsuid = me->cred.fsuid;
	int dumpable;

	if (!mm)
		return;
	dumpable = READ_ONCE(mm->dumpable);
	if (!dumpable)
		return;
	cprm.limit = me->signal->rlim[RLIMIT_CORE].rlim_cur;
	cprm.filter = mm->coredump_filter;
	if (coredump_wait(info->si_signo, &cs) < 0)
		return;
	if (dumpable == SUID_DUMP_ROOT) {
		me->cred.fsuid = 0; /* the core is root's, in a place root chose */
		suid_safe = true;
	}
	cn.buf = kmalloc(PATH_MAX, GFP_KERNEL);
	cprm.bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!cn.buf || !cprm.bounce)
		goto out;
	int ispipe = format_corename(&cn, info, dumpable);
	if (ispipe < 0)
		goto out;
	if (ispipe) {
		pipe_core(&cprm, cn.buf);
		goto out;
	}
	if (cprm.limit < PAGE_SIZE) /* Linux's binfmt->min_coredump */
		goto out;
	if (suid_safe && cn.buf[0] != '/') {
		pr_warn("Pid %d(%s) can only dump core to fully qualified path!\n", me->tgid,
			me->comm);
		goto out;
	}
	cprm.file = open_core_file(cn.buf, suid_safe);
	if (IS_ERR(cprm.file)) {
		cprm.file = NULL;
		goto out;
	}
	if (!dump_interrupted()) {
		dumped = elf_core_dump(&cprm);
		/* a dump that ends in a hole still has the file's full length */
		if (cprm.to_skip) {
			cprm.to_skip--;
			dump_emit(&cprm, "", 1);
		}
	}
	fput(cprm.file);
out:
	kfree(cprm.bounce);
	kfree(cn.buf);
	me->cred.fsuid = saved_fsuid;
	coredump_finish(&cs, dumped);
}

/* fs.suid_dumpable: 0..2 (Linux's proc_dointvec_minmax_coredump). */
int coredump_sysctl_init(void)
{
	struct inode *kernel = proc_sys_subdir("kernel"), *fs = proc_sys_subdir("fs");
	int err = -ENOMEM;

	if (kernel && fs) {
		err = proc_create_int(kernel, "core_uses_pid", 0644, &core_uses_pid, INT_MIN,
				      INT_MAX);
		if (!err)
			err = proc_create_int(kernel, "core_pipe_limit", 0644, &core_pipe_limit,
					      INT_MIN, INT_MAX);
		if (!err)
			err = proc_create_int(fs, "suid_dumpable", 0644, &suid_dumpable, 0, 2);
	}
	if (kernel)
		iput(kernel);
	if (fs)
		iput(fs);
	return err;
}

/* The task a /proc/PID/coredump_filter describes (the caller's for /proc/self). */
static struct task_struct *filter_file_task(struct file *file)
{
	struct inode *inode = file_inode(file);

	return inode->i_pid ? proc_pid_task(inode) : current;
}

/* /proc/PID/coredump_filter: the filter bits as "%08x\n"; nothing once the mm is gone. */
static ssize_t coredump_filter_read(struct file *file, struct iov_iter *to, s64 *ppos)
{
	struct task_struct *t = filter_file_task(file);
	char buf[16];

	if (!t)
		return -ESRCH;
	if (!t->mm)
		return 0;
	size_t len = (size_t)snprintf(buf, sizeof(buf), "%08x\n",
				      t->mm->coredump_filter & MMF_DUMP_FILTER_MASK);
	if (*ppos < 0)
		return -EINVAL;
	if ((u64)*ppos >= len)
		return 0;
	size_t n = min(len - (size_t)*ppos, iov_iter_count(to));
	size_t copied = copy_to_iter(buf + *ppos, n, to);
	if (!copied && n)
		return -EFAULT;
	*ppos += (s64)copied;
	return (ssize_t)copied;
}

/*
 * Linux's kstrtouint(s, 0): an optional '+', "0x" hex or a leading 0 for octal, at least one
 * digit, an optional newline and nothing else, within 32 bits; 0 or -EINVAL/-ERANGE.
 */
static int filter_kstrtouint(const char *s, unsigned int *res)
{
	unsigned int base = 10;
	u64 v = 0;
	int digits = 0;

	if (*s == '+')
		s++;
	if (s[0] == '0') {
		base = 8;
		if ((s[1] == 'x' || s[1] == 'X') &&
		    ((s[2] >= '0' && s[2] <= '9') ||
		     ((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'f'))) {
			base = 16;
			s += 2;
		}
	}
	for (;; s++, digits++) {
		unsigned int d = *s >= '0' && *s <= '9'	  ? (unsigned int)(*s - '0')
				 : *s >= 'a' && *s <= 'f' ? (unsigned int)(*s - 'a' + 10)
				 : *s >= 'A' && *s <= 'F' ? (unsigned int)(*s - 'A' + 10)
							  : 16;
		if (d >= base)
			break;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			return -ERANGE;
	}
	if (!digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (v > 0xffffffffULL)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

/*
 * Sets the filter from a number (Linux's proc_coredump_filter_write: kstrtouint_from_user reads
 * at most 34 bytes); the bits past the nine known are ignored. The whole count is returned.
 */
static ssize_t coredump_filter_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	size_t count = iov_iter_count(from), n = min(count, (size_t)34);
	char buf[35] = { 0 }; /* sign, 32 binary digits, newline, NUL (kstrto_from_user) */
	unsigned int val;

	(void)ppos;
	if (copy_from_iter(buf, n, from) != n)
		return -EFAULT;
	int err = filter_kstrtouint(buf, &val);
	if (err)
		return err;
	struct task_struct *t = filter_file_task(file);
	if (!t || !t->mm)
		return -ESRCH;
	t->mm->coredump_filter = val & MMF_DUMP_FILTER_MASK;
	return (ssize_t)count;
}

static const struct file_operations coredump_filter_fops = {
	.read = coredump_filter_read,
	.write = coredump_filter_write,
	.llseek = generic_file_llseek,
};

int proc_coredump_filter_init(void)
{
	return proc_create_fops(PROC_SELF, "coredump_filter", 0644, &coredump_filter_fops);
}
