// SPDX-License-Identifier: MIT
/* kernel/cmdline.c: splitting the command line, looking keys up, and reading numbers. */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "kernel/cmdline.h"
#include "kernel/compiler.h"

/* key=value words give their value, bare words "", absent keys NULL. */
HOST_TEST(cmdline_key_value_and_flags)
{
	cmdline_parse("test=all seed=42 quiet loglevel=7 nosmp");
	CHECK_STR_EQ(cmdline_get("test"), "all");
	CHECK_STR_EQ(cmdline_get("seed"), "42");
	CHECK_STR_EQ(cmdline_get("loglevel"), "7");
	CHECK_STR_EQ(cmdline_get("quiet"), "");
	CHECK_STR_EQ(cmdline_get("nosmp"), "");
	CHECK_STR_EQ(cmdline_get("missing"), NULL);
	CHECK_STR_EQ(cmdline_string(), "test=all seed=42 quiet loglevel=7 nosmp");
}

/* Keys match whole words only, and case matters. */
HOST_TEST(cmdline_exact_keys)
{
	cmdline_parse("testing=1 tes=2 Seed=3");
	CHECK_STR_EQ(cmdline_get("test"), NULL);
	CHECK_STR_EQ(cmdline_get("testing"), "1");
	CHECK_STR_EQ(cmdline_get("tes"), "2");
	CHECK_STR_EQ(cmdline_get("seed"), NULL);
	CHECK_STR_EQ(cmdline_get("Seed"), "3");
	CHECK_STR_EQ(cmdline_get(""), NULL);
}

/* Only the first '=' splits: the value keeps the rest; "key=" is an empty value, like a flag. */
HOST_TEST(cmdline_equals_in_value)
{
	cmdline_parse("a=b=c empty= x=y");
	CHECK_STR_EQ(cmdline_get("a"), "b=c");
	CHECK_STR_EQ(cmdline_get("empty"), "");
	CHECK_STR_EQ(cmdline_get("x"), "y");
}

/* A quoted value keeps its spaces and tabs; a missing closing quote runs to the end. */
HOST_TEST(cmdline_quotes)
{
	cmdline_parse("msg=\"hello world\" n=1 path=\"/a b/c\" empty=\"\" tab=\"a\tb\" "
		      "last=\"open end");
	CHECK_STR_EQ(cmdline_get("msg"), "hello world");
	CHECK_STR_EQ(cmdline_get("n"), "1");
	CHECK_STR_EQ(cmdline_get("path"), "/a b/c");
	CHECK_STR_EQ(cmdline_get("empty"), "");
	CHECK_STR_EQ(cmdline_get("tab"), "a\tb");
	CHECK_STR_EQ(cmdline_get("last"), "open end"); /* no closing quote: to the end */
	CHECK_STR_EQ(cmdline_get("world\""), NULL);
	CHECK_STR_EQ(cmdline_get("b/c\""), NULL);
	/* The original string keeps its quotes. */
	CHECK(strstr(cmdline_string(), "msg=\"hello world\" n=1") != NULL);
}

/* The last of several words with the same key wins, whether value or flag. */
HOST_TEST(cmdline_repeated_keys)
{
	cmdline_parse("a=1 b a=2 c=x a=3 b=set c");
	CHECK_STR_EQ(cmdline_get("a"), "3");
	CHECK_STR_EQ(cmdline_get("b"), "set");
	CHECK_STR_EQ(cmdline_get("c"), "");
}

/* Any run of spaces and tabs separates words, at the ends too. */
HOST_TEST(cmdline_whitespace)
{
	cmdline_parse("  \t a=1 \t\t b=2   flag\t\tc=3\t  ");
	CHECK_STR_EQ(cmdline_get("a"), "1");
	CHECK_STR_EQ(cmdline_get("b"), "2");
	CHECK_STR_EQ(cmdline_get("flag"), "");
	CHECK_STR_EQ(cmdline_get("c"), "3");
	CHECK_STR_EQ(cmdline_get(""), NULL);

	cmdline_parse(" \t \t ");
	CHECK_STR_EQ(cmdline_get(""), NULL);
	CHECK_STR_EQ(cmdline_get("a"), NULL);
	CHECK_STR_EQ(cmdline_string(), " \t \t ");
}

/* An empty or NULL command line has no parameters. */
HOST_TEST(cmdline_empty_and_null)
{
	cmdline_parse("a=1");
	cmdline_parse("");
	CHECK_STR_EQ(cmdline_get("a"), NULL);
	CHECK_STR_EQ(cmdline_get(""), NULL);
	CHECK_STR_EQ(cmdline_string(), "");

	cmdline_parse("a=1");
	cmdline_parse(NULL);
	CHECK_STR_EQ(cmdline_get("a"), NULL);
	CHECK_STR_EQ(cmdline_string(), "");
}

/* A new parse forgets the old parameters; the string is copied, so the caller's may go away. */
HOST_TEST(cmdline_reparse_and_copy)
{
	char *s = strdup("key=value other=thing");

	cmdline_parse("stale=1 key=old");
	cmdline_parse(s);
	memset(s, 'X', strlen(s));
	free(s);
	CHECK_STR_EQ(cmdline_get("stale"), NULL);
	CHECK_STR_EQ(cmdline_get("key"), "value");
	CHECK_STR_EQ(cmdline_get("other"), "thing");
	CHECK_STR_EQ(cmdline_string(), "key=value other=thing");
}

/* Words past CMDLINE_MAX_PARAMS are ignored, including later duplicates of earlier keys. */
HOST_TEST(cmdline_too_many_params)
{
	char line[1024] = "", word[16];

	for (int i = 0; i < CMDLINE_MAX_PARAMS + 8; i++) {
		memcpy(word, "p00=00 ", 8);
		word[1] = word[4] = (char)('0' + i / 10);
		word[2] = word[5] = (char)('0' + i % 10);
		strcat(line, word);
	}
	strcat(line, "p00=late");
	cmdline_parse(line);
	for (int i = 0; i < CMDLINE_MAX_PARAMS + 8; i++) {
		char key[4] = { 'p', (char)('0' + i / 10), (char)('0' + i % 10), '\0' };
		if (i < CMDLINE_MAX_PARAMS)
			CHECK_STR_EQ(cmdline_get(key), key + 1);
		else
			CHECK_STR_EQ(cmdline_get(key), NULL);
	}
	CHECK_STR_EQ(cmdline_get("p00"), "00");
}

/* A command line longer than the kernel keeps is cut, not overflowed. */
HOST_TEST(cmdline_very_long)
{
	size_t n = 4000;
	char *s = malloc(n + 1);

	memcpy(s, "first=1 long=", 13);
	memset(s + 13, 'v', n - 13);
	s[n] = '\0';
	cmdline_parse(s);
	free(s);
	CHECK_STR_EQ(cmdline_get("first"), "1");
	const char *v = cmdline_get("long");
	CHECK(v != NULL);
	CHECK(strlen(v) > 0 && strlen(v) < n - 13);
	CHECK_EQ(strspn(v, "v"), strlen(v));
	CHECK(strlen(cmdline_string()) < n);
	CHECK_EQ(strlen(cmdline_string()), 13 + strlen(v));
}

/* Numbers from the command line: decimal and hex, and every way a value can fail to be one. */
HOST_TEST(cmdline_get_u64)
{
	u64 v;

	cmdline_parse("dec=12345 hex=0x1F HEX=0XaBc zero=0 lead=007 max=18446744073709551615 "
		      "hmax=0xffffffffffffffff over=18446744073709551616 hover=0x10000000000000000 "
		      "neg=-1 junk=12a space=\"1 2\" bare hexonly=0x empty= plus=+5 "
		      "big=99999999999999999999");
	CHECK(cmdline_get_u64("dec", &v));
	CHECK_EQ(v, 12345);
	CHECK(cmdline_get_u64("hex", &v));
	CHECK_EQ(v, 0x1f);
	CHECK(cmdline_get_u64("HEX", &v));
	CHECK_EQ(v, 0xabc);
	CHECK(cmdline_get_u64("zero", &v));
	CHECK_EQ(v, 0);
	CHECK(cmdline_get_u64("lead", &v));
	CHECK_EQ(v, 7); /* decimal: no octal */
	CHECK(cmdline_get_u64("max", &v));
	CHECK_EQ(v, ~0ULL);
	CHECK(cmdline_get_u64("hmax", &v));
	CHECK_EQ(v, ~0ULL);

	/* A failed read leaves the variable alone. */
	v = 0x5555;
	CHECK(!cmdline_get_u64("over", &v));
	CHECK(!cmdline_get_u64("hover", &v));
	CHECK(!cmdline_get_u64("big", &v));
	CHECK(!cmdline_get_u64("neg", &v));
	CHECK(!cmdline_get_u64("junk", &v));
	CHECK(!cmdline_get_u64("space", &v));
	CHECK(!cmdline_get_u64("bare", &v));
	CHECK(!cmdline_get_u64("hexonly", &v));
	CHECK(!cmdline_get_u64("empty", &v));
	CHECK(!cmdline_get_u64("plus", &v));
	CHECK(!cmdline_get_u64("absent", &v));
	CHECK_EQ(v, 0x5555);
}

/* parse_u64() on a table of strings, leaving the variable alone on failure. */
HOST_TEST(parse_u64)
{
	static const struct {
		const char *s;
		bool ok;
		u64 value;
	} cases[] = {
		{ "0", true, 0 },
		{ "1", true, 1 },
		{ "10", true, 10 },
		{ "4294967296", true, 0x100000000ULL },
		{ "18446744073709551615", true, ~0ULL },
		{ "018446744073709551615", true, ~0ULL },
		{ "18446744073709551616", false, 0 },
		{ "18446744073709551620", false, 0 },
		{ "36893488147419103231", false, 0 },
		{ "0x0", true, 0 },
		{ "0x1", true, 1 },
		{ "0xdeadBEEF", true, 0xdeadbeef },
		{ "0XFFFFFFFFFFFFFFFF", true, ~0ULL },
		{ "0x000000000000000000ff", true, 0xff },
		{ "0x10000000000000000", false, 0 },
		{ "0x1fffffffffffffffe", false, 0 },
		{ "", false, 0 },
		{ "0x", false, 0 },
		{ "0X", false, 0 },
		{ "x10", false, 0 },
		{ "0x0x1", false, 0 },
		{ "0xg", false, 0 },
		{ "12ab", false, 0 },
		{ "ab", false, 0 },
		{ "-1", false, 0 },
		{ "+1", false, 0 },
		{ " 1", false, 0 },
		{ "1 ", false, 0 },
		{ "1.0", false, 0 },
		{ "1e3", false, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 v = 0xabababab;
		bool ok = parse_u64(cases[i].s, &v);
		CHECK_MSG(ok == cases[i].ok, "parse_u64(\"%s\") returned %d", cases[i].s, ok);
		CHECK_MSG(v == (ok ? cases[i].value : 0xabababab), "parse_u64(\"%s\") gave %#llx",
			  cases[i].s, (unsigned long long)v);
	}
}

/* Every number survives a round trip through its decimal and hex spellings. */
HOST_TEST(parse_u64_round_trip)
{
	uint64_t rng = 77;

	for (int i = 0; i < 2000; i++) {
		u64 want = host_random(&rng) >> (host_random(&rng) % 64), v;
		char dec[24], hex[24];
		int n = 0, m = 0;
		char tmp[24];

		for (u64 x = want; n == 0 || x; x /= 10)
			tmp[n++] = (char)('0' + x % 10);
		while (n)
			dec[m++] = tmp[--n];
		dec[m] = '\0';
		m = 0;
		hex[m++] = '0';
		hex[m++] = 'x';
		for (u64 x = want; n == 0 || x; x >>= 4)
			tmp[n++] = "0123456789abcdef"[x & 15];
		while (n)
			hex[m++] = tmp[--n];
		hex[m] = '\0';

		CHECK_MSG(parse_u64(dec, &v) && v == want, "\"%s\"", dec);
		CHECK_MSG(parse_u64(hex, &v) && v == want, "\"%s\"", hex);
	}
}
