/* pkeyfault: protection-key faults as signals, spec §3.7, §4.1-4.2 and cases 71-74 (the kernel
 * selftest protection_keys.c's read/write of access- and write-disabled regions, present or not
 * yet populated) and the allocation half of case 90. The SA_SIGINFO handler records si_code,
 * si_pkey (offset 0x20), REG_ERR, the PKRU it starts with and the frame's PKRU slot, then writes
 * 0 into that slot and returns, so the access completes (case 74) and PKRU reads 0 afterwards.
 * Keys come from the raw pkey_alloc and pkey_mprotect syscalls.
 *
 * Without OSPKE it says so and stops (expected/pkeyfault.qemu64.*).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"
#include "pkeys.h"

#define P 4096UL

static volatile int faults, got_code;
static volatile unsigned got_pkey, got_entry_pkru, got_slot, got_bv;
static volatile unsigned long got_err, got_off;
static char *arena;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	faults++;
	got_code = si->si_code;
	got_pkey = siginfo_pkey(si);
	got_off = (unsigned long)si->si_addr - (unsigned long)arena;
	got_err = uc->uc_mcontext.gregs[REG_ERR];
	got_entry_pkru = rdpkru();
	got_slot = *frame_pkru(uc);
	got_bv = !!(frame_xstate_bv(uc) & XFEATURE_MASK_PKRU);
	*frame_pkru(uc) = 0; /* every key open after sigreturn: the access completes */
}

/* Runs one access with PKRU = pkru and reports what happened. */
static void access_with(const char *what, unsigned pkru, char *p, int write, int key)
{
	faults = got_code = 0;
	got_pkey = got_entry_pkru = got_slot = got_bv = 0;
	got_err = got_off = 0;
	wrpkru(pkru);
	if (write)
		*(volatile char *)p = 7;
	else
		(void)*(volatile char *)p;
	unsigned after = rdpkru();
	wrpkru(INIT_PKRU);
	if (!faults) {
		printf("%s: no fault, PKRU after 0x%08x\n", what, after);
		return;
	}
	printf("%s: %d fault, si_code %d, si_pkey is the key %s, si_addr +%#lx, REG_ERR %#lx; "
	       "handler PKRU 0x%08x; frame PKRU slot 0x%08x (%s), XSTATE_BV bit 9 %u; "
	       "PKRU after return 0x%08x\n",
	       what, faults, got_code, got_pkey == (unsigned)key ? "yes" : "no", got_off, got_err,
	       got_entry_pkru, got_slot, got_slot == pkru ? "the interrupted PKRU" : "other",
	       got_bv, after);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
		unsigned pkru = rdpkru();
		long k = sys2(SYS_pkey_alloc, 0, 0);
		printf("#90 after execve: PKRU 0x%08x, first pkey_alloc %ld\n", pkru, k);
		return 0;
	}
	if (!has_ospke()) {
		printf("no OSPKE: protection keys are off on this CPU\n");
		return 0;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);

	long k = sys2(SYS_pkey_alloc, 0, 0);
	show("pkey_alloc(0, 0)", k);
	if (k < 0)
		return 1;
	/* Every other key open, so the interrupted PKRU differs from the handler's. */
	unsigned ad = PKEY_DISABLE_ACCESS << (2 * k), wd = PKEY_DISABLE_WRITE << (2 * k);
	printf("PKRU after pkey_alloc 0x%08x\n", rdpkru());

	arena = mmap(NULL, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("pkey_mprotect(arena, 8 pages, RW, k)",
	     sys4(SYS_pkey_mprotect, (long)arena, 8 * P, PROT_READ | PROT_WRITE, k));

	/* Pages 0-3 never touched before their test; pages 4-7 written first (present). */
	for (int i = 4; i < 8; i++)
		arena[i * P] = 1;
	access_with("#71 read, AD, not populated", ad, arena + 0 * P + 0x11, 0, (int)k);
	access_with("#71 read, AD, present", ad, arena + 4 * P + 0x22, 0, (int)k);
	access_with("#72 read, WD, not populated", wd, arena + 1 * P + 0x33, 0, (int)k);
	access_with("#72 read, WD, present", wd, arena + 5 * P + 0x44, 0, (int)k);
	access_with("#73 write, WD, not populated", wd, arena + 2 * P + 0x55, 1, (int)k);
	access_with("#73 write, WD, present", wd, arena + 6 * P + 0x66, 1, (int)k);
	access_with("#73 write, AD, not populated", ad, arena + 3 * P + 0x77, 1, (int)k);
	access_with("#73 write, AD, present", ad, arena + 7 * P + 0x88, 1, (int)k);
	access_with("open key: read", INIT_PKRU & ~(3u << (2 * k)), arena + 3 * P, 0, (int)k);
	printf("#74 values written by completed accesses: %d %d %d\n", arena[2 * P + 0x55],
	       arena[6 * P + 0x66], arena[3 * P + 0x77]);

	/* #90: the allocation map and PKRU start afresh after execve. */
	show("second pkey_alloc(0, PKEY_DISABLE_WRITE)", sys2(SYS_pkey_alloc, 0, PKEY_DISABLE_WRITE));
	wrpkru(0x0c);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = { argv[0], "after-exec", NULL };
		execv("/prog", args);
		_exit(1);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("#90 exec child status %d\n", st);
	return 0;
}
