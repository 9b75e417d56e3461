// SPDX-License-Identifier: MIT
/*
 * Memory-protection event tracing and the W^X policy (kernel/trace.h, docs/tracing.md).
 *
 * Each CPU has a ring of TRACE_RING_SIZE fixed-size records: recording never allocates and
 * never waits; a full ring drops the new record and counts it. A traced system call collects the
 * VMA ranges it changes in the CPU's "open call" (a system call runs to its end on the CPU it
 * started on: the kernel is not preempted) and becomes one record at its end. Reading
 * /proc/warden/trace takes every record out of the rings and prints each as one JSON line.
 */
#include "kernel/trace.h"
#include "mm/fault_lockless.h"
#include "kernel/sched_stats.h"
#include "arch/x86_64/tlb.h"
#include "kernel/cpumask.h"
#include "kernel/cmdline.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/time.h"
#include "fs/proc.h"
#include "fs/uio.h"
#include "mm/mm.h"
#include "mm/pkeys.h"
#include "mm/slab.h"
#include "net/socket.h"

#define TRACE_RING_SIZE 512

struct trace_ring {
	struct trace_record rec[TRACE_RING_SIZE];
	u64 head, tail; /* head: next to write; tail: next to read; head - tail records held */
	u64 dropped; /* records lost because the ring was full, since boot */
};

static struct trace_ring trace_rings[NR_CPUS];

u32 trace_mask;
static int trace_pid; /* 0: every pid */
static bool trace_console; /* echo each record on the console as it is made */
int wx_policy;

static const char *const event_names[TRACE_NR_EVENTS] = {
	[TRACE_MMAP] = "mmap",
	[TRACE_MUNMAP] = "munmap",
	[TRACE_MREMAP] = "mremap",
	[TRACE_MPROTECT] = "mprotect",
	[TRACE_PKEY_MPROTECT] = "pkey_mprotect",
	[TRACE_PKEY_ALLOC] = "pkey_alloc",
	[TRACE_PKEY_FREE] = "pkey_free",
	[TRACE_BRK] = "brk",
	[TRACE_FAULT] = "fault",
	[TRACE_VMA_SPLIT] = "vma_split",
	[TRACE_VMA_MERGE] = "vma_merge",
	[TRACE_WX_ALERT] = "wx_alert",
	[TRACE_TLB_FLUSH] = "tlb_flush",
};

/* The argument names of each event, in order. */
static const char *const arg_names[TRACE_NR_EVENTS][TRACE_MAX_ARGS] = {
	[TRACE_MMAP] = { "addr", "len", "prot", "flags", "fd", "off" },
	[TRACE_MUNMAP] = { "addr", "len" },
	[TRACE_MREMAP] = { "addr", "old_len", "new_len", "flags", "new_addr" },
	[TRACE_MPROTECT] = { "addr", "len", "prot" },
	[TRACE_PKEY_MPROTECT] = { "addr", "len", "prot", "pkey" },
	[TRACE_PKEY_ALLOC] = { "flags", "access_rights" },
	[TRACE_PKEY_FREE] = { "pkey" },
	[TRACE_BRK] = { "brk" },
	[TRACE_FAULT] = { "addr", "ip", "error_code", "signal", "si_code", "pkey" },
	[TRACE_VMA_SPLIT] = { "start", "end", "at" },
	[TRACE_VMA_MERGE] = { "start", "end" },
	[TRACE_WX_ALERT] = { "call", "addr", "len", "prot", "old_prot", "action" },
	[TRACE_TLB_FLUSH] = { "cpu", "cpus", "start", "end", "pages", "flush" },
};

/* This CPU's ring. */
static struct trace_ring *this_ring(void)
{
	return &trace_rings[this_cpu()->cpu];
}

/* Does the pid filter let the current task's events through? */
static bool trace_pid_ok(void)
{
	return !trace_pid || (current && current->tgid == trace_pid);
}

/* Fills the header of a record for the current task. */
static void record_header(struct trace_record *r, enum trace_event e)
{
	struct task_struct *t = current;

	memset(r, 0, sizeof(*r));
	r->ts = ktime_get_ns();
	r->pid = t ? t->tgid : 0;
	r->tid = t ? t->pid : 0;
	if (t)
		strlcpy(r->comm, t->comm, sizeof(r->comm));
	r->event = (u16)e;
}

static void trace_echo(const struct trace_record *r);

/* Puts a finished record into this CPU's ring, or counts it as dropped. */
static void trace_commit(const struct trace_record *r)
{
	struct trace_ring *ring = this_ring();

	if (trace_console)
		trace_echo(r);
	if (ring->head - ring->tail >= TRACE_RING_SIZE) {
		ring->dropped++;
		return;
	}
	ring->rec[ring->head % TRACE_RING_SIZE] = *r;
	ring->head++;
}

/*
 * The call being traced is the task's, not the CPU's (task_struct's trace_open): a traced call
 * that sleeps may go on on another CPU, while this CPU runs another task's calls.
 */
void __trace_call_begin(enum trace_event e)
{
	struct task_struct *t = current;

	t->trace_open_active = trace_pid_ok();
	if (t->trace_open_active)
		record_header(&t->trace_open, e);
}

void __trace_range(u64 start, u64 end, u64 old_flags, u64 new_flags)
{
	struct task_struct *t = current;
	struct trace_record *r = &t->trace_open;

	if (!t->trace_open_active)
		return;
	if (r->nranges == TRACE_MAX_RANGES) {
		r->more_ranges++;
		return;
	}
	r->ranges[r->nranges++] = (struct trace_range_rec){ start, end, old_flags, new_flags };
}

void __trace_call_end(enum trace_event e, const u64 *args, int nargs, long ret)
{
	struct task_struct *t = current;
	struct trace_record *r = &t->trace_open;

	if (!t->trace_open_active || r->event != e)
		return;
	t->trace_open_active = false;
	r->nargs = (u16)min(nargs, TRACE_MAX_ARGS);
	memcpy(r->args, args, r->nargs * sizeof(u64));
	r->ret = ret;
	trace_commit(r);
}

void __trace_event(enum trace_event e, const u64 *args, int nargs)
{
	struct trace_record r;

	if (!trace_pid_ok())
		return;
	record_header(&r, e);
	r.nargs = (u16)min(nargs, TRACE_MAX_ARGS);
	memcpy(r.args, args, r.nargs * sizeof(u64));
	trace_commit(&r);
}

/* ---- formatting ---- */

/* Linux's names for the errno values the traced calls return. */
static const char *errno_name(long e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },   { EBADF, "EBADF" },	  { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },	  { EFAULT, "EFAULT" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },	  { EINVAL, "EINVAL" },
		{ ENOSPC, "ENOSPC" }, { EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENOSYS, "ENOSYS" }, { ETXTBSY, "ETXTBSY" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == e)
			return names[i].name;
	return NULL;
}

/* Appends a list of flag names joined by '|', with what is left as hex. */
static void seq_flags(struct seq_buf *m, u64 v, const u64 *bits, const char *const *names, size_t n,
		      const char *none)
{
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		if (!(v & bits[i]))
			continue;
		seq_printf(m, "%s%s", first ? "" : "|", names[i]);
		first = false;
		v &= ~bits[i];
	}
	if (v)
		seq_printf(m, "%s%#llx", first ? "" : "|", (unsigned long long)v);
	else if (first)
		seq_printf(m, "%s", none);
}

/* mmap/mprotect prot as "PROT_READ|PROT_WRITE". */
static void seq_prot(struct seq_buf *m, u64 prot)
{
	static const u64 bits[] = { PROT_READ, PROT_WRITE,     PROT_EXEC,
				    PROT_SEM,  PROT_GROWSDOWN, PROT_GROWSUP };
	static const char *const names[] = { "PROT_READ", "PROT_WRITE",	    "PROT_EXEC",
					     "PROT_SEM",  "PROT_GROWSDOWN", "PROT_GROWSUP" };

	seq_flags(m, prot, bits, names, ARRAY_SIZE(bits), "PROT_NONE");
}

/* mmap flags as "MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED". */
static void seq_map_flags(struct seq_buf *m, u64 flags)
{
	static const u64 bits[] = { MAP_SHARED_VALIDATE, MAP_SHARED,	MAP_PRIVATE,
				    MAP_FIXED,		 MAP_ANONYMOUS, MAP_GROWSDOWN,
				    MAP_NORESERVE,	 MAP_POPULATE,	MAP_STACK,
				    MAP_FIXED_NOREPLACE, MAP_LOCKED,	MAP_HUGETLB };
	static const char *const names[] = {
		"MAP_SHARED_VALIDATE", "MAP_SHARED",	      "MAP_PRIVATE",   "MAP_FIXED",
		"MAP_ANONYMOUS",       "MAP_GROWSDOWN",	      "MAP_NORESERVE", "MAP_POPULATE",
		"MAP_STACK",	       "MAP_FIXED_NOREPLACE", "MAP_LOCKED",    "MAP_HUGETLB"
	};
	u64 type = flags & MAP_TYPE;
	const u64 *b = bits;
	const char *const *nm = names;
	size_t n = ARRAY_SIZE(bits);

	/* MAP_SHARED_VALIDATE is its own type, not MAP_SHARED|MAP_PRIVATE. */
	if (type != MAP_SHARED_VALIDATE)
		b++, nm++, n--;
	seq_flags(m, flags, b, nm, n, "0");
}

/* A VMA's protection as maps shows it ("rw-p"), with its key when keys are on. */
static void seq_vma_prot(struct seq_buf *m, u64 f)
{
	seq_printf(m, "\"%c%c%c%c\"", f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-',
		   f & VM_EXEC ? 'x' : '-', f & VM_MAYSHARE ? 's' : 'p');
}

/* One argument of record r as JSON: numbers, flags decoded, addresses in hex. */
static void seq_arg(struct seq_buf *m, const struct trace_record *r, int i)
{
	const char *name = arg_names[r->event][i];
	u64 v = r->args[i];

	seq_printf(m, "\"%s\":", name ? name : "arg");
	if (!name) {
		seq_printf(m, "%llu", (unsigned long long)v);
	} else if (!strcmp(name, "prot") || !strcmp(name, "old_prot")) {
		seq_printf(m, "\"");
		seq_prot(m, v);
		seq_printf(m, "\"");
	} else if (!strcmp(name, "flags") && r->event == TRACE_MMAP) {
		seq_printf(m, "\"");
		seq_map_flags(m, v);
		seq_printf(m, "\"");
	} else if (!strcmp(name, "call")) {
		seq_printf(m, "\"%s\"", v < TRACE_NR_EVENTS ? event_names[v] : "?");
	} else if (!strcmp(name, "flush")) {
		seq_printf(m, "\"%s\"", v == 0 ? "invlpg" : v == 1 ? "full" : "none");
	} else if (!strcmp(name, "action")) {
		seq_printf(m, "\"%s\"", v == WX_REFUSE ? "refuse" : "warn");
	} else if (!strcmp(name, "fd") || !strcmp(name, "pkey") || !strcmp(name, "signal") ||
		   !strcmp(name, "si_code")) {
		seq_printf(m, "%lld", (long long)(s64)v);
	} else if (!strcmp(name, "len") || !strcmp(name, "old_len") || !strcmp(name, "new_len") ||
		   !strcmp(name, "access_rights") || !strcmp(name, "pages") ||
		   !strcmp(name, "cpu")) {
		seq_printf(m, "%llu", (unsigned long long)v);
	} else {
		seq_printf(m, "\"%#llx\"", (unsigned long long)v);
	}
}

/* Record r as one line of JSON. */
static void seq_record(struct seq_buf *m, const struct trace_record *r)
{
	seq_printf(m, "{\"ts\":%llu,\"pid\":%d,\"tid\":%d,\"comm\":\"", (unsigned long long)r->ts,
		   r->pid, r->tid);
	for (const char *c = r->comm; *c; c++)
		seq_printf(m, *c == '"' || *c == '\\' ? "\\%c" : (*c < 0x20 ? "?" : "%c"), *c);
	seq_printf(m, "\",\"event\":\"%s\",\"args\":{", event_names[r->event]);
	for (int i = 0; i < r->nargs; i++) {
		if (i)
			seq_printf(m, ",");
		seq_arg(m, r, i);
	}
	seq_printf(m, "}");
	if (r->event < TRACE_FAULT) { /* the system calls */
		seq_printf(m, ",\"ret\":");
		if (r->ret < 0 && r->ret >= -4095) {
			const char *name = errno_name(-r->ret);
			seq_printf(m, "-1,\"errno\":\"%s\"", name ? name : "?");
		} else if (r->event == TRACE_MMAP || r->event == TRACE_MREMAP ||
			   r->event == TRACE_BRK) {
			seq_printf(m, "\"%#llx\"", (unsigned long long)r->ret);
		} else {
			seq_printf(m, "%lld", (long long)r->ret);
		}
	}
	if (r->nranges) {
		seq_printf(m, ",\"vmas\":[");
		for (int i = 0; i < r->nranges; i++) {
			const struct trace_range_rec *v = &r->ranges[i];
			seq_printf(m, "%s{\"start\":\"%#llx\",\"end\":\"%#llx\",\"old\":",
				   i ? "," : "", (unsigned long long)v->start,
				   (unsigned long long)v->end);
			seq_vma_prot(m, v->old_flags);
			seq_printf(m, ",\"new\":");
			seq_vma_prot(m, v->new_flags);
			if ((v->old_flags ^ v->new_flags) & VM_PKEY_MASK)
				seq_printf(m, ",\"old_pkey\":%llu,\"new_pkey\":%llu",
					   (unsigned long long)((v->old_flags & VM_PKEY_MASK) >>
								VM_PKEY_SHIFT),
					   (unsigned long long)((v->new_flags & VM_PKEY_MASK) >>
								VM_PKEY_SHIFT));
			seq_printf(m, "}");
		}
		seq_printf(m, "]");
		if (r->more_ranges)
			seq_printf(m, ",\"more_vmas\":%u", r->more_ranges);
	}
	seq_printf(m, "}\n");
}

/* Prints one record on the console (trace_console): the same JSON line. */
static void trace_echo(const struct trace_record *r)
{
	struct seq_buf m = { 0 };

	/* Echoing is a debugging aid: unlike recording, it may allocate. */
	seq_record(&m, r);
	if (m.len && !m.overflow)
		printk("trace: %.*s", (int)m.len, m.buf);
	kfree(m.buf);
}

/* ---- W^X ---- */

int __wx_check(enum trace_event call, u64 addr, u64 len, u64 old_flags, u64 new_flags)
{
	bool wx = (new_flags & VM_WRITE) && (new_flags & VM_EXEC);
	bool w_to_x = (old_flags & VM_WRITE) && (new_flags & VM_EXEC) && !(old_flags & VM_EXEC);
	u64 prot = (new_flags & VM_READ ? PROT_READ : 0) | (new_flags & VM_WRITE ? PROT_WRITE : 0) |
		   (new_flags & VM_EXEC ? PROT_EXEC : 0);
	u64 old = (old_flags & VM_READ ? PROT_READ : 0) | (old_flags & VM_WRITE ? PROT_WRITE : 0) |
		  (old_flags & VM_EXEC ? PROT_EXEC : 0);

	if (!wx && !w_to_x)
		return 0;
	pr_warn("wx: %s pid %d (%s) %s %#llx+%#llx: %s\n",
		wx_policy == WX_REFUSE ? "refused" : "warning", current ? current->tgid : 0,
		current ? current->comm : "?", event_names[call], (unsigned long long)addr,
		(unsigned long long)len,
		wx ? "writable and executable" : "writable memory becomes executable");
	trace_event(TRACE_WX_ALERT, call, addr, len, prot, old, (u64)wx_policy);
	return wx_policy == WX_REFUSE ? -EACCES : 0;
}

/* ---- control ---- */

/*
 * Parses a comma-separated list of event names (or "all", "none") into a mask; false if bad.
 * "all" leaves tlb_flush out: it fires on nearly every call, so it is asked for by name.
 */
static bool parse_events(const char *s, size_t len, u32 *mask)
{
	u32 m = 0;

	while (len) {
		size_t n = 0;
		while (n < len && s[n] != ',')
			n++;
		if (n == 3 && !memcmp(s, "all", 3)) {
			m |= ((1u << TRACE_NR_EVENTS) - 1) & ~(1u << TRACE_TLB_FLUSH);
		} else if (!(n == 4 && !memcmp(s, "none", 4))) {
			int e;
			for (e = 0; e < TRACE_NR_EVENTS; e++)
				if (strlen(event_names[e]) == n && !memcmp(s, event_names[e], n))
					break;
			if (e == TRACE_NR_EVENTS)
				return false;
			m |= 1u << e;
		}
		s += n, len -= n;
		if (len)
			s++, len--;
	}
	*mask = m;
	return true;
}

/* Parses a decimal number; false if it is not one. */
static bool parse_num(const char *s, size_t len, long *out)
{
	long v = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > 0x7fffffff)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Parses "off", "warn" or "refuse"; -1 for anything else. */
static int parse_wx(const char *s, size_t len)
{
	static const char *const names[] = { "off", "warn", "refuse" };

	for (int i = 0; i < 3; i++)
		if (strlen(names[i]) == len && !memcmp(s, names[i], len))
			return i;
	return -1;
}

/* Applies one "key=value" setting; -EINVAL if it is not one. */
static int trace_setting(const char *s, size_t len)
{
	size_t k = 0;
	long v;

	while (k < len && s[k] != '=')
		k++;
	if (k == len)
		return -EINVAL;
	const char *val = s + k + 1;
	size_t vlen = len - k - 1;
	if (k == 6 && !memcmp(s, "events", 6)) {
		u32 mask;
		if (!parse_events(val, vlen, &mask))
			return -EINVAL;
		trace_mask = mask;
	} else if (k == 3 && !memcmp(s, "pid", 3) && parse_num(val, vlen, &v)) {
		trace_pid = (int)v;
	} else if (k == 7 && !memcmp(s, "console", 7) && parse_num(val, vlen, &v) && v <= 1) {
		trace_console = v;
	} else if (k == 2 && !memcmp(s, "wx", 2) && parse_wx(val, vlen) >= 0) {
		wx_policy = parse_wx(val, vlen);
	} else if (k == 4 && !memcmp(s, "dump", 4) && parse_num(val, vlen, &v)) {
		dump_task_mm((int)v);
	} else {
		return -EINVAL;
	}
	return 0;
}

void trace_init(void)
{
	const char *s = cmdline_get("trace");
	long v;

	if (s && !parse_events(s, strlen(s), &trace_mask))
		pr_warn("trace: unknown events in trace=%s\n", s);
	s = cmdline_get("trace_pid");
	if (s && parse_num(s, strlen(s), &v))
		trace_pid = (int)v;
	trace_console = cmdline_get("trace_console") != NULL;
	s = cmdline_get("wx");
	if (s) {
		int p = parse_wx(s, strlen(s));
		if (p < 0)
			pr_warn("wx: unknown policy wx=%s (off, warn, refuse)\n", s);
		else
			wx_policy = p;
	}
}

/*
 * /proc/warden/trace: every record held, oldest first, taken out of the rings once the whole
 * text is made (if memory runs out, the open fails and the records stay for the next reader).
 */
static int trace_show(struct seq_buf *m)
{
	u64 tails[NR_CPUS];

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM; /* reading takes the records: root's (CAP_SYS_ADMIN) only */

	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct trace_ring *ring = &trace_rings[cpu];
		for (tails[cpu] = ring->tail; tails[cpu] != ring->head; tails[cpu]++)
			seq_record(m, &ring->rec[tails[cpu] % TRACE_RING_SIZE]);
		if (m->overflow)
			return -ENOMEM;
	}
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		trace_rings[cpu].tail = tails[cpu];
	return 0;
}

/* /proc/warden/control, read: the settings and the counters. */
static int control_show(struct seq_buf *m)
{
	u64 dropped = 0, held = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		dropped += trace_rings[cpu].dropped;
		held += trace_rings[cpu].head - trace_rings[cpu].tail;
	}
	seq_printf(m, "events=");
	if (!trace_mask)
		seq_printf(m, "none");
	for (int e = 0, first = 1; e < TRACE_NR_EVENTS; e++)
		if (trace_mask & (1u << e)) {
			seq_printf(m, "%s%s", first ? "" : ",", event_names[e]);
			first = 0;
		}
	seq_printf(m, " pid=%d console=%d wx=%s\n", trace_pid, trace_console,
		   wx_policy == WX_REFUSE ? "refuse"
		   : wx_policy == WX_WARN ? "warn"
					  : "off");
	seq_printf(m, "held=%llu dropped=%llu size=%d\n", (unsigned long long)held,
		   (unsigned long long)dropped, TRACE_RING_SIZE * (int)nr_cpu_ids);
	return 0;
}

/* /proc/warden/control, write: blank-separated settings, applied in order; EINVAL at a bad one. */
static ssize_t control_write(struct file *file, struct iov_iter *from, s64 *ppos)
{
	size_t count = iov_iter_count(from);
	char buf[256];

	(void)file;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM; /* the W^X policy and tracing are the administrator's */
	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_iter(buf, count, from) != count)
		return -EFAULT;
	for (size_t i = 0; i < count;) {
		while (i < count && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t'))
			i++;
		size_t j = i;
		while (j < count && buf[j] != ' ' && buf[j] != '\n' && buf[j] != '\t')
			j++;
		if (j > i && trace_setting(buf + i, j - i))
			return -EINVAL;
		i = j;
	}
	*ppos += (s64)count;
	return (ssize_t)count;
}

int trace_proc_init(void)
{
	struct inode *dir = proc_mkdir(NULL, "warden");

	if (!dir)
		return -ENOMEM;
	int err = proc_create_seq(dir, "trace", 0400, trace_show, NULL);
	if (!err)
		err = proc_create_seq(dir, "control", 0600, control_show, control_write);
	if (!err)
		err = proc_create_seq(dir, "tlb", 0444, tlb_stats_show, NULL);
	if (!err)
		err = proc_create_seq(dir, "faults", 0444, fault_lockless_stats_show, NULL);
	if (!err)
		err = proc_create_seq(dir, "sched", 0444, sched_stats_show, NULL);
	if (!err)
		err = proc_create_seq(dir, "unix", 0444, unix_gc_stats_show, NULL);
	return err;
}
