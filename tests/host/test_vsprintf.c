// SPDX-License-Identifier: MIT
/*
 * kernel/vsprintf.c against the C library's formatter: every conversion, flag, width, precision
 * and length the kernel supports, extreme values, truncation, and a randomized comparison.
 *
 * Getting the host's answer needs care. kernel/vsprintf.o defines the symbols vsnprintf and
 * snprintf, and the executable's definitions take the place of libc's, so a plain snprintf() call
 * here would run the kernel's code on both sides of the comparison. The reference is therefore
 * vasprintf(): a different symbol, which glibc implements directly on its internal formatter
 * (it never calls the public vsnprintf), so it is the host's answer whatever the kernel defines.
 * It gives the full output; what a truncated snprintf() must produce follows from that (the first
 * size-1 bytes and a terminator, returning the full length), so truncation needs no second
 * reference.
 *
 * The kernel's side is called through a volatile function pointer: GCC knows snprintf and
 * vsnprintf as builtins and would otherwise compute some results at compile time
 * (-fprintf-return-value) or fold calls into string copies, testing GCC instead of the kernel.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "kernel/vsprintf.h"

/* The kernel's formatter, out of GCC's sight (see the top of the file). */
static int (*volatile kern_vsnprintf)(char *, size_t, const char *, va_list) = vsnprintf;
static int (*volatile kern_snprintf)(char *, size_t, const char *, ...) = snprintf;

/* Formats with the kernel into buf (size bytes). */
static __printf(3, 4) int kfmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kern_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Runs the kernel's vsnprintf with a buffer of exactly size bytes (NULL for 0, so ASan catches
 * any write past the end) and checks the result against want (want_len bytes, the full output):
 * the return value is want_len, and the buffer holds its first size-1 bytes and a terminator.
 */
static int check_sized(const char *file, int line, const char *fmt, size_t size, const char *want,
		       int want_len, va_list ap)
{
	char *buf = size ? malloc(size) : NULL;
	int ok = 1;

	if (size)
		memset(buf, 0x5a, size);
	int n = kern_vsnprintf(buf, size, fmt, ap);
	if (n != want_len) {
		host_fail(file, line, "format \"%s\", size %zu: returned %d, expected %d", fmt,
			  size, n, want_len);
		ok = 0;
	} else if (size) {
		size_t keep = (size_t)want_len < size ? (size_t)want_len : size - 1;
		if (memcmp(buf, want, keep) != 0) {
			host_fail(file, line,
				  "format \"%s\", size %zu: got \"%.*s\", expected \"%.*s\"", fmt,
				  size, (int)keep, buf, (int)keep, want);
			ok = 0;
		} else if (buf[keep] != '\0') {
			host_fail(file, line, "format \"%s\", size %zu: byte %zu is %#x, not 0",
				  fmt, size, keep, (unsigned char)buf[keep]);
			ok = 0;
		}
	}
	free(buf);
	return ok;
}

/*
 * Formats with both the host and the kernel, and checks the kernel against the host with a
 * roomy buffer, with no buffer at all, and with buffers cut short at interesting places.
 */
static __printf(3, 4) int check_same(const char *file, int line, const char *fmt, ...)
{
	size_t sizes[] = { 1024, 0, 1, 2, 0, 0, 0 };
	char *want;
	va_list ap, aq;
	int len, ok = 1;

	va_start(ap, fmt);
	va_copy(aq, ap);
	len = vasprintf(&want, fmt, aq);
	va_end(aq);
	if (len < 0) {
		host_fail(file, line, "host vasprintf failed on \"%s\"", fmt);
		va_end(ap);
		return 0;
	}
	sizes[4] = (size_t)len / 2 + 1;
	sizes[5] = (size_t)len;
	sizes[6] = (size_t)len + 1;
	for (size_t i = 0; i < ARRAY_SIZE(sizes) && ok; i++) {
		va_copy(aq, ap);
		ok = check_sized(file, line, fmt, sizes[i], want, len, aq);
		va_end(aq);
	}
	va_end(ap);
	free(want);
	return ok;
}

#define CHECK_FMT(fmt, ...)                                            \
	do {                                                           \
		if (!check_same(__FILE__, __LINE__, fmt, __VA_ARGS__)) \
			return;                                        \
	} while (0)

/*
 * The same for formats whose flags C defines but -Wformat calls pointless ("%+u", "%-08d",
 * "%08.3d"): they are worth testing, so these calls go through a pointer, whose type has no
 * format attribute to check them against.
 */
static int (*const check_same_odd)(const char *, int, const char *, ...) = check_same;

#define CHECK_FMT_ODD(fmt, ...)                                            \
	do {                                                               \
		if (!check_same_odd(__FILE__, __LINE__, fmt, __VA_ARGS__)) \
			return;                                            \
	} while (0)

/* Checks the kernel's output for a format against a fixed string (kernel-specific behaviour). */
#define CHECK_KFMT(want, fmt, ...)                                     \
	do {                                                           \
		char kbuf_[256];                                       \
		int n_ = kfmt(kbuf_, sizeof(kbuf_), fmt, __VA_ARGS__); \
		CHECK_STR_EQ(kbuf_, want);                             \
		CHECK_EQ(n_, strlen(want));                            \
	} while (0)

/* Text without conversions, and "%%". */
HOST_TEST(vsprintf_plain_text)
{
	char buf[16];

	CHECK_EQ(kfmt(buf, sizeof(buf), "%s", ""), 0);
	CHECK_STR_EQ(buf, "");
	CHECK_FMT("hello, world%s", "");
	CHECK_FMT("100%% sure%s", "");
	CHECK_FMT("%%%%%s%%", "x");
	CHECK_FMT("tab\tnewline\n%s", "end");
}

/* %d and %i with every flag, width and precision, on edge values. */
HOST_TEST(vsprintf_decimal)
{
	int v[] = { 0, 1, -1, 7, -7, 42, 99999, -123456, INT_MAX, INT_MIN, INT_MIN + 1 };

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		CHECK_FMT("%d", v[i]);
		CHECK_FMT("%i", v[i]);
		CHECK_FMT("[%5d]", v[i]);
		CHECK_FMT("[%-5d]", v[i]);
		CHECK_FMT("[%05d]", v[i]);
		CHECK_FMT("[%+d]", v[i]);
		CHECK_FMT("[% d]", v[i]);
		CHECK_FMT("[%+08d]", v[i]);
		CHECK_FMT("[% 08d]", v[i]);
		CHECK_FMT("[%-+8d]", v[i]);
		CHECK_FMT("[%- 8d]", v[i]);
		CHECK_FMT_ODD("[% +d]", v[i]);
		CHECK_FMT_ODD("[%-08d]", v[i]);
		CHECK_FMT("[%.3d]", v[i]);
		CHECK_FMT("[%8.3d]", v[i]);
		CHECK_FMT("[%-8.3d]", v[i]);
		CHECK_FMT_ODD("[%08.3d]", v[i]);
		CHECK_FMT("[%+.12d]", v[i]);
		CHECK_FMT("[%.0d]", v[i]);
		CHECK_FMT("[%5.0d]", v[i]);
		CHECK_FMT("[%1d]", v[i]);
		CHECK_FMT("[%40d]", v[i]);
		CHECK_FMT("[%040i]", v[i]);
	}
}

/* %u %x %X %o with widths, precisions, '0' and '#'. */
HOST_TEST(vsprintf_unsigned_hex_octal)
{
	unsigned int v[] = { 0,	  1,   7,    8,		 9,	     10,	 15,	  16,
			     255, 256, 0777, 0x7fffffff, 0x80000000, 0xdeadbeef, UINT_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		CHECK_FMT("%u %x %X %o", v[i], v[i], v[i], v[i]);
		CHECK_FMT("[%12u|%-12x|%012X|%12o]", v[i], v[i], v[i], v[i]);
		CHECK_FMT("[%#x|%#X|%#o]", v[i], v[i], v[i]);
		CHECK_FMT("[%#12x|%#-12X|%#012o]", v[i], v[i], v[i]);
		CHECK_FMT("[%#012x|%#012X]", v[i], v[i]);
		CHECK_FMT("[%.0u|%.0x|%.0o|%#.0x|%#.0o]", v[i], v[i], v[i], v[i], v[i]);
		CHECK_FMT("[%.6u|%.6x|%.6o|%#.6x|%#.6o]", v[i], v[i], v[i], v[i], v[i]);
		CHECK_FMT("[%#.1o|%#.2o|%#.3o|%#5.3o]", v[i], v[i], v[i], v[i]);
		CHECK_FMT_ODD("[%012.6x|%-#12.6X|%#012.6o]", v[i], v[i], v[i]);
		CHECK_FMT("[%1x|%2o|%3u]", v[i], v[i], v[i]);
	}
}

/*
 * C: "+" and " " apply to signed conversions only, and glibc (like Linux's vsnprintf) ignores
 * them for u, o, x and X: "%+u" of 5 gives "5".
 */
HOST_TEST(vsprintf_sign_flags_unsigned)
{
	CHECK_FMT_ODD("[%+u]", 5u);
	CHECK_FMT_ODD("[% u]", 5u);
	CHECK_FMT_ODD("[%+x|% X|%+o]", 5u, 5u, 5u);
	CHECK_FMT_ODD("[%+#x|% #o|%+08x]", 255u, 8u, 255u);
}

/* Zero with precision 0 prints no digits (but "#o" still prints its 0). */
HOST_TEST(vsprintf_zero_with_precision)
{
	CHECK_FMT("[%.0d|%.0i|%.0u|%.0x|%.0X|%.0o]", 0, 0, 0u, 0u, 0u, 0u);
	CHECK_FMT_ODD("[%5.0d|%-5.0u|%05.0x]", 0, 0u, 0u);
	CHECK_FMT("[%+.0d|% .0d]", 0, 0);
	CHECK_FMT("[%#.0x|%#.0X|%#.0o|%#x|%#o]", 0u, 0u, 0u, 0u, 0u);
	CHECK_FMT("[%.d|%.x]", 0, 0u);
	CHECK_FMT("[%.1d|%.3x|%05d|%-5d|%+d]", 0, 0u, 0, 0, 0);
}

/* Width and precision from arguments, negative ones included. */
HOST_TEST(vsprintf_star)
{
	int widths[] = { 0, 1, 5, 12, -1, -5, -12 };
	int precs[] = { 0, 1, 3, 10, -1, -7 };

	for (size_t i = 0; i < ARRAY_SIZE(widths); i++) {
		CHECK_FMT("[%*d]", widths[i], -42);
		CHECK_FMT("[%0*d]", widths[i], 42);
		CHECK_FMT("[%-*x]", widths[i], 0xabcu);
		CHECK_FMT("[%*s]", widths[i], "str");
		CHECK_FMT("[%*c]", widths[i], 'c');
		for (size_t j = 0; j < ARRAY_SIZE(precs); j++) {
			CHECK_FMT("[%*.*d]", widths[i], precs[j], 1234);
			CHECK_FMT_ODD("[%0*.*d]", widths[i], precs[j], -5);
			CHECK_FMT("[%*.*s]", widths[i], precs[j], "string");
			CHECK_FMT("[%.*u]", precs[j], 0u);
			CHECK_FMT("[%#*.*o]", widths[i], precs[j], 8u);
		}
	}
}

/* hh h l ll z t: values are cut to the length, and the extremes of each type. */
HOST_TEST(vsprintf_lengths)
{
	CHECK_FMT("%hhd %hhd %hhd %hhd", 127, -128, 200, 0x1ff);
	CHECK_FMT("%hhu %hhx %hho %hhX", 255, -1, 0x100 + 9, 0xabc);
	CHECK_FMT("%hd %hd %hd", 32767, -32768, 40000);
	CHECK_FMT("%hu %hx %ho", 65535, -1, 0x12345);
	CHECK_FMT("%ld %ld %lu %lx", LONG_MAX, LONG_MIN, ULONG_MAX, 0x123456789abcdefUL);
	CHECK_FMT("%lld %lld %lld", LLONG_MAX, LLONG_MIN, LLONG_MIN + 1);
	CHECK_FMT("%llu %llx %llX %llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	CHECK_FMT("[%#llo|%#llx|%+lld|% lld]", ULLONG_MAX, ULLONG_MAX, LLONG_MIN, LLONG_MAX);
	CHECK_FMT("[%30lld|%-30lld|%030lld]", LLONG_MIN, LLONG_MIN, LLONG_MIN);
	CHECK_FMT("[%.25llu|%025llo]", ULLONG_MAX, ULLONG_MAX);
	CHECK_FMT("%zu %zx %zd %zd", (size_t)SIZE_MAX, (size_t)0x1000, (ssize_t)-1,
		  (ssize_t)PTRDIFF_MAX);
	CHECK_FMT("%td %td %tu %tx", (ptrdiff_t)PTRDIFF_MIN, (ptrdiff_t)-12345, (ptrdiff_t)77,
		  (ptrdiff_t)-1);
	/* A length applies to its own conversion only. */
	CHECK_FMT("%hhd %d %lld %hd %u", 300, 300, 1LL << 40, 70000, 4000000000u);
}

/* %c and %s with widths and precisions. */
HOST_TEST(vsprintf_char_string)
{
	CHECK_FMT("%c%c%c", 'a', 'B', '~');
	CHECK_FMT("[%5c|%-5c|%1c]", 'x', 'y', 'z');
	CHECK_FMT("[%c]", 0x141); /* converted to unsigned char */
	CHECK_FMT("[%c|%-3c]", 0, 0);
	CHECK_FMT("[%s]", "");
	CHECK_FMT("[%s|%s]", "one", "two words");
	CHECK_FMT("[%10s|%-10s|%2s]", "right", "left", "wide");
	CHECK_FMT("[%.0s|%.2s|%.10s|%.5s]", "abc", "abc", "abc", "exact");
	CHECK_FMT("[%8.3s|%-8.3s|%-.1s]", "abcdef", "abcdef", "xyz");
	CHECK_FMT_ODD("[%+s|% s|%+c]", "sign", "space", 'c');
}

/*
 * With a precision, %s reads at most that many bytes: C lets the array be unterminated then. The
 * kernel reads the byte after the last one it prints (ASan stops the run on it).
 */
HOST_TEST(vsprintf_string_precision_reads_no_further)
{
	char *s = malloc(3);
	char buf[16];

	memcpy(s, "abc", 3); /* no terminator */
	CHECK_EQ(kfmt(buf, sizeof(buf), "[%.3s]", s), 5);
	CHECK_STR_EQ(buf, "[abc]");
	CHECK_EQ(kfmt(buf, sizeof(buf), "[%.*s]", 2, s), 4);
	CHECK_STR_EQ(buf, "[ab]");
	free(s);
}

/* Many conversions in one format take their arguments in order. */
HOST_TEST(vsprintf_many_arguments)
{
	CHECK_FMT("%d %s %c %u %x %lld %o %%%s %hhd %zu %X|%-4d|%4s|%5.2s", -1, "two", '3', 4u, 5u,
		  6LL, 7u, "8", 9, (size_t)10, 11u, 12, "13", "fourteen");
	CHECK_FMT("%*d%-*s%.*x", 4, 1, 4, "ab", 4, 0xfu);
}

/* %p (kernel-specific): "0x" and 16 hex digits, always. */
HOST_TEST(vsprintf_pointer)
{
	CHECK_KFMT("0x0000000000000000", "%p", (void *)0);
	CHECK_KFMT("0x00000000deadbeef", "%p", (void *)0xdeadbeefUL);
	CHECK_KFMT("0xffffffffffffffff", "%p", (void *)~0UL);
	CHECK_KFMT("0xffff888000001000", "%p", (void *)0xffff888000001000UL);
	CHECK_KFMT("[0x0000000000000010|x]", "[%p|%c]", (void *)16, 'x');
	/* Flags and widths are read and ignored: a pointer is always 18 characters. */
	CHECK_KFMT("0x00000000000000ff", "%-30p", (void *)0xff);
	CHECK_KFMT("0x00000000000000ff", "%5p", (void *)0xff);

	char buf[8];
	CHECK_EQ(kfmt(buf, sizeof(buf), "%p", (void *)0x1234), 18);
	CHECK_STR_EQ(buf, "0x00000");
}

/* %s of NULL prints "(null)" (kernel-specific: C leaves it undefined). */
HOST_TEST(vsprintf_null_string)
{
	const char *volatile null = NULL; /* hidden from -Wformat-overflow */

	CHECK_KFMT("(null)", "%s", null);
	CHECK_KFMT("[  (null)]", "[%8s]", null);
	CHECK_KFMT("[(null)  ]", "[%-8s]", null);
}

/* Short buffers: always terminated, never overrun, and the full length returned. */
HOST_TEST(vsprintf_truncation)
{
	char buf[32];

	/* size 0: nothing is written, not even a terminator, and buf may be NULL. */
	CHECK_EQ(kern_snprintf(NULL, 0, "%d-%s", 12345, "abc"), 9);
	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ(kfmt(buf, 0, "%s", "hello"), 5);
	CHECK_EQ(buf[0], 'Z');

	/* size 1: only the terminator. */
	CHECK_EQ(kfmt(buf, 1, "%s", "hello"), 5);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(buf[1], 'Z');

	/* Cut in the middle of padding, of a prefix, of digits. */
	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ(kfmt(buf, 4, "%8d", 1), 8);
	CHECK_MEM_EQ(buf, "   \0ZZ", 6);
	CHECK_EQ(kfmt(buf, 2, "%#x", 0xffu), 4);
	CHECK_MEM_EQ(buf, "0\0", 2);
	CHECK_EQ(kfmt(buf, 6, "%lld", LLONG_MIN), 20);
	CHECK_STR_EQ(buf, "-9223");

	/* Exactly fitting and one short. */
	CHECK_EQ(kfmt(buf, 6, "%s", "hello"), 5);
	CHECK_STR_EQ(buf, "hello");
	CHECK_EQ(kfmt(buf, 5, "%s", "hello"), 5);
	CHECK_STR_EQ(buf, "hell");

	/* The return value counts everything, however long. */
	CHECK_EQ(kfmt(buf, sizeof(buf), "%500d|%.300u|%-200s", 1, 2u, "x"),
		 500 + 1 + 300 + 1 + 200);
	CHECK_EQ(strlen(buf), sizeof(buf) - 1);

	/* The generic checks for each cut of a long output. */
	CHECK_FMT("%s %d %s", "a longer line to cut at every length", -99, "!");
}

/* The variadic snprintf() passes its arguments through unchanged. */
HOST_TEST(vsprintf_snprintf)
{
	char buf[64];

	CHECK_EQ(kern_snprintf(buf, sizeof(buf), "%s=%d %llx %c", "key", -5, 0xabcdef0123ULL, '!'),
		 19);
	CHECK_STR_EQ(buf, "key=-5 abcdef0123 !");
	CHECK_EQ(kern_snprintf(buf, 4, "%d", 123456), 6);
	CHECK_STR_EQ(buf, "123");
}

/* A '%' at the very end of the format prints nothing and reads no argument. */
HOST_TEST(vsprintf_trailing_percent)
{
	char buf[16];
	const char *volatile fmt = "ab%"; /* hidden from -Wformat */

	CHECK_EQ(kfmt(buf, sizeof(buf), fmt, 0), 2);
	CHECK_STR_EQ(buf, "ab");
}

/* The parts of a randomly generated conversion specification, and its argument. */
struct rspec {
	char fmt[64];
	int nstar; /* how many '*' arguments come before the value */
	int star[2]; /* their values, in order */
	char conv; /* the conversion character */
	char kind; /* 'i': int argument, 'l': 64-bit, 's': string */
	long long val; /* for 'i' and 'l' */
	const char *str;
};

/* Appends s to the format being built. */
static void rs_append(struct rspec *r, const char *s)
{
	strncat(r->fmt, s, sizeof(r->fmt) - strlen(r->fmt) - 1);
}

/* Appends a number below 100 in decimal (written out by hand: no formatter is trusted here). */
static void rs_append_number(struct rspec *r, unsigned int n)
{
	char digits[3] = { (char)('0' + n / 10), (char)('0' + n % 10), '\0' };

	rs_append(r, n < 10 ? digits + 1 : digits);
}

/* A value with a fair chance of being an edge case. */
static long long random_value(uint64_t *rng)
{
	static const long long edges[] = {
		0,	 1,	   -1,	 9,	    10,	       -10,	      127,   128,
		255,	 256,	   -128, -129,	    32767,     65535,	      65536, INT_MAX,
		INT_MIN, UINT_MAX, -42,	 LLONG_MAX, LLONG_MIN, 0x7fffffffffLL
	};
	uint64_t r = host_random(rng);

	switch (r % 4) {
	case 0:
		return edges[(r >> 8) % ARRAY_SIZE(edges)];
	case 1:
		return (long long)((r >> 8) % 2000) - 1000;
	case 2:
		return (long long)host_random(rng);
	default:
		return (long long)(host_random(rng) >> (r >> 8) % 64);
	}
}

/*
 * Builds "<prefix>%<flags><width><.precision><length><conversion><suffix>" with every part
 * chosen at random among what C defines for the conversion (no '#' on d/i/u/c/s, no '0' or
 * precision where C leaves it undefined), and the arguments to go with it.
 */
static void random_spec(uint64_t *rng, struct rspec *r)
{
	static const char convs[] = "diuxXocs";
	static const char *const lengths[] = { "", "", "", "hh", "h", "l", "ll", "z", "t" };
	static const char *const texts[] = { "", "", "x=", "[", "%%", "a%%b", " ", "\t|" };
	static const char *const strs[] = { "",		 "a",
					    "hello",	 "hello world",
					    "tab\there", "0123456789abcdefghij" };
	char conv = convs[host_random(rng) % (sizeof(convs) - 1)];
	bool is_int = conv != 'c' && conv != 's';
	char tmp[16];

	memset(r, 0, sizeof(*r));
	r->conv = conv;
	rs_append(r, texts[host_random(rng) % ARRAY_SIZE(texts)]);
	rs_append(r, "%");
	for (int i = 0; i < 6; i++) {
		const char *flags = "-0+ #";
		char f = flags[host_random(rng) % 5];
		if (host_random(rng) % 3)
			continue;
		if (f == '#' && conv != 'o' && conv != 'x' && conv != 'X')
			continue;
		if (f == '0' && !is_int)
			continue;
		tmp[0] = f;
		tmp[1] = '\0';
		rs_append(r, tmp);
	}
	switch (host_random(rng) % 4) {
	case 0:
		break;
	case 1:
		rs_append(r, "*");
		r->star[r->nstar++] = (int)(host_random(rng) % 41) - 20;
		break;
	default:
		rs_append_number(r, (unsigned int)(host_random(rng) % 25));
		break;
	}
	if (conv != 'c') {
		switch (host_random(rng) % 5) {
		case 0:
		case 1:
			break;
		case 2:
			rs_append(r, ".*");
			r->star[r->nstar++] = (int)(host_random(rng) % 30) - 6;
			break;
		case 3:
			rs_append(r, ".");
			break;
		default:
			rs_append(r, ".");
			rs_append_number(r, (unsigned int)(host_random(rng) % 25));
			break;
		}
	}
	const char *len = is_int ? lengths[host_random(rng) % ARRAY_SIZE(lengths)] : "";
	rs_append(r, len);
	tmp[0] = conv;
	tmp[1] = '\0';
	rs_append(r, tmp);
	rs_append(r, texts[host_random(rng) % ARRAY_SIZE(texts)]);

	r->val = random_value(rng);
	if (conv == 's') {
		r->kind = 's';
		r->str = strs[host_random(rng) % ARRAY_SIZE(strs)];
	} else if (len[0] == 'l' || len[0] == 'z' || len[0] == 't') {
		r->kind = 'l';
	} else {
		r->kind = 'i';
		if (conv == 'c')
			r->val = (long long)(host_random(rng) % 96) + 32;
	}
}

/* Compares the kernel with the host on one generated specification. */
static int check_rspec(const struct rspec *r)
{
	const char *f = r->fmt;
	int a = r->star[0], b = r->star[1], i = (int)r->val;
	long long l = r->val;
	const char *s = r->str;

	switch (r->nstar * 3 + (r->kind == 'i' ? 0 : r->kind == 'l' ? 1 : 2)) {
	case 0:
		return check_same(__FILE__, __LINE__, f, i);
	case 1:
		return check_same(__FILE__, __LINE__, f, l);
	case 2:
		return check_same(__FILE__, __LINE__, f, s);
	case 3:
		return check_same(__FILE__, __LINE__, f, a, i);
	case 4:
		return check_same(__FILE__, __LINE__, f, a, l);
	case 5:
		return check_same(__FILE__, __LINE__, f, a, s);
	case 6:
		return check_same(__FILE__, __LINE__, f, a, b, i);
	case 7:
		return check_same(__FILE__, __LINE__, f, a, b, l);
	default:
		return check_same(__FILE__, __LINE__, f, a, b, s);
	}
}

/* 20000 generated specifications, each checked against the host (fixed seed). */
HOST_TEST(vsprintf_random)
{
	uint64_t rng = 0x5eed1234abcdULL;
	struct rspec r;
	int compared = 0;

	for (int n = 0; n < 20000; n++) {
		random_spec(&rng, &r);
		if (!check_rspec(&r))
			return; /* the failure names the format and both outputs */
		compared++;
	}
	CHECK_EQ(compared, 20000);
}
