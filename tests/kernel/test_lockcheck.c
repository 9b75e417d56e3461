// SPDX-License-Identifier: MIT
/*
 * Self-tests of the lock checker (kernel/lockcheck.h): with reports sent to a counter instead of
 * a panic, an order inversion of two static locks, two locks of an ordered array (the run
 * queues') taken later one first, a recursion, a release of a lock not held and a sleep with a
 * spinlock held are each reported once, and correct nesting is not. Locks in allocated memory
 * taken with spin_lock_class are checked by class: an order seen with one instance and inverted
 * with another is reported.
 */
#include "kernel/selftest.h"
#include "kernel/kernel_lock.h"
#include "kernel/lockcheck.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/slab.h"

static spinlock_t lock_a = SPINLOCK_INIT, lock_b = SPINLOCK_INIT, lock_c = SPINLOCK_INIT;
static unsigned int reports;
static const char *last_report;

static void count_report(const char *what)
{
	reports++;
	last_report = what;
}

/* Runs fn with the checker on and reports counted; restores the checker's state after. */
static void with_checker(void (*fn)(void))
{
	bool was = lockcheck_enabled;

	reports = 0;
	last_report = "";
	lockcheck_report_hook = count_report;
	lockcheck_reset_orders();
	lockcheck_enabled = true;
	fn();
	lockcheck_enabled = was;
	lockcheck_report_hook = NULL;
	lockcheck_reset_orders();
}

static void nest_a_b_twice(void)
{
	for (int i = 0; i < 2; i++) {
		spin_lock(&lock_a);
		spin_lock(&lock_b);
		spin_unlock(&lock_b);
		spin_unlock(&lock_a);
	}
}

static void invert(void)
{
	nest_a_b_twice();
	spin_lock(&lock_b);
	spin_lock(&lock_a); /* B -> A after A -> B: reported */
	spin_unlock(&lock_a);
	spin_unlock(&lock_b);
}

static void recurse(void)
{
	spin_lock(&lock_c);
	lockcheck_acquire(&lock_c); /* what a second spin_lock(&lock_c) checks before spinning */
	spin_unlock(&lock_c);
}

static void release_unheld(void)
{
	spin_unlock(&lock_c);
}

/* Three locks of an array registered as nesting in address order, as the run queues' locks. */
static struct {
	spinlock_t lock;
	u64 pad;
} lock_array[3];

static void array_in_order(void)
{
	lockcheck_register_array(lock_array, sizeof(lock_array[0]), 3);
	spin_lock(&lock_array[0].lock);
	spin_lock(&lock_array[2].lock);
	spin_unlock(&lock_array[2].lock);
	spin_unlock(&lock_array[0].lock);
}

static void array_inverted(void)
{
	lockcheck_register_array(lock_array, sizeof(lock_array[0]), 3);
	spin_lock(&lock_array[2].lock);
	spin_lock(&lock_array[1].lock); /* a later one held: reported at once */
	spin_unlock(&lock_array[1].lock);
	spin_unlock(&lock_array[2].lock);
}

static void sleep_holding(void)
{
	spin_lock(&lock_a);
	lockcheck_might_sleep(&kernel_lock_data); /* what schedule() checks */
	spin_unlock(&lock_a);
}

static char class_key; /* the class of the two allocated locks below */
static spinlock_t *instance[2];

/* Instance 0 of the class, then static lock_a (class -> A); then A, then instance 1 (A -> class).
 */
static void invert_by_class(void)
{
	spin_lock_class(instance[0], &class_key);
	spin_lock(&lock_a);
	spin_unlock(&lock_a);
	spin_unlock(instance[0]);
	spin_lock(&lock_a);
	spin_lock_class(instance[1], &class_key); /* reported: another lock, the same class */
	spin_unlock(instance[1]);
	spin_unlock(&lock_a);
}

SELFTEST(lockcheck_lock_classes)
{
	instance[0] = kmalloc(sizeof(spinlock_t), GFP_ZERO);
	instance[1] = kmalloc(sizeof(spinlock_t), GFP_ZERO);
	if (instance[0] && instance[1])
		with_checker(invert_by_class);
	kfree(instance[0]);
	kfree(instance[1]);
	ST_ASSERT(instance[0] && instance[1]);
	ST_ASSERT_EQ(reports, 1);
	ST_ASSERT(!strcmp(last_report, "lock order inversion (the other order was seen before)"));
}

SELFTEST(lockcheck_reports)
{
	unsigned int depth = lockcheck_depth();

	with_checker(nest_a_b_twice);
	ST_ASSERT_EQ(reports, 0);
	with_checker(invert);
	ST_ASSERT_EQ(reports, 1);
	ST_ASSERT(!strcmp(last_report, "lock order inversion (the other order was seen before)"));
	with_checker(recurse);
	ST_ASSERT_EQ(reports, 1);
	ST_ASSERT(!strcmp(last_report, "recursive locking"));
	with_checker(release_unheld);
	ST_ASSERT_EQ(reports, 1);
	ST_ASSERT(!strcmp(last_report, "releasing a lock that is not held"));
	with_checker(array_in_order);
	ST_ASSERT_EQ(reports, 0);
	with_checker(array_inverted);
	ST_ASSERT_EQ(reports, 1);
	ST_ASSERT(!strcmp(last_report,
			  "lock order inversion (two locks of an array, the later one held)"));
	with_checker(sleep_holding);
	ST_ASSERT_EQ(reports, 1);
	ST_ASSERT(!strcmp(last_report, "sleeping with a spinlock held"));
	ST_ASSERT_EQ(lockcheck_depth(), depth);
}
