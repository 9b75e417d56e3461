/* pkeyregs: the PKRU register across signals, fork and execve, spec §3.7 and cases 86, 88, 89, 90
 * (the PKRU half; the allocation map half is in pkeyfault). Needs no pkey syscall: only
 * RDPKRU/WRPKRU and key 0, so it shows the arch side alone.
 *
 * Without OSPKE (CPUID.(7,0):ECX bit 4, e.g. QEMU -cpu qemu64) it says so and stops: that
 * recording is tests/user/expected/pkeyregs.qemu64.*.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "common.h"
#include "pkeys.h"

static volatile unsigned entry_pkru, nested_entry_pkru, slot_pkru, after_nested_pkru;
static volatile int slot_bv, sw_has_pkru, size_covers_slot, nested;

static void on_usr2(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	(void)ucv;
	nested_entry_pkru = rdpkru();
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	entry_pkru = rdpkru();
	slot_pkru = *frame_pkru(uc);
	slot_bv = !!(frame_xstate_bv(uc) & XFEATURE_MASK_PKRU);
	sw_has_pkru = !!(frame_sw_xfeatures(uc) & XFEATURE_MASK_PKRU);
	size_covers_slot = frame_sw_xstate_size(uc) >= pkru_offset() + 4;
	if (nested) {
		/* a handler's own PKRU is not what a nested handler starts with */
		wrpkru(0);
		raise(SIGUSR2);
		after_nested_pkru = rdpkru();
	}
}

/* Sets PKRU, raises SIGUSR1, reports what the handler saw and what PKRU came back. */
static void signal_round_trip(const char *what, unsigned pkru)
{
	entry_pkru = slot_pkru = 0x12345678;
	wrpkru(pkru);
	raise(SIGUSR1);
	unsigned after = rdpkru();
	wrpkru(INIT_PKRU);
	printf("%s: PKRU 0x%08x before; handler entry 0x%08x; frame slot 0x%08x, XSTATE_BV bit 9 %d; "
	       "after sigreturn 0x%08x\n",
	       what, pkru, entry_pkru, slot_pkru, slot_bv, after);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
		printf("#90 after execve: PKRU 0x%08x\n", rdpkru());
		return 0;
	}
	if (!has_ospke()) {
		printf("no OSPKE: protection keys are off on this CPU\n");
		return 0;
	}
	printf("#90 at program start: PKRU 0x%08x (init_pkru_value)\n", rdpkru());

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);

	/* #88: whatever was interrupted, the handler starts with init_pkru_value. */
	signal_round_trip("#88 all open", 0);
	signal_round_trip("#88 key 1 open", INIT_PKRU & ~0xcu);
	/* #86: keys 0, 3 and 7 open, the rest access-disabled; sigreturn brings it back. */
	signal_round_trip("#86 keys 0,3,7 open", 0x55555555u & ~0x3u & ~0xc0u & ~0xc000u);
	signal_round_trip("#86 write-disable 15", INIT_PKRU | 0x80000000u);
	printf("frame sw bytes: xfeatures has PKRU %d, xstate_size covers the PKRU slot %d\n",
	       sw_has_pkru, size_covers_slot);

	/* #88 nested: a handler that opened every key takes another signal. */
	nested = 1;
	wrpkru(0);
	raise(SIGUSR1);
	unsigned after = rdpkru();
	wrpkru(INIT_PKRU);
	nested = 0;
	printf("#88 nested: outer entry 0x%08x, inner entry 0x%08x, outer after inner 0x%08x, "
	       "after outer 0x%08x\n",
	       entry_pkru, nested_entry_pkru, after_nested_pkru, after);

	/* #89: fork copies the current PKRU. */
	unsigned forked = INIT_PKRU & ~0x3cu; /* keys 1 and 2 open */
	fflush(stdout);
	wrpkru(forked);
	pid_t pid = fork();
	if (pid == 0) {
		unsigned c = rdpkru();
		wrpkru(INIT_PKRU);
		printf("#89 fork: parent had 0x%08x, child starts with 0x%08x\n", forked, c);
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0); /* the parent sleeps: its PKRU must survive the context switches */
	unsigned parent_after = rdpkru();
	wrpkru(INIT_PKRU);
	printf("#89 parent after fork and wait: 0x%08x, child status %d\n", parent_after, st);

	/* #90: execve resets PKRU to init_pkru_value. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *args[] = { argv[0], "after-exec", NULL };
		wrpkru(0);
		execv("/prog", args);
		wrpkru(INIT_PKRU);
		printf("execv failed\n");
		_exit(1);
	}
	waitpid(pid, &st, 0);
	printf("#90 exec child status %d\n", st);
	return 0;
}
