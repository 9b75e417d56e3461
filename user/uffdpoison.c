/* uffdpoison: userfaultfd write protection meeting memory failure, as Linux 6.1: a page
 * write-protected by UFFDIO_WRITEPROTECT then poisoned (MADV_HWPOISON) becomes a hwpoison swap
 * entry without the mark, and a poisoned page next to a protected one stays poisoned; the
 * WRITEPROTECT ioctl then marks and unmarks the hwpoison entries too (pagemap bit 57 on a swap
 * entry), never making them accessible again: every access is still a SIGBUS BUS_MCEERR_AR.
 * Fork into a child whose copy is not registered drops the mark, UNREGISTER drops it. Root only
 * (MADV_HWPOISON needs CAP_SYS_ADMIN). */
#define _GNU_SOURCE
#include "common.h"
#include "uffdcommon.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#define FEATURE_WP 1ULL
#define NPAGES 4

static int ufd;
static char *area;
static sigjmp_buf env;
static volatile int got_sig, got_code;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	siglongjmp(env, 1);
}

static long wp(int first, int n, uint64_t mode)
{
	uint64_t w[3] = { (uint64_t)(area + first * PG), n * PG, mode };
	return sys3(SYS_ioctl, ufd, (long)UFFDIO_WRITEPROTECT, (long)w);
}

/* Each page's pagemap bits as "wp/swap/present" (57, 62, 63). */
static void show_pagemap(const char *what)
{
	int f = open("/proc/self/pagemap", O_RDONLY);

	printf("%s:", what);
	for (int i = 0; i < NPAGES; i++) {
		uint64_t e = 0;
		pread(f, &e, 8, (off_t)((uintptr_t)(area + i * PG) / PG * 8));
		printf(" %d/%d/%d", (int)(e >> 57 & 1), (int)(e >> 62 & 1), (int)(e >> 63 & 1));
	}
	printf("\n");
	close(f);
}

/* Reads the byte of page i: its value, or the signal and si_code. */
static void touch(int i)
{
	got_sig = 0;
	if (!sigsetjmp(env, 1)) {
		char c = *(volatile char *)(area + i * PG + 16);
		printf("  read page %d: %d\n", i, c);
		return;
	}
	printf("  read page %d: signal %d si_code %d\n", i, got_sig, got_code);
}

static void touch_all(void)
{
	for (int i = 0; i < NPAGES; i++)
		touch(i);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);

	ufd = (int)sys1(NR_userfaultfd, O_NONBLOCK | O_CLOEXEC);
	uint64_t a[3] = { UFFD_API, FEATURE_WP, 0 };
	show("api", sys3(SYS_ioctl, ufd, (long)UFFDIO_API, (long)a));
	area = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < NPAGES; i++)
		area[i * PG + 16] = (char)(10 + i);
	uint64_t r[4] = { (uint64_t)area, NPAGES * PG, 2, 0 };
	show("register MODE_WP", sys3(SYS_ioctl, ufd, (long)UFFDIO_REGISTER, (long)r));
	show("writeprotect pages 0-1", wp(0, 2, 1));
	show_pagemap("protected");

	/* page 1 protected and poisoned, page 2 poisoned next to it */
	show("poison page 1", sys3(SYS_madvise, (long)(area + PG), PG, MADV_HWPOISON));
	show("poison page 2", sys3(SYS_madvise, (long)(area + 2 * PG), PG, MADV_HWPOISON));
	show_pagemap("poisoned");
	touch_all();

	show("writeprotect pages 0-3", wp(0, 4, 1));
	show_pagemap("all protected");
	touch_all();

	show("unprotect pages 1-2", wp(1, 2, 0));
	show_pagemap("1-2 unprotected");
	touch_all();

	show("writeprotect pages 1-2", wp(1, 2, 1));
	pid_t pid = fork();
	if (!pid) {
		show_pagemap("child");
		touch_all();
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child status %d\n", st);
	show_pagemap("parent after fork");

	uint64_t u[2] = { (uint64_t)area, NPAGES * PG };
	show("unregister", sys3(SYS_ioctl, ufd, (long)UFFDIO_UNREGISTER, (long)u));
	show_pagemap("unregistered");
	touch_all();
	show("munmap", munmap(area, NPAGES * PG));
	return 0;
}
