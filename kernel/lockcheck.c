// SPDX-License-Identifier: MIT
/*
 * The lock checker (kernel/lockcheck.h). Per-CPU stacks of held locks and a small open-addressing
 * table of recorded orders (pairs of static lock addresses), itself under a raw spinlock.
 */
#include "kernel/lockcheck.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "kernel/kernel_lock.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"

#define LOCKCHECK_DEPTH 16
#define LOCKCHECK_ORDERS 1024 /* a power of two */

bool lockcheck_enabled;
void (*lockcheck_report_hook)(const char *what);

static struct {
	const void *lock[LOCKCHECK_DEPTH];
	const void *key[LOCKCHECK_DEPTH]; /* its class: the lock itself, or spin_lock_class's key */
	u64 site[LOCKCHECK_DEPTH]; /* where it was taken (a return address in the taker) */
	unsigned int depth;
} held[NR_CPUS];

static struct {
	const void *a, *b; /* a was held when b was taken */
} orders[LOCKCHECK_ORDERS];
static volatile u32
	orders_lock; /* a raw test-and-set lock: the checker checks no lock of its own */
static bool orders_full;

#define LOCKCHECK_ARRAYS 4
/* The lock arrays whose members nest in address order (lockcheck_register_array). */
static struct {
	const char *base;
	size_t stride;
	unsigned int n;
} arrays[LOCKCHECK_ARRAYS];

void lockcheck_register_array(const void *base, size_t stride, unsigned int n)
{
	for (int i = 0; i < LOCKCHECK_ARRAYS; i++) {
		if (arrays[i].base == base)
			return;
		if (!arrays[i].base) {
			arrays[i].stride = stride;
			arrays[i].n = n;
			__atomic_store_n(&arrays[i].base, (const char *)base, __ATOMIC_RELEASE);
			return;
		}
	}
}

/* True if held lock h and lock (h != lock) are members of one registered array, h after lock. */
static bool array_order_inverted(const void *h, const void *lock)
{
	for (int i = 0; i < LOCKCHECK_ARRAYS; i++) {
		const char *base = __atomic_load_n(&arrays[i].base, __ATOMIC_ACQUIRE);
		const char *end = base + arrays[i].stride * arrays[i].n;

		if (!base)
			break;
		if ((const char *)h >= base && (const char *)h < end &&
		    (const char *)lock >= base && (const char *)lock < end &&
		    ((const char *)h - base) % arrays[i].stride ==
			    ((const char *)lock - base) % arrays[i].stride)
			return h > lock;
	}
	return false;
}

extern char _data[], _end[];

static void lockcheck_acquired_at(const void *lock, const void *key, u64 site);

/* True for a lock in the kernel image's data: its address names one lock for the machine's life. */
static bool is_static(const void *lock)
{
	return (const char *)lock >= _data && (const char *)lock < _end;
}

/* The place a held lock was taken, or 0. */
static u64 held_site(const void *lock)
{
	unsigned int cpu = smp_processor_id();

	for (unsigned int i = 0; i < held[cpu].depth && i < LOCKCHECK_DEPTH; i++)
		if (held[cpu].lock[i] == lock)
			return held[cpu].site[i];
	return 0;
}

/* Prints a lock: its address and the function that took it (or is taking it). */
static void describe(const char *role, const void *lock, u64 site)
{
	char where[96] = "?";

	if (site)
		ksym_format(where, sizeof(where), site);
	pr_emerg("lockcheck:   %s: lock at %#llx, taken in %s\n", role, (unsigned long long)lock,
		 where);
}

/* Reports a violation: to the self-test's hook if one is set, else a panic with a backtrace. */
static void report(const char *what, const void *a, const void *b, u64 site)
{
	pr_emerg("lockcheck: %s on CPU %u\n", what, smp_processor_id());
	if (a)
		describe("held", a, held_site(a));
	if (b)
		describe("taking", b, site);
	if (lockcheck_report_hook) {
		lockcheck_report_hook(what);
		return;
	}
	panic("lockcheck: %s", what);
}

static u64 order_slot(const void *a, const void *b)
{
	u64 h = ((u64)a * 0x9e3779b97f4a7c15ULL) ^ ((u64)b * 0xc2b2ae3d27d4eb4fULL);

	return (h >> 32) & (LOCKCHECK_ORDERS - 1);
}

/* Looks the order a -> b up, and records it if add; true if it was there. */
static bool order_find(const void *a, const void *b, bool add)
{
	u64 f = read_rflags(), i = order_slot(a, b);
	bool found = false;

	local_irq_disable();
	while (__atomic_exchange_n(&orders_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (unsigned int n = 0; n < LOCKCHECK_ORDERS; n++, i = (i + 1) & (LOCKCHECK_ORDERS - 1)) {
		if (orders[i].a == a && orders[i].b == b) {
			found = true;
			break;
		}
		if (!orders[i].a) {
			if (add) {
				orders[i].a = a;
				orders[i].b = b;
			}
			break;
		}
		if (n == LOCKCHECK_ORDERS - 1 && add && !orders_full) {
			orders_full = true;
			pr_warn("lockcheck: order table full: new orders are not checked\n");
		}
	}
	__atomic_store_n(&orders_lock, 0, __ATOMIC_RELEASE);
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
	return found;
}

void lockcheck_check_order(const void *lock)
{
	u64 f = read_rflags(), site = (u64)__builtin_return_address(0);

	local_irq_disable();
	unsigned int cpu = smp_processor_id();
	for (unsigned int i = 0; i < held[cpu].depth && i < LOCKCHECK_DEPTH; i++) {
		const void *h = held[cpu].lock[i], *hk = held[cpu].key[i];
		if (!is_static(hk) || !is_static(lock) || hk == lock)
			continue;
		if (order_find(lock, hk, false))
			report("lock order inversion (the other order was seen before)", h, lock,
			       site);
		else
			order_find(hk, lock, true);
	}
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

/*
 * The checks before taking lock of class key (the lock itself for a static lock): recursion on
 * the lock, order against every held lock's class, both classes static. Then recorded held.
 */
static void acquire(const void *lock, const void *key, u64 site)
{
	u64 f = read_rflags();

	local_irq_disable();
	unsigned int cpu = smp_processor_id();
	for (unsigned int i = 0; i < held[cpu].depth && i < LOCKCHECK_DEPTH; i++) {
		const void *h = held[cpu].lock[i], *hk = held[cpu].key[i];
		if (h == lock) {
			report("recursive locking", h, lock, site);
			goto out; /* (only a self-test's hook returns here) */
		}
		if (array_order_inverted(h, lock)) {
			report("lock order inversion (two locks of an array, the later one held)",
			       h, lock, site);
			continue;
		}
		if (!is_static(hk) || !is_static(key) || hk == key)
			continue;
		if (order_find(key, hk, false))
			report("lock order inversion (the other order was seen before)", h, lock,
			       site);
		else
			order_find(hk, key, true);
	}
	lockcheck_acquired_at(lock, key, site);
out:
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

void lockcheck_acquire(const void *lock)
{
	acquire(lock, lock, (u64)__builtin_return_address(0));
}

void lockcheck_acquire_class(const void *lock, const void *key)
{
	acquire(lock, key, (u64)__builtin_return_address(0));
}

/* Pushes lock (of class key), taken at site, on this CPU's stack. */
static void lockcheck_acquired_at(const void *lock, const void *key, u64 site)
{
	u64 f = read_rflags();

	local_irq_disable();
	unsigned int cpu = smp_processor_id();
	if (held[cpu].depth < LOCKCHECK_DEPTH) {
		held[cpu].lock[held[cpu].depth] = lock;
		held[cpu].key[held[cpu].depth] = key;
		held[cpu].site[held[cpu].depth] = site;
	}
	held[cpu].depth++;
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

void lockcheck_acquired(const void *lock)
{
	lockcheck_acquired_at(lock, lock, (u64)__builtin_return_address(0));
}

void lockcheck_release(const void *lock)
{
	u64 f = read_rflags(), site = (u64)__builtin_return_address(0);

	local_irq_disable();
	unsigned int cpu = smp_processor_id(), d = held[cpu].depth;
	unsigned int top = d < LOCKCHECK_DEPTH ? d : LOCKCHECK_DEPTH;
	bool found = false;

	for (unsigned int i = top; i-- > 0;) {
		if (held[cpu].lock[i] != lock)
			continue;
		for (unsigned int j = i; j + 1 < top; j++) {
			held[cpu].lock[j] = held[cpu].lock[j + 1];
			held[cpu].key[j] = held[cpu].key[j + 1];
			held[cpu].site[j] = held[cpu].site[j + 1];
		}
		held[cpu].depth--;
		found = true;
		break;
	}
	if (!found && d <= LOCKCHECK_DEPTH)
		report("releasing a lock that is not held", NULL, lock, site);
	else if (!found)
		held[cpu].depth--; /* deeper than recorded: cannot tell */
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

void lockcheck_might_sleep(const void *kernel_lock)
{
	unsigned int cpu = smp_processor_id(), d = held[cpu].depth;

	for (unsigned int i = 0; i < d && i < LOCKCHECK_DEPTH; i++)
		if (held[cpu].lock[i] != kernel_lock)
			report("sleeping with a spinlock held", held[cpu].lock[i], NULL, 0);
}

void lockcheck_nofput_acquire(const void *sem)
{
	if (!lockcheck_enabled)
		return;
	current->nofput_depth++;
	current->nofput_lock = sem;
}

void lockcheck_nofput_release(const void *sem)
{
	if (!lockcheck_enabled)
		return;
	if (!current->nofput_depth)
		report("letting go of a sleeping lock not counted held", NULL, sem, 0);
	else if (!--current->nofput_depth)
		current->nofput_lock = NULL;
}

void lockcheck_fput(void)
{
	if (!lockcheck_enabled)
		return;
	unsigned int cpu = smp_processor_id(), d = held[cpu].depth;

	if (current->nofput_depth)
		report("a file's last fput under a sleeping lock its release may take", NULL,
		       current->nofput_lock, (u64)__builtin_return_address(0));
	for (unsigned int i = 0; i < d && i < LOCKCHECK_DEPTH; i++)
		if (held[cpu].lock[i] != &kernel_lock_data)
			report("a file's last fput with a spinlock held", held[cpu].lock[i], NULL,
			       0);
}

unsigned int lockcheck_depth(void)
{
	return held[smp_processor_id()].depth;
}

void lockcheck_reset_orders(void)
{
	u64 f = read_rflags();

	local_irq_disable();
	while (__atomic_exchange_n(&orders_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (unsigned int i = 0; i < LOCKCHECK_ORDERS; i++)
		orders[i].a = orders[i].b = NULL;
	orders_full = false;
	__atomic_store_n(&orders_lock, 0, __ATOMIC_RELEASE);
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}
