/* stress: processes that fork, fault, copy on write, change protections and remap at once,
 * under a fast timer tick (tests/warden/stress.append boots with hz=1000), checking all their
 * data: nothing may be lost or mixed up between processes (issue 10, docs/testing.md).
 *
 *   stress [WORKERS [ITERATIONS]]     (default 6 workers, 40 iterations)
 *
 * Each worker owns private, shared-anonymous and file-backed memory filled with a pattern that
 * names the worker and the iteration. Each iteration it forks a child; parent and child then run
 * concurrently: both check the inherited private copy, both rewrite it with their own pattern
 * (copy on write), the child moves part of it with mremap and protects pages RO/NONE/RW and back,
 * and writes its result into the shared memory and the file; after wait4 the parent checks that
 * its copy holds only its own pattern and that the child's shared and file writes arrived whole.
 * Every failure prints a line starting with FAIL; the exit status is the number of failures.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGES 48

static int worker_id;
static volatile uint64_t *sync_page; /* [worker]: children that ran while their parent spun */

/* The value of word i of a region written by (owner, generation). */
static uint64_t pat(uint64_t owner, uint64_t gen, uint64_t i)
{
	uint64_t x = (owner << 48) ^ (gen << 32) ^ i;
	x ^= x >> 17;
	x *= 0xed5ad4bb;
	return x ^ (x >> 11);
}

static void fill(uint64_t *p, size_t words, uint64_t owner, uint64_t gen)
{
	for (size_t i = 0; i < words; i++)
		p[i] = pat(owner, gen, i);
}

/* Index of the first wrong word, or -1. */
static long check(const uint64_t *p, size_t words, uint64_t owner, uint64_t gen)
{
	for (size_t i = 0; i < words; i++)
		if (p[i] != pat(owner, gen, i))
			return (long)i;
	return -1;
}

static int failures;

static void fail(const char *what, int iter, long word)
{
	printf("FAIL worker %d iteration %d: %s (word %ld)\n", worker_id, iter, what, word);
	fflush(stdout);
	failures++;
}

/* Burns some time so the tick lands in the middle of things. */
static void spin(int n)
{
	for (volatile int i = 0; i < n; i++)
		;
}

/* The child of one iteration: check, write its own pattern, remap and protect, report. */
static int child_work(uint64_t *priv, uint64_t *shared, uint64_t *filemap, int fd, int iter)
{
	size_t words = PAGES * PAGE / 8;
	uint64_t me = 100 + (uint64_t)worker_id, gen = (uint64_t)iter;
	int bad = 0;

	if (check(priv, words, (uint64_t)worker_id, gen) >= 0)
		bad |= 1; /* the inherited copy */
	sync_page[64 + worker_id] = gen + 1; /* "I ran": the parent looks after its own spin */
	fill(priv, words, me, gen); /* copy on write, page by page */
	spin(20000);
	/* protections: read-only, none, back; the data stays */
	bad |= mprotect(priv, 16 * PAGE, PROT_READ) ? 2 : 0;
	if (check(priv, words, me, gen) >= 0)
		bad |= 4;
	bad |= mprotect(priv + 16 * PAGE / 8, 8 * PAGE, PROT_NONE) ? 2 : 0;
	spin(10000);
	bad |= mprotect(priv, PAGES * PAGE, PROT_READ | PROT_WRITE) ? 2 : 0;
	if (check(priv, words, me, gen) >= 0)
		bad |= 8;
	/* move the region elsewhere and back into a new place: contents follow */
	uint64_t *moved = mremap(priv, PAGES * PAGE, PAGES * PAGE * 2, MREMAP_MAYMOVE);
	if (moved == MAP_FAILED)
		return 16;
	if (check(moved, words, me, gen) >= 0)
		bad |= 32;
	for (size_t i = words; i < 2 * words; i += 512)
		if (moved[i] != 0)
			bad |= 64; /* grown part is zero */
	/* results for the parent: shared memory and the file */
	fill(shared, words, me, gen);
	fill(filemap, words / 2, me, gen + 1000);
	uint64_t tail[64];
	for (int i = 0; i < 64; i++)
		tail[i] = pat(me, gen + 2000, (uint64_t)i);
	if (pwrite(fd, tail, sizeof(tail), PAGES * PAGE / 2) != (ssize_t)sizeof(tail))
		bad |= 128;
	return bad;
}

/* One worker: ITER iterations of fork + concurrent work + checks. */
static void worker(int iters)
{
	size_t words = PAGES * PAGE / 8;
	char name[64];
	snprintf(name, sizeof(name), "/tmp/stress.%d", worker_id);
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, PAGES * PAGE)) {
		fail("file", 0, -1);
		return;
	}
	uint64_t *priv = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			      -1, 0);
	uint64_t *shared = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t *filemap = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED || filemap == MAP_FAILED) {
		fail("mmap", 0, -1);
		return;
	}
	for (int it = 0; it < iters; it++) {
		uint64_t gen = (uint64_t)it;
		fill(priv, words, (uint64_t)worker_id, gen);
		memset(shared, 0, PAGES * PAGE);
		pid_t pid = fork();
		if (pid < 0) {
			fail("fork", it, -1);
			continue;
		}
		if (pid == 0)
			_exit(child_work(priv, shared, filemap, fd, it));
		/* the parent writes its own copy while the child runs */
		long w = check(priv, words, (uint64_t)worker_id, gen);
		if (w >= 0)
			fail("parent's copy changed before it wrote", it, w);
		fill(priv, words, (uint64_t)worker_id, gen + 500);
		spin(30000);
		if (sync_page[64 + worker_id] == gen + 1)
			__atomic_add_fetch(&sync_page[0], 1, __ATOMIC_RELAXED); /* interleaved */
		if ((w = check(priv, words, (uint64_t)worker_id, gen + 500)) >= 0)
			fail("parent's copy changed under it (child's writes leaked?)", it, w);
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			fail("waitpid", it, -1);
			continue;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			char why[80];
			snprintf(why, sizeof(why), "child failed: status %#x", status);
			fail(why, it, -1);
		}
		uint64_t me = 100 + (uint64_t)worker_id;
		if ((w = check(shared, words, me, gen)) >= 0)
			fail("shared memory lost the child's writes", it, w);
		if ((w = check(filemap, words / 2, me, gen + 1000)) >= 0)
			fail("file mapping lost the child's writes", it, w);
		for (int i = 0; i < 64; i++)
			if (filemap[words / 2 + (size_t)i] != pat(me, gen + 2000, (uint64_t)i)) {
				fail("the child's pwrite is not in the mapping", it, i);
				break;
			}
		if ((w = check(priv, words, (uint64_t)worker_id, gen + 500)) >= 0)
			fail("parent's copy changed after the child ended", it, w);
	}
	close(fd);
	unlink(name);
}

int main(int argc, char **argv)
{
	int workers = argc > 1 ? atoi(argv[1]) : 6, iters = argc > 2 ? atoi(argv[2]) : 40;
	mkdir("/tmp", 01777);
	sync_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int w = 0; w < workers; w++) {
		pid_t pid = fork();
		if (pid == 0) {
			worker_id = w + 1;
			worker(iters);
			_exit(failures > 100 ? 100 : failures);
		}
	}
	int status, total = 0;
	pid_t pid;
	while ((pid = wait(&status)) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("FAIL worker pid %d: status %#x\n", (int)pid, status);
			total++;
		}
	printf("stress: %d workers x %d iterations: %s; %llu iterations had parent and child "
	       "interleaved by preemption\n",
	       workers, iters, total ? "FAILED" : "all data intact", (unsigned long long)sync_page[0]);
	return total;
}
