/* stackgap: where mmap places a mapping near a MAP_GROWSDOWN VMA (spec §2.6). Linux keeps
 * stack_guard_gap (256 pages) free below a stack, for a search without a hint as for a hint: the
 * gap below a VM_GROWSDOWN VMA ends at vm_start_gap(), 256 pages under its start. A range with
 * another VMA between it and the stack needs no gap. Runs first thing, so the top-down search
 * sees the same layout on every run; prints distances in pages, never addresses. */
#include <fcntl.h>
#include <sys/mman.h>

#include "common.h"

#define P 4096L
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static long mm(long addr, long len, long prot, long flags)
{
	return sys6(SYS_mmap, addr, len, prot, flags, -1, 0);
}

/* "what: at the hint" or "what: elsewhere", and where the new range ends, in pages. */
static long place(const char *what, long stack, long hint, long len)
{
	long r = mm(hint, len, PROT_READ, ANON);

	if (is_err(r)) {
		printf("%s: -1 %s\n", what, errname((int)-r));
		return r;
	}
	printf("%s: %s, ", what, !hint ? "no hint" : r == hint ? "at the hint" : "elsewhere");
	if (r + len <= stack)
		printf("ends %ld pages below the stack\n", (stack - (r + len)) / P);
	else
		printf("starts %ld pages above the stack\n", (r - stack) / P);
	return r;
}

/* The start of the lowest mapping, from the first line of /proc/self/maps. */
static unsigned long lowest_mapping(void)
{
	char buf[64] = { 0 };
	long fd = sys2(SYS_open, (long)"/proc/self/maps", O_RDONLY);
	unsigned long v = 0;

	sys3(SYS_read, fd, (long)buf, sizeof(buf) - 1);
	sys1(SYS_close, fd);
	for (char *s = buf; *s && *s != '-'; s++)
		v = v * 16 + (unsigned long)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
	return v;
}

/*
 * Fills the whole address space with PROT_NONE mappings (not accounted), halving the size each
 * time one no longer fits anywhere. While room is left below mmap_base the search is top-down and
 * lands under `top` (the first mapping this program made, just under mmap_base); after that x86
 * falls back to the bottom-up search above TASK_UNMAPPED_BASE (a third of the address space),
 * which finds the room between mmap_base and the stack.
 */
static void fill(long top)
{
	long below = 0, above = 0, r;

	for (long sz = 1L << 46; sz >= P; sz /= 2)
		while (!is_err(r = mm(0, sz, PROT_NONE, ANON | MAP_NORESERVE)))
			r < top ? below++ : above++;
	printf("filled below the first mapping with more than 20 mappings: %s\n",
	       below > 20 ? "yes" : "no");
	printf("and then above it: %s\n", above > 0 ? "yes" : "no");
	r = mm(0, P, PROT_NONE, ANON);
	printf("then one page: %s\n", is_err(r) ? errname((int)-r) : "mapped");
	printf("lowest mapping below mmap_min_addr (0x10000): %s\n",
	       lowest_mapping() < 0x10000 ? "yes" : "no");
}

int main(void)
{
	/* Room for everything: a 4 MiB hole reserved and given back, the stack at its top. */
	long hole = mm(0, 1024 * P, PROT_NONE, ANON);
	long stack = hole + 1023 * P;

	sys2(SYS_munmap, hole, 1024 * P);
	long r = mm(stack, P, RW, ANON | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE);
	printf("MAP_GROWSDOWN at the top of the hole: %s\n", r == stack ? "yes" : "no");

	long a = place("one page", stack, 0, P);
	long b = place("four more pages", stack, 0, 4 * P);
	sys2(SYS_munmap, a, P);
	sys2(SYS_munmap, b, 4 * P);

	sys2(SYS_munmap, place("hint 1 page below the stack", stack, stack - P, P), P);
	sys2(SYS_munmap, place("hint ending 255 pages below", stack, stack - 256 * P, P), P);
	long c = place("hint ending 256 pages below", stack, stack - 257 * P, P);

	/* MAP_FIXED may put a VMA inside the guard gap; a range under that VMA needs no gap. */
	r = mm(stack - 10 * P, P, PROT_READ, ANON | MAP_FIXED);
	printf("MAP_FIXED 9 pages below the stack: %s\n", r == stack - 10 * P ? "yes" : "no");
	place("hint just under that VMA", stack, stack - 11 * P, P);
	sys2(SYS_munmap, c, P);
	sys2(SYS_munmap, place("one page again", stack, 0, P), P);
	sys2(SYS_munmap, place("hint 1 page below the stack again", stack, stack - P, P), P);
	sys2(SYS_munmap, place("hint 5 pages below the stack", stack, stack - 5 * P, P), P);
	place("two pages, hint 3 pages below the MAP_FIXED VMA", stack, stack - 14 * P, 2 * P);
	fill(hole);
	return 0;
}
