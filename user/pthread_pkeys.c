/* pthread_pkeys: PKRU is per thread (issue 17 item 6; spec cases 69, 71, 74, 86 and 88 in threads,
 * docs/pkeys.md). A new thread starts with its creator's PKRU (clone copies the register);
 * pkey_alloc's rights (case 69) and WRPKRU change only the calling thread; a thread that faults
 * on a page of a key its own PKRU denies gets SIGSEGV SEGV_PKUERR with si_pkey in its own
 * handler, which starts with init_pkru_value (case 88), finds the faulting thread's PKRU (not the
 * main thread's) in the frame's XSAVE slot, and opens the key there so that the read completes
 * after sigreturn (case 74); PKRU survives a handler in a thread (case 86). Keys are allocated and
 * pages protected with raw system calls, PKRU read and written with RDPKRU/WRPKRU (pkeys.h).
 *
 * Cases 83-85 and 87 (a signal frame written while PKRU denies the stack's key) are not repeated
 * in a thread: Linux 6.1 kills the process there, Warden follows 6.12+ (pkeyframe.md).
 *
 * Without OSPKE (QEMU -cpu qemu64) it says so and stops: per CPU (pthread_pkeys.percpu, recording
 * expected/pthread_pkeys.qemu64.*). Built with musl and glibc (tests/user/glibc-programs). Needs
 * threads: listed in tests/user/pending-threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"
#include "pkeys.h"

#define P 4096UL

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static unsigned ad(int key)
{
	return 1u << (2 * key);
}
static unsigned wd(int key)
{
	return 2u << (2 * key);
}

/* ---- case 69: another thread's PKRU is untouched by pkey_alloc */
static sem_t ready, go, done;
static unsigned early_before, early_after;
static void *early(void *arg)
{
	(void)arg;
	early_before = rdpkru();
	sem_post(&ready);
	sem_wait(&go);
	early_after = rdpkru();
	sem_post(&done);
	return NULL;
}

/* ---- inheritance and per-thread WRPKRU */
static unsigned child_start, child_after_set, child_set_to;
static void *inherit(void *arg)
{
	(void)arg;
	child_start = rdpkru();
	wrpkru(child_set_to);
	child_after_set = rdpkru();
	sem_post(&ready);
	sem_wait(&go);
	return NULL;
}

/* ---- a pkey fault in a thread */
static volatile char *page;
static int fault_key;
static pthread_t faulter_self;
static volatile unsigned faulter_pkru, h_entry, h_slot, h_bv;
static volatile int h_runs, h_code, h_pkey, h_in_thread, h_addr_ok;

static void segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	h_entry = rdpkru();
	h_runs++;
	h_code = si->si_code;
	h_pkey = (int)siginfo_pkey(si);
	h_addr_ok = si->si_addr == (void *)page;
	h_in_thread = pthread_equal(pthread_self(), faulter_self);
	h_slot = *frame_pkru(uc);
	h_bv = !!(frame_xstate_bv(uc) & XFEATURE_MASK_PKRU);
	/* Open the key in the interrupted thread's PKRU: the read completes after sigreturn. */
	*frame_pkru(uc) &= ~(ad(fault_key) | wd(fault_key));
}

static unsigned after_fault_pkru;
static int read_value;
static void *faulter(void *arg)
{
	(void)arg;
	faulter_self = pthread_self();
	faulter_pkru = rdpkru() | ad(fault_key);
	wrpkru(faulter_pkru);
	read_value = page[0];
	after_fault_pkru = rdpkru();
	return NULL;
}

/* ---- case 86 in a thread */
static volatile unsigned usr1_entry;
static void on_usr1(int sig)
{
	(void)sig;
	usr1_entry = rdpkru();
}
static unsigned t86_set, t86_after;
static void *case86(void *arg)
{
	(void)arg;
	t86_set = 0xffffffffu & ~(3u << 0) & ~(3u << 6) & ~(3u << 14);
	wrpkru(t86_set);
	raise(SIGUSR1);
	t86_after = rdpkru();
	wrpkru(INIT_PKRU);
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *none;

	alarm(30);
	if (!has_ospke()) {
		printf("no OSPKE: protection keys are off on this CPU\n");
		return 0;
	}
	sem_init(&ready, 0, 0);
	sem_init(&go, 0, 0);
	sem_init(&done, 0, 0);
	unsigned start = rdpkru();
	printf("main: PKRU at start 0x%08x\n", start);

	/* #69 */
	pthread_create(&t, NULL, early, NULL);
	sem_wait(&ready);
	int k1 = (int)sys2(SYS_pkey_alloc, 0, PKEY_DISABLE_WRITE);
	printf("#69 pkey_alloc(0, PKEY_DISABLE_WRITE) in main: key %d; main's PKRU now 0x%08x "
	       "(WD set, AD clear for it: %s)\n",
	       k1, rdpkru(), yes((rdpkru() & (ad(k1) | wd(k1))) == wd(k1)));
	sem_post(&go);
	sem_wait(&done);
	pthread_join(t, &none);
	printf("#69 a thread that was already running: PKRU 0x%08x before, 0x%08x after (unchanged: "
	       "%s)\n",
	       early_before, early_after, yes(early_before == early_after));

	/* inheritance: main's PKRU now has key k1 write-disabled; add WD on key 5 as well */
	unsigned mine = rdpkru() | wd(5);
	wrpkru(mine);
	child_set_to = INIT_PKRU & ~(ad(3) | wd(3));
	pthread_create(&t, NULL, inherit, NULL);
	sem_wait(&ready);
	printf("new thread starts with its creator's PKRU 0x%08x: 0x%08x (%s)\n", mine, child_start,
	       yes(child_start == mine));
	printf("thread's WRPKRU 0x%08x: its PKRU 0x%08x; main's still 0x%08x (%s)\n", child_set_to,
	       child_after_set, rdpkru(), yes(rdpkru() == mine));
	sem_post(&go);
	pthread_join(t, &none);

	/* a pkey fault in a thread, while main's PKRU differs */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	fault_key = (int)sys2(SYS_pkey_alloc, 0, 0);
	page = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long r = sys4(SYS_pkey_mprotect, (long)page, P, PROT_READ | PROT_WRITE, fault_key);
	unsigned main_pkru = rdpkru();
	printf("pkey_alloc(0, 0): key %d; pkey_mprotect(page, RW, key): %ld; main's PKRU 0x%08x\n",
	       fault_key, r, main_pkru);
	page[0] = 42;
	pthread_create(&t, NULL, faulter, NULL);
	pthread_join(t, &none);
	printf("#71 thread reads the page with AD on key %d in its PKRU 0x%08x: %d handler run(s), "
	       "in that thread: %s, si_code %d (SEGV_PKUERR 4), si_pkey %d, si_addr right: %s\n",
	       fault_key, faulter_pkru, h_runs, yes(h_in_thread), h_code, h_pkey, yes(h_addr_ok));
	printf("#88 handler entry PKRU 0x%08x\n", h_entry);
	printf("frame PKRU slot 0x%08x (the faulting thread's: %s; main's 0x%08x), XSTATE_BV bit 9 "
	       "%d\n",
	       h_slot, yes(h_slot == faulter_pkru), rdpkru(), h_bv);
	printf("#74 handler opened the key in the frame: the read completed with %d, thread's PKRU "
	       "after 0x%08x\n",
	       read_value, after_fault_pkru);
	printf("main's PKRU unchanged through the thread's fault: %s\n", yes(rdpkru() == main_pkru));

	/* #86 in a thread */
	signal(SIGUSR1, on_usr1);
	pthread_create(&t, NULL, case86, NULL);
	pthread_join(t, &none);
	printf("#86 thread sets PKRU 0x%08x (all denied but keys 0, 3, 7), raise(SIGUSR1): handler "
	       "entry 0x%08x, after the handler 0x%08x (%s)\n",
	       t86_set, usr1_entry, t86_after, yes(t86_after == t86_set));
	printf("pkey_free %d: %ld, pkey_free %d: %ld\n", k1, sys1(SYS_pkey_free, k1), fault_key,
	       sys1(SYS_pkey_free, fault_key));
	return 0;
}
