/* remapfile: remap_file_pages(2) as Linux 6.1 emulates it (mm/mmap.c): a new MAP_FIXED |
 * MAP_SHARED mapping of the same file at the new offset over the range, with the protection of
 * the VMA it replaces, populated unless MAP_NONBLOCK.
 *
 * Checks in Linux's order: prot not 0, a range that wraps (size 0 included: start and size are
 * rounded down to pages), an offset that wraps, no VM_SHARED VMA at start, a range that runs on
 * into a hole or into a VMA of another file or other flags: EINVAL each. The VMAs are shown by
 * their page offsets from the mapping and their file offsets in pages. */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include "residency.h"

/* remap_file_pages raw. */
static long rfp(void *start, long size, long prot, long pgoff, long flags)
{
	return sys6(SYS_remap_file_pages, (long)start, size, prot, pgoff, flags, 0);
}

/* Each VMA of /proc/self/maps inside [base, base + pages * PG): "pages A-B perms pgoff N". */
static void show_maps(const char *what, char *base, long pages)
{
	char *s = read_proc("/proc/self/maps");
	unsigned long lo = (unsigned long)base, hi = lo + pages * PG;

	printf("%s:\n", what);
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		unsigned long a, b, off;
		char perms[8];

		if (nl)
			*nl = 0;
		if (sscanf(line, "%lx-%lx %7s %lx", &a, &b, perms, &off) == 4 && a >= lo && b <= hi)
			printf("  pages %ld-%ld %s pgoff %ld\n", (long)(a - lo) / PG,
			       (long)(b - lo) / PG - 1, perms, (long)(off / PG));
		line = nl ? nl + 1 : NULL;
	}
}

/* "what: a b c": the first byte of each of n pages ('0' for zero). */
static void show_pages(const char *what, const char *p, int n)
{
	printf("%s:", what);
	for (int i = 0; i < n; i++)
		printf(" %c", p[i * PG] ? p[i * PG] : '0');
	printf("\n");
}

/* A memfd of n pages, page i filled with 'a' + i. */
static int filled_memfd(int n)
{
	int fd = (int)sys2(SYS_memfd_create, (long)"remapfile", 0);
	char buf[PG];

	for (int i = 0; i < n; i++) {
		memset(buf, 'a' + i, PG);
		if (write(fd, buf, PG) != PG)
			printf("write failed\n");
	}
	return fd;
}

int main(void)
{
	int fd = filled_memfd(8);
	/* A reserved window, so that the VMAs shown have no neighbours of ours. */
	char *g = mmap(NULL, 6 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p = mmap(g + PG, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	show_pages("linear", p, 4);
	show("page 0 <- file page 5", rfp(p, PG, 0, 5, 0));
	show_pages("now", p, 4);
	show_maps("VMAs", p, 4);
	show("pages 2-3 <- file pages 0-1, MAP_NONBLOCK", rfp(p + 2 * PG, 2 * PG, 0, 0, MAP_NONBLOCK));
	show_pages("now", p, 4);
	show_maps("VMAs", p, 4);
	show("pages 0-3 <- file pages 1-4, over 3 VMAs", rfp(p, 4 * PG, 0, 1, 0));
	show_pages("now", p, 4);
	show_maps("VMAs (merged again)", p, 4);
	show("unaligned start and size (rounded down)", rfp(p + 100, PG + 100, 0, 7, 0));
	show_pages("now", p, 4);
	show("unknown flags are ignored", rfp(p + PG, PG, 0, 6, ~0L));
	show_pages("now", p, 4);
	p[3 * PG] = 'W';
	char buf[1];
	pread(fd, buf, 1, 4 * PG);
	printf("write through it reaches file page 4: %c\n", buf[0]);

	show("prot PROT_READ", rfp(p, PG, PROT_READ, 0, 0));
	show("size 0", rfp(p, 0, 0, 0, 0));
	show("size below a page", rfp(p, 100, 0, 0, 0));
	show("range wraps", rfp(p, -(long)PG, 0, 0, 0));
	show("pgoff wraps", rfp(p, 2 * PG, 0, -1L, 0));
	show("start in no VMA", rfp(g, PG, 0, 0, 0));
	show("range runs into the gap", rfp(p + 3 * PG, 2 * PG, 0, 0, 0));
	show("file offset past the end (mapped, SIGBUS on touch)", rfp(p, PG, 0, 100, 0));
	show_maps("VMAs", p, 4);
	show("back to page 0", rfp(p, PG, 0, 0, 0));

	char *priv = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	show("private file mapping", rfp(priv, PG, 0, 1, 0));
	char *a = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("private anonymous", rfp(a, PG, 0, 1, 0));
	int rofd = open("/proc/self/fd/3", O_RDONLY);
	char *ro = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, rofd, 0);
	show("shared mapping of an O_RDONLY open (not VM_SHARED)", rfp(ro, PG, 0, 1, 0));
	char *rw2 = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	show("shared read-only mapping", rfp(rw2, PG, 0, 1, 0));
	show_pages("it", rw2, 2);

	/* Two VMAs of different flags (mprotect split): the range may not cross them. */
	show("mprotect page 1 read-only", sys3(SYS_mprotect, (long)(p + PG), PG, PROT_READ));
	show("across two VMAs of other flags", rfp(p, 2 * PG, 0, 2, 0));
	show("inside the read-only one", rfp(p + PG, PG, 0, 3, 0));
	show_maps("VMAs", p, 4);
	show_pages("now", p, 4);

	/* Shared anonymous memory: its pages move around like a file's. */
	char *s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 3; i++)
		s[i * PG] = 'A' + i;
	show("shared anonymous page 0 <- page 2", rfp(s, PG, 0, 2, 0));
	show_pages("shared anonymous", s, 3);

	/* A locked VMA stays locked. */
	show("mlock pages 2-3", sys2(SYS_mlock, (long)(p + 2 * PG), 2 * PG));
	show("locked page 2 <- file page 0", rfp(p + 2 * PG, PG, 0, 0, 0));
	show_vmas("smaps", p, 4);

	/* SysV shared memory (LTP's shmctl05 remaps an attach while IPC_RMID runs). */
	int id = shmget(IPC_PRIVATE, 2 * PG, IPC_CREAT | 0600);
	char *shm = shmat(id, NULL, 0), *shm2;
	shm[0] = 'x';
	shm[PG] = 'y';
	show("SysV attach page 0 <- page 1", rfp(shm, PG, 0, 1, 0));
	show_pages("attach", shm, 2);
	struct shmid_ds ds;
	shmctl(id, IPC_STAT, &ds);
	printf("shm_nattch %ld\n", (long)ds.shm_nattch);
	shmdt(shm);
	shmctl(id, IPC_STAT, &ds);
	printf("after shmdt: shm_nattch %ld\n", (long)ds.shm_nattch);
	shmctl(id, IPC_RMID, NULL);

	/* Removed while attached: the remap unmaps the last attach first, which destroys the
	 * segment, and then the new mapping of it fails (EINVAL) and leaves a hole. */
	id = shmget(IPC_PRIVATE, PG, IPC_CREAT | 0600);
	shm = shmat(id, NULL, 0);
	show("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
	show("remap the last attach", rfp(shm, PG, 0, 0, 0));
	show("shmdt", sys1(SYS_shmdt, (long)shm));
	show("shmctl IPC_STAT", shmctl(id, IPC_STAT, &ds) ? -errno : 0);
	/* Two attaches: the remap of one keeps the segment. */
	id = shmget(IPC_PRIVATE, PG, IPC_CREAT | 0600);
	shm = shmat(id, NULL, 0);
	shm2 = shmat(id, NULL, 0);
	show("IPC_RMID with two attaches", shmctl(id, IPC_RMID, NULL));
	show("remap one", rfp(shm, PG, 0, 0, 0));
	shmctl(id, IPC_STAT, &ds);
	printf("shm_nattch %ld\n", (long)ds.shm_nattch);
	show("shmdt the other", sys1(SYS_shmdt, (long)shm2));
	show("remap again", rfp(shm, PG, 0, 0, 0));
	return 0;
}
