// SPDX-License-Identifier: GPL-2.0
/*
 * tests/dynamic/dynmaps.c: a dynamically linked program (plain `gcc`, glibc) that prints what
 * the kernel and ld.so made of its address space, without addresses: each file mapping of
 * /proc/self/maps as its offset from the lowest mapping of the same file, its size, its
 * permissions and file offset, and the auxiliary vector's entries as relations to those
 * mappings. So the segments of the program, of ld.so and of libc.so.6, and the RELRO parts
 * ld.so made read-only with mprotect, must be the same on Warden and on Linux wherever each
 * object was put. Built twice: as a PIE (with ld.so) and as a static-pie, whose heap Linux
 * moves out of the mmap region, below the program. [vdso] and [vvar] (Linux's; Warden has no vDSO)
 * and anonymous mappings (their number depends on how each kernel merges them) are not printed.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#define MAXMAPS 128

struct map {
	unsigned long start, end, off;
	char perms[5];
	char name[256];
};

static struct map maps[MAXMAPS];
static int nmaps;

/* Reads /proc/self/maps into maps[]. */
static void read_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	if (!f) {
		perror("/proc/self/maps");
		exit(1);
	}
	while (nmaps < MAXMAPS && fgets(line, sizeof(line), f)) {
		struct map *m = &maps[nmaps];
		char name[256] = "";

		if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %255s", &m->start, &m->end, m->perms,
			   &m->off, name) < 4)
			continue;
		strcpy(m->name, name);
		nmaps++;
	}
	fclose(f);
}

/* The lowest address of a mapping of the named file (0: none). */
static unsigned long base_of(const char *name)
{
	unsigned long base = 0;

	for (int i = 0; i < nmaps; i++)
		if (!strcmp(maps[i].name, name) && (!base || maps[i].start < base))
			base = maps[i].start;
	return base;
}

/* The file mapping holding addr, or NULL. */
static const struct map *map_of(unsigned long addr)
{
	for (int i = 0; i < nmaps; i++)
		if (maps[i].name[0] == '/' && maps[i].start <= addr && addr < maps[i].end)
			return &maps[i];
	return NULL;
}

/* Prints where addr lies: the file and the offset from its base. */
static void where(const char *what, unsigned long addr)
{
	const struct map *m = map_of(addr);

	if (!m)
		printf("%s: not in a file mapping\n", what);
	else
		printf("%s: %s + 0x%lx\n", what, m->name, addr - base_of(m->name));
}

int main(void)
{
	const char *done[16];
	int ndone = 0;

	read_maps();
	for (int i = 0; i < nmaps; i++) {
		const char *name = maps[i].name;
		int seen = 0;

		if (name[0] != '/')
			continue;
		for (int j = 0; j < ndone; j++)
			seen |= !strcmp(done[j], name);
		if (seen || ndone == 16)
			continue;
		done[ndone++] = name;
		unsigned long base = base_of(name);
		printf("%s\n", name);
		for (int j = 0; j < nmaps; j++)
			if (!strcmp(maps[j].name, name))
				printf("  +%08lx %6lx %s %08lx\n", maps[j].start - base,
				       maps[j].end - maps[j].start, maps[j].perms, maps[j].off);
	}
	where("AT_BASE", getauxval(AT_BASE));
	where("AT_ENTRY", getauxval(AT_ENTRY));
	where("AT_PHDR", getauxval(AT_PHDR));
	where("main", (unsigned long)main);
	where("printf", (unsigned long)printf);
	printf("AT_PHENT %lu AT_PHNUM %s\n", getauxval(AT_PHENT),
	       getauxval(AT_PHNUM) > 0 && getauxval(AT_PHNUM) < 32 ? "in 1..31" : "bad");
	printf("AT_BASE below AT_ENTRY: %s\n",
	       getauxval(AT_BASE) > getauxval(AT_ENTRY) ? "no" : "yes");
	unsigned long heap = base_of("[heap]"), prog = getauxval(AT_PHDR) & ~0xfffUL;
	printf("heap: %s\n", !heap	   ? "absent"
			     : heap > prog ? "above the program"
					   : "below the program");
	printf("stack: %s\n", base_of("[stack]") ? "present" : "absent");
	return 0;
}
