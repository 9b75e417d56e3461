/* pkeys: what protection keys cost (issue 7), in guest instructions under QEMU -icount shift=0
 * (tools/bench-pkeys), on Warden and on Linux running this same binary. Each benchmark is one
 * entry of the table in main(): a name and a function doing one iteration; add new ones there
 * (pkey_mprotect of one page, pkey_alloc + pkey_free, ...).
 *
 * - pkuerr_round_trip: a read of a page whose key is access-disabled faults (SEGV_PKUERR), the
 *   handler writes 0 into the frame's PKRU slot and returns, rt_sigreturn loads it, the read
 *   completes; WRPKRU re-arms the key for the next iteration.
 * - signal_round_trip: raise(SIGUSR1) to an empty handler and back (frame with PKRU, XRSTOR on
 *   return), for comparison with the fault.
 * - wrpkru_rdpkru: the two instructions alone.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#define ITER 2000
#define P 4096

static volatile char *page;
static long pkey = -1;
static unsigned pkru_denied;
static unsigned pkru_offset;

static unsigned rdpkru(void)
{
	unsigned eax, edx;

	__asm__ volatile("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static void wrpkru(unsigned pkru)
{
	__asm__ volatile("wrpkru" ::"a"(pkru), "c"(0), "d"(0) : "memory");
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	*(unsigned *)((char *)uc->uc_mcontext.fpregs + pkru_offset) = 0;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void pkuerr_round_trip(void)
{
	wrpkru(pkru_denied);
	(void)page[0];
}

static void signal_round_trip(void)
{
	raise(SIGUSR1);
}

static void wrpkru_rdpkru(void)
{
	wrpkru(rdpkru());
}

/* Sets up a page under an access-disabled key; 0 when the kernel has no pkeys. */
static int setup_pkey(void)
{
	unsigned r[4];

	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(7), "c"(0));
	if (!((r[2] >> 4) & 1))
		return 0; /* no OSPKE */
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0xd), "c"(9));
	pkru_offset = r[1];
	page = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page[0] = 1;
	pkey = syscall(SYS_pkey_alloc, 0, 0);
	if (pkey < 0 || syscall(SYS_pkey_mprotect, (long)page, P, PROT_READ | PROT_WRITE, pkey))
		return 0;
	pkru_denied = 1u << (2 * pkey); /* every other key open */
	return 1;
}

int main(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
		int needs_pkey;
	} benches[] = {
		{ "pkuerr_round_trip", pkuerr_round_trip, 1 },
		{ "signal_round_trip", signal_round_trip, 0 },
		{ "wrpkru_rdpkru", wrpkru_rdpkru, 1 },
	};
	struct sigaction sa;
	int have_pkeys = setup_pkey();

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	signal(SIGUSR1, on_usr1);
	for (unsigned i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		if (benches[i].needs_pkey && !have_pkeys) {
			printf("%-20s skipped: no protection keys\n", benches[i].name);
			continue;
		}
		benches[i].fn(); /* warm up */
		unsigned long long t0 = __rdtsc();
		for (int n = 0; n < ITER; n++)
			benches[i].fn();
		unsigned long long t1 = __rdtsc();
		wrpkru(0x55555554);
		printf("%-20s %8llu guest instructions per iteration (%d iterations)\n",
		       benches[i].name, (t1 - t0) / ITER, ITER);
	}
	return 0;
}
