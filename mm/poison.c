// SPDX-License-Identifier: MIT
/*
 * The poison pattern (boot option `poison`, see mm/poison.h): filling memory with it and
 * finding it again. Generic code, also built for the host unit tests; the check of copies to
 * user space is in mm/uaccess.c, the kernel-stack fill in the entry code.
 */
#include "mm/poison.h"
#include "kernel/compiler.h"

bool debug_poison;
const u64 poison_pattern = POISON_PATTERN;

/* The pattern byte at phase i (0..7). */
static u8 poison_byte(u64 i)
{
	return (u8)(POISON_PATTERN >> (8 * (i & 7)));
}

void poison_fill(void *p, size_t n)
{
	u8 *b = p;
	u8 *end = b + n;

	while (b < end && ((uintptr_t)b & 7))
		*b = poison_byte((uintptr_t)b), b++;
	for (; end - b >= 8; b += 8)
		*(u64 *)b = POISON_PATTERN;
	while (b < end)
		*b = poison_byte((uintptr_t)b), b++;
}

/* The phase of byte c in the pattern (0..7), or -1 if the pattern has no such byte. */
static int poison_phase(u8 c)
{
	for (int i = 0; i < 8; i++)
		if (poison_byte(i) == c)
			return i;
	return -1;
}

/* The word that starts at pattern phase k: the pattern rotated right by k bytes. */
static u64 poison_rotated(int k)
{
	return k ? (POISON_PATTERN >> (8 * k)) | (POISON_PATTERN << (64 - 8 * k)) : POISON_PATTERN;
}

/*
 * Measures the pattern run through the aligned word at b (which matches at phase k): back to
 * its first byte and on to its last, within [lo, hi). Returns its start; *len its length.
 */
static const u8 *poison_run(const u8 *lo, const u8 *hi, const u8 *b, int k, size_t *len)
{
	const u8 *s = b, *e = b + 8;
	u64 ph = (u64)k;

	while (s > lo && s[-1] == poison_byte(ph - 1 - (u64)(b - s)))
		s--;
	while (e < hi && *e == poison_byte(ph + (u64)(e - b)))
		e++;
	*len = (size_t)(e - s);
	return s;
}

/*
 * A run of POISON_MIN_RUN (>= 15) bytes always covers one whole aligned word, so only aligned
 * words are compared: one lookup and one compare per eight bytes. An aligned word that is the
 * pattern in its own address phase (k == 0: a stale stack slot or struct member, left where
 * the fill put it or copied with its alignment) is reported on its own: eight bytes.
 */
bool poison_find(const void *p, size_t n, size_t *offset, size_t *run)
{
	const u8 *lo = p, *hi = lo + n;
	const u8 *b = (const u8 *)ALIGN_UP((uintptr_t)lo, 8);

	_Static_assert(POISON_MIN_RUN >= 15, "a run must cover an aligned word");
	while (hi - b >= 8) {
		u64 w = *(const u64 *)b;
		int k = poison_phase((u8)w);
		if (k < 0 || w != poison_rotated(k)) {
			b += 8;
			continue;
		}
		size_t len;
		const u8 *s = poison_run(lo, hi, b, k, &len);
		if (len >= POISON_MIN_RUN || (k == 0 && ((uintptr_t)b & 7) == 0)) {
			*offset = (size_t)(s - lo);
			*run = len;
			return true;
		}
		b = (const u8 *)ALIGN_UP((uintptr_t)(s + len), 8); /* past the short run */
	}
	return false;
}
