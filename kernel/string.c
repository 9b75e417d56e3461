// SPDX-License-Identifier: MIT
/*
 * Memory and string functions. memcpy and memset use the string instructions (8 bytes per
 * iteration, then the tail), which are fast on every CPU Warden targets and keep the kernel small.
 */
#include "kernel/string.h"

/*
 * Copies n bytes; the regions must not overlap. Eight bytes at a time (rep movsq), then the
 * tail: one eighth of the string-instruction iterations of a byte copy, which is what counts
 * under QEMU's instruction counting and costs nothing on real CPUs.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t q = n >> 3, b = n & 7;

	__asm__ __volatile__("rep movsq\n\t"
			     "mov %[b], %%rcx\n\t"
			     "rep movsb"
			     : "+D"(d), "+S"(src), "+c"(q)
			     : [b] "r"(b)
			     : "memory");
	return dst;
}

/* Copies n bytes; the regions may overlap. */
void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/* Fills n bytes with c, eight at a time and then the tail (as memcpy). */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t q = n >> 3, b = n & 7;
	u64 v = (u64)(u8)c * 0x0101010101010101ULL;

	__asm__ __volatile__("rep stosq\n\t"
			     "mov %[b], %%rcx\n\t"
			     "rep stosb"
			     : "+D"(d), "+c"(q)
			     : "a"(v), [b] "r"(b)
			     : "memory");
	return dst;
}

/* Compares n bytes as unsigned chars. */
int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
