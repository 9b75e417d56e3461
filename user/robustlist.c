/* robustlist: robust futex lists (issue 17 item 4): set_robust_list and get_robust_list and
 * their errors, and what the kernel does with the list of a process that dies (or execs)
 * holding locks: a word whose owner bits are the dead task's tid gets FUTEX_OWNER_DIED (its
 * FUTEX_WAITERS kept) and, if it had waiters, one is woken; list_op_pending's lock too; at
 * most 2048 entries are walked; a hostile list (a loop, bad pointers, a bad offset) ends the
 * walk and the process still exits.
 *
 * The locks live in a MAP_SHARED page so the parent sees what the kernel did to the child's
 * locks; a waiter is the parent itself, queued before the child dies (the child waits until
 * FUTEX_REQUEUE from the word to itself counts one waiter). No pid or address is printed.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include "common.h"

#define FUTEX_WAIT 0
#define FUTEX_REQUEUE 3
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u

struct robust_list {
	struct robust_list *next;
};

struct robust_list_head {
	struct robust_list list;
	long futex_offset;
	struct robust_list *list_op_pending;
};

/* A lock as glibc lays one out: the list node, then the futex word (futex_offset 8). */
struct lock {
	struct robust_list node;
	uint32_t word;
	uint32_t pad;
};

#define NLOCKS 3000

struct shm {
	struct lock locks[NLOCKS];
	volatile int ready;
	volatile uint32_t tid;
};
static struct shm *shm;
static struct robust_list_head head; /* the child's own (private) head */

static long futex(const void *uaddr, long op, long val, long utime, const void *uaddr2, long val3)
{
	return sys6(SYS_futex, (long)uaddr, op, val, utime, (long)uaddr2, val3);
}

static void nap(void)
{
	struct timespec t = { 0, 1000000 };

	sys2(SYS_nanosleep, (long)&t, 0);
}

static long count_waiters(uint32_t *uaddr)
{
	return futex(uaddr, FUTEX_REQUEUE, 0, INT_MAX, uaddr, 0);
}

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static void test_syscalls(void)
{
	struct robust_list_head *h = (void *)1;
	size_t len = 0;

	printf("-- set_robust_list, get_robust_list\n");
	show("get_robust_list(0, &h, &len) at the start", sys3(SYS_get_robust_list, 0, (long)&h,
								  (long)&len));
	printf("  head %s, len %zu\n", h ? "set" : "NULL", len);
	head.list.next = &head.list;
	head.futex_offset = offsetof(struct lock, word);
	show("set_robust_list(&head, 24)", sys2(SYS_set_robust_list, (long)&head, 24));
	show("set_robust_list(&head, 0)", sys2(SYS_set_robust_list, (long)&head, 0));
	show("set_robust_list(&head, 23)", sys2(SYS_set_robust_list, (long)&head, 23));
	show("set_robust_list(&head, 25)", sys2(SYS_set_robust_list, (long)&head, 25));
	show("set_robust_list(&head, ~0)", sys2(SYS_set_robust_list, (long)&head, -1));
	show("set_robust_list(&head, 24 + 1 << 32)",
	     sys2(SYS_set_robust_list, (long)&head, 24 + (1L << 32)));
	len = 0;
	h = NULL;
	show("get_robust_list(0, &h, &len)", sys3(SYS_get_robust_list, 0, (long)&h, (long)&len));
	printf("  head is &head: %s, len %zu\n", yes(h == &head), len);
	show("set_robust_list(NULL, 24)", sys2(SYS_set_robust_list, 0, 24));
	show("set_robust_list(0xffff800000000000, 24)",
	     sys2(SYS_set_robust_list, 0xffff800000000000L, 24));
	show("get_robust_list(0, &h, &len)", sys3(SYS_get_robust_list, 0, (long)&h, (long)&len));
	printf("  head is 0xffff800000000000: %s\n", yes((long)h == (long)0xffff800000000000L));
	sys2(SYS_set_robust_list, (long)&head, 24);
	len = 0;
	show("get_robust_list(0, NULL, &len)", sys3(SYS_get_robust_list, 0, 0, (long)&len));
	printf("  len written first: %zu\n", len);
	show("get_robust_list(0, &h, NULL)", sys3(SYS_get_robust_list, 0, (long)&h, 0));
	show("get_robust_list(0, &h, 0xffff800000000000)",
	     sys3(SYS_get_robust_list, 0, (long)&h, 0xffff800000000000L));
	show("get_robust_list(INT_MAX, &h, &len)",
	     sys3(SYS_get_robust_list, INT_MAX, (long)&h, (long)&len));
	show("get_robust_list(-1, &h, &len)", sys3(SYS_get_robust_list, -1, (long)&h, (long)&len));
	show("get_robust_list(INT_MIN, &h, &len)",
	     sys3(SYS_get_robust_list, INT_MIN, (long)&h, (long)&len));
	show("get_robust_list(getpid(), &h, &len)",
	     sys3(SYS_get_robust_list, getpid(), (long)&h, (long)&len));
	printf("  head is &head: %s\n", yes(h == &head));

	/* A forked child starts without a list; another process's list can be read. */
	shm->ready = 0;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct robust_list_head *ch = (void *)1;
		size_t clen;
		sys3(SYS_get_robust_list, 0, (long)&ch, (long)&clen);
		shm->ready = ch == NULL ? 1 : 2;
		static struct robust_list_head other;
		other.list.next = &other.list;
		sys2(SYS_set_robust_list, (long)&other, 24);
		shm->tid = (uint32_t)(uintptr_t)&other;
		shm->ready += 10;
		pause();
		_exit(0);
	}
	while (shm->ready < 10)
		nap();
	printf("forked child's list at its start: %s\n", shm->ready == 11 ? "none" : "set");
	show("get_robust_list(child)", sys3(SYS_get_robust_list, c, (long)&h, (long)&len));
	printf("  the child's own head: %s\n", yes((uint32_t)(uintptr_t)h == shm->tid));
	kill(c, SIGKILL);
	long r = 0;
	for (int i = 0; i < 5000; i++) { /* a zombie until reaped: its list goes at exit */
		h = (void *)1;
		r = sys3(SYS_get_robust_list, c, (long)&h, (long)&len);
		if (r || !h)
			break;
		nap();
	}
	show("get_robust_list(zombie child)", r);
	printf("  head %s\n", h ? "set" : "NULL (the list went at exit)");
	int st;
	waitpid(c, &st, 0);
	show("get_robust_list(reaped child)", sys3(SYS_get_robust_list, c, (long)&h, (long)&len));
}

/* The lock words the parent looks at after a death, their values printed in hex. */
static void print_word(const char *what, uint32_t w, uint32_t tid)
{
	if (tid && (w & 0x3fffffff) == tid)
		printf("  %s: the tid | 0x%x\n", what, w & ~0x3fffffffu);
	else if (tid && (w & 0x3fffffff) == tid + 1)
		printf("  %s: another tid | 0x%x\n", what, w & ~0x3fffffffu);
	else
		printf("  %s: 0x%x\n", what, w);
}

/* What a child does before dying: its list, set up by setup(tid), then a wait for the parent. */
typedef void (*setup_fn)(uint32_t tid);
static uint32_t *wait_for_word; /* the child exits once the parent waits here (NULL: at once) */

static int run_child(const char *name, setup_fn setup, long wait_ms, uint32_t *watch,
		     int expect_val_tid)
{
	int st;

	memset(shm->locks, 0, sizeof shm->locks);
	shm->ready = 0;
	printf("%s:\n", name);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		uint32_t tid = (uint32_t)sys0(SYS_gettid);
		head.list.next = &head.list;
		head.futex_offset = offsetof(struct lock, word);
		head.list_op_pending = NULL;
		setup(tid);
		sys2(SYS_set_robust_list, (long)&head, 24);
		shm->tid = tid;
		shm->ready = 1;
		if (wait_for_word)
			for (int i = 0; i < 20000 && count_waiters(wait_for_word) != 1; i++)
				nap();
		_exit(0);
	}
	while (!shm->ready)
		nap();
	if (wait_for_word) {
		struct timespec t = { wait_ms / 1000, wait_ms % 1000 * 1000000 };
		uint32_t v = *wait_for_word;
		long r = futex(wait_for_word, FUTEX_WAIT, v, wait_ms ? (long)&t : 0, 0, 0);
		show("  the parent's WAIT on the lock", r);
	}
	waitpid(c, &st, 0);
	printf("  child's exit: %s %d\n", WIFEXITED(st) ? "status" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	if (watch)
		print_word("lock word", *watch, expect_val_tid ? shm->tid : 0);
	return st;
}

/* Puts lock i on the child's list after the ones already there (at the front, in fact). */
static void link_lock(int i)
{
	shm->locks[i].node.next = head.list.next;
	head.list.next = &shm->locks[i].node;
}

static void owned_waiters(uint32_t tid)
{
	shm->locks[0].word = tid | FUTEX_WAITERS;
	link_lock(0);
}

static void owned(uint32_t tid)
{
	shm->locks[0].word = tid;
	link_lock(0);
}

static void not_owned(uint32_t tid)
{
	shm->locks[0].word = (tid + 1) | FUTEX_WAITERS;
	link_lock(0);
}

static void pending_owned(uint32_t tid)
{
	shm->locks[0].word = tid;
	head.list_op_pending = &shm->locks[0].node;
}

static void pending_free(uint32_t tid)
{
	(void)tid;
	shm->locks[0].word = 0;
	head.list_op_pending = &shm->locks[0].node;
}

static void pending_other_waiters(uint32_t tid)
{
	shm->locks[0].word = (tid + 1) | FUTEX_WAITERS;
	head.list_op_pending = &shm->locks[0].node;
}

static void pi_entry(uint32_t tid)
{
	shm->locks[0].word = tid | FUTEX_WAITERS;
	shm->locks[0].node.next = head.list.next;
	head.list.next = (struct robust_list *)((uintptr_t)&shm->locks[0].node | 1);
}

static void three_locks(uint32_t tid)
{
	for (int i = 0; i < 3; i++) {
		shm->locks[i].word = tid;
		link_lock(i);
	}
	shm->locks[1].word = tid + 1; /* the middle one is someone else's */
}

static void negative_offset(uint32_t tid)
{
	/* the word of lock 1 is 16 bytes before lock 2's node */
	shm->locks[1].word = tid;
	link_lock(2);
	head.futex_offset = -(long)sizeof(struct lock) + (long)offsetof(struct lock, word);
}

static void many_locks(uint32_t tid)
{
	for (int i = 0; i < NLOCKS; i++) {
		shm->locks[i].word = tid;
		link_lock(i);
	}
}

static void self_loop(uint32_t tid)
{
	shm->locks[0].word = tid;
	shm->locks[0].node.next = &shm->locks[0].node;
	head.list.next = &shm->locks[0].node;
}

static void two_loop(uint32_t tid)
{
	shm->locks[0].word = tid;
	shm->locks[1].word = tid;
	shm->locks[0].node.next = &shm->locks[1].node;
	shm->locks[1].node.next = &shm->locks[0].node;
	head.list.next = &shm->locks[0].node;
}

static void bad_next(uint32_t tid)
{
	shm->locks[0].word = tid;
	shm->locks[0].node.next = (struct robust_list *)0x10;
	head.list.next = &shm->locks[0].node;
}

static void kernel_next(uint32_t tid)
{
	shm->locks[0].word = tid;
	shm->locks[0].node.next = (struct robust_list *)0xffff800000000000UL;
	head.list.next = &shm->locks[0].node;
	head.list_op_pending = (struct robust_list *)0xffffffff80000000UL;
}

static void unaligned_offset(uint32_t tid)
{
	shm->locks[0].word = tid;
	link_lock(0);
	head.futex_offset = 9;
}

static void huge_offset(uint32_t tid)
{
	shm->locks[0].word = tid;
	link_lock(0);
	head.futex_offset = LONG_MIN;
}

static void test_deaths(void)
{
	printf("-- a child dies holding locks\n");
	wait_for_word = &shm->locks[0].word;
	run_child("owned, FUTEX_WAITERS, the parent waits", owned_waiters, 0, &shm->locks[0].word,
		  1);
	run_child("pending lock owned, the parent waits 300 ms (no FUTEX_WAITERS: no wake)",
		  pending_owned, 300, &shm->locks[0].word, 1);
	run_child("pending lock free (0), the parent waits: woken", pending_free, 0,
		  &shm->locks[0].word, 1);
	run_child("pending lock of another owner with waiters, the parent waits 300 ms",
		  pending_other_waiters, 300, &shm->locks[0].word, 1);
	run_child("a PI entry (bit 0), the parent waits 300 ms", pi_entry, 300,
		  &shm->locks[0].word, 1);
	wait_for_word = NULL;
	run_child("owned, no waiters", owned, 0, &shm->locks[0].word, 1);
	run_child("another owner's lock", not_owned, 0, &shm->locks[0].word, 1);
	run_child("three locks, the middle one another owner's", three_locks, 0, NULL, 0);
	for (int i = 0; i < 3; i++) {
		char what[32];
		snprintf(what, sizeof what, "lock %d", i);
		print_word(what, shm->locks[i].word, shm->tid);
	}
	run_child("futex_offset negative (the word before the node)", negative_offset, 0,
		  &shm->locks[1].word, 1);
	run_child("3000 locks", many_locks, 0, NULL, 0);
	int died = 0, left = 0;
	for (int i = 0; i < NLOCKS; i++) {
		if (shm->locks[i].word == FUTEX_OWNER_DIED)
			died++;
		else if (shm->locks[i].word == shm->tid)
			left++;
	}
	printf("  marked FUTEX_OWNER_DIED: %d, left as they were: %d\n", died, left);
	int first_left = -1;
	for (int i = 0; i < NLOCKS && first_left < 0; i++)
		if (shm->locks[i].word == shm->tid)
			first_left = i;
	printf("  the ones left are the first linked: %s\n", yes(first_left == 0 && left == 952));
}

static void test_hostile(void)
{
	printf("-- hostile lists: the walk ends, the process exits\n");
	wait_for_word = NULL;
	run_child("an entry that points to itself", self_loop, 0, &shm->locks[0].word, 1);
	run_child("two entries that point to each other", two_loop, 0, &shm->locks[1].word, 1);
	run_child("next pointer 0x10", bad_next, 0, &shm->locks[0].word, 1);
	run_child("next and pending pointers in the kernel half", kernel_next, 0,
		  &shm->locks[0].word, 1);
	run_child("futex_offset 9 (unaligned words)", unaligned_offset, 0, &shm->locks[0].word, 1);
	run_child("futex_offset LONG_MIN", huge_offset, 0, &shm->locks[0].word, 1);
	static const long heads[] = { 0x10, 0xffff800000000000L, 0x7ffffffff000L, -1 };
	for (unsigned i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		int st;
		fflush(stdout);
		pid_t c = fork();
		if (c == 0) {
			sys2(SYS_set_robust_list, heads[i], 24);
			_exit(3);
		}
		waitpid(c, &st, 0);
		printf("head 0x%lx: exit status %d\n", heads[i], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
}

static void test_exec(const char *self)
{
	int st;

	printf("-- execve walks the list and starts the new program without one\n");
	memset(shm->locks, 0, sizeof shm->locks);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		uint32_t tid = (uint32_t)sys0(SYS_gettid);
		head.list.next = &head.list;
		head.futex_offset = offsetof(struct lock, word);
		shm->locks[0].word = tid;
		shm->tid = tid;
		link_lock(0);
		sys2(SYS_set_robust_list, (long)&head, 24);
		char *argv[] = { (char *)self, "execd", NULL };
		execve(self, argv, environ);
		_exit(99);
	}
	waitpid(c, &st, 0);
	printf("the new program's list: %s\n",
	       WIFEXITED(st) && WEXITSTATUS(st) == 10 ? "none"
	       : WIFEXITED(st) && WEXITSTATUS(st) == 11 ? "set"
							  : "? (exec failed)");
	print_word("lock word after the exec", shm->locks[0].word, shm->tid);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "execd")) {
		struct robust_list_head *h = (void *)1;
		size_t len;
		sys3(SYS_get_robust_list, 0, (long)&h, (long)&len);
		return h ? 11 : 10;
	}
	shm = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	test_syscalls();
	test_deaths();
	test_hostile();
	test_exec(argv[0]);
	printf("robustlist: done\n");
	return 0;
}
