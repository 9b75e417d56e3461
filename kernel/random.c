// SPDX-License-Identifier: MIT
/* Random bytes. Not cryptographic without RDRAND; enough for AT_RANDOM and tests. */
#include "kernel/random.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "mm/uaccess.h"
#include "fs/abi.h"

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM 0x2
#define GRND_INSECURE 0x4

static u64 mix_state;

/* One 64-bit random value: RDRAND if it succeeds, else splitmix64 over the TSC. */
static u64 random_u64(void)
{
	u64 v;
	u8 ok = 0;

	if (cpu_has(X86_FEATURE_RDRAND)) {
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
		if (ok)
			return v;
	}
	u64 z = (mix_state += 0x9e3779b97f4a7c15ULL ^ rdtsc());
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void get_random_bytes(void *buf, size_t n)
{
	u8 *b = buf;

	while (n) {
		u64 v = random_u64();
		size_t k = n < 8 ? n : 8;
		memcpy(b, &v, k);
		b += k;
		n -= k;
	}
}

long sys_getrandom(void *buf, size_t count, unsigned int flags)
{
	u8 chunk[256];
	size_t done = 0;

	if (flags & ~(unsigned int)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & GRND_INSECURE && flags & GRND_RANDOM))
		return -EINVAL;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT; /* Linux's import_single_range */
	while (done < count) {
		size_t k = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
		get_random_bytes(chunk, k);
		size_t left = copy_to_user((u8 *)buf + done, chunk, k);
		done += k - left;
		if (left)
			return done ? (long)done : -EFAULT;
		/*
		 * After each whole page, as Linux's get_random_bytes_user: a signal ends the
		 * call with what was written, and other tasks run (2 GiB of RDRAND takes
		 * minutes under QEMU, which held the CPU and the kernel lock all along).
		 */
		if (done % PAGE_SIZE == 0 && done < count) {
			if (signal_pending_current())
				break;
			cond_resched();
		}
	}
	return (long)done;
}
