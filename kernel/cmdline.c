// SPDX-License-Identifier: MIT
/* Kernel command-line parsing. */
#include "kernel/cmdline.h"
#include "kernel/string.h"

#define CMDLINE_BUF 1024

static char original[CMDLINE_BUF];
static char words[CMDLINE_BUF];
static struct {
	const char *key;
	const char *value;
} params[CMDLINE_MAX_PARAMS];
static unsigned int nr_params;

void cmdline_parse(const char *s)
{
	char *p = words;

	strlcpy(original, s ? s : "", sizeof(original));
	strlcpy(words, original, sizeof(words));
	nr_params = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || nr_params == CMDLINE_MAX_PARAMS)
			break;
		const char *key = p, *value = "";
		while (*p && *p != ' ' && *p != '\t' && *p != '=')
			p++;
		if (*p == '=') {
			*p++ = '\0';
			if (*p == '"') {
				value = ++p;
				while (*p && *p != '"')
					p++;
			} else {
				value = p;
				while (*p && *p != ' ' && *p != '\t')
					p++;
			}
		}
		if (*p)
			*p++ = '\0';
		params[nr_params].key = key;
		params[nr_params].value = value;
		nr_params++;
	}
}

const char *cmdline_get(const char *key)
{
	for (unsigned int i = nr_params; i-- > 0;)
		if (strcmp(params[i].key, key) == 0)
			return params[i].value;
	return NULL;
}

bool parse_u64(const char *s, u64 *value)
{
	u64 v = 0, base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		u64 d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		if (v > (~0ULL - d) / base)
			return false; /* overflow */
		v = v * base + d;
	}
	*value = v;
	return true;
}

bool cmdline_get_u64(const char *key, u64 *value)
{
	const char *s = cmdline_get(key);

	return s && parse_u64(s, value);
}

const char *cmdline_string(void)
{
	return original;
}
