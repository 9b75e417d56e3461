// SPDX-License-Identifier: MIT
/*
 * mm/poison.c under ASan: poison_find against a byte-by-byte reference on random buffers made
 * of pattern bytes at random phases (many partial runs), at every start alignment and length, so
 * the word-at-a-time scan never reads outside the buffer and finds exactly the runs the rule
 * names: 16 pattern bytes at any phase, or an aligned word holding the pattern in its own phase.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "kernel/compiler.h"
#include "mm/poison.h"

static u8 pbyte(u64 i)
{
	return (u8)(POISON_PATTERN >> (8 * (i & 7)));
}

/* The phase of byte c in the pattern, or -1. */
static int phase_of(u8 c)
{
	for (int i = 0; i < 8; i++)
		if (pbyte(i) == c)
			return i;
	return -1;
}

/* The reference: the first maximal run that qualifies, by scanning every byte. */
static bool ref_find(const u8 *p, size_t n, size_t *off, size_t *run)
{
	size_t i = 0;

	while (i < n) {
		int k = phase_of(p[i]);
		if (k < 0) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && p[j] == pbyte((u64)k + (j - i)))
			j++;
		bool word = false;
		for (size_t a = i; a + 8 <= j; a++)
			if (((uintptr_t)(p + a) & 7) == 0 && p[a] == pbyte(0))
				word = true;
		if (j - i >= POISON_MIN_RUN || word) {
			*off = i;
			*run = j - i;
			return true;
		}
		i = j;
	}
	return false;
}

HOST_TEST(poison_find_matches_reference)
{
	srand(15);
	for (int iter = 0; iter < 50000; iter++) {
		size_t n = (size_t)(rand() % 72), mis = (size_t)(rand() % 8);
		u8 *block = malloc(n + mis + 1);
		u8 *p = block + mis;
		size_t i = 0;
		while (i < n) {
			size_t len = (size_t)(rand() % 20);
			int k = rand() % 8;
			for (size_t j = 0; j < len && i < n; j++, i++)
				p[i] = (rand() % 64) ? pbyte((u64)k + j) : (u8)rand();
			if (i < n && rand() % 2)
				p[i++] = (u8)rand();
		}
		/* The buffer ends exactly at n: ASan catches any read past it. */
		u8 *exact = malloc(n ? n : 1);
		memcpy(exact, p, n);
		size_t o1 = 0, r1 = 0, o2 = 0, r2 = 0;
		bool f1 = poison_find(exact, n, &o1, &r1);
		bool f2 = ref_find(exact, n, &o2, &r2);
		CHECK_EQ(f1, f2);
		if (f1 && f2) {
			CHECK_EQ(o1, o2);
			CHECK_EQ(r1, r2);
		}
		free(exact);
		free(block);
	}
}

HOST_TEST(poison_fill_then_find)
{
	u8 *buf = malloc(256);

	for (size_t start = 0; start < 16; start++)
		for (size_t len = 0; len < 40; len++) {
			memset(buf, 0, 256);
			poison_fill(buf + start, len);
			size_t off, run;
			bool found = poison_find(buf, 256, &off, &run);
			bool aligned_word = ALIGN_UP(start, 8) + 8 <= start + len;
			CHECK_EQ(found, len >= POISON_MIN_RUN || aligned_word);
			if (found) {
				CHECK_EQ(off, start);
				CHECK_EQ(run, len);
			}
		}
	free(buf);
}
