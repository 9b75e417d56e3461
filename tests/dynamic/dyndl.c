// SPDX-License-Identifier: GPL-2.0
/*
 * tests/dynamic/dyndl.c: dlopen at run time (plain `gcc`, glibc): ld.so opens libm.so.6 from its
 * default directories (no /etc/ld.so.cache), reserves its whole image with one mmap, maps the
 * segments over it MAP_FIXED, mprotects its RELRO; dlclose unmaps it all. Prints libm's mappings
 * as offsets from its base (as dynmaps does), cos(0) through dlsym, and how many mappings of
 * libm are left after dlclose.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the mappings of files whose name ends in suffix, as offsets from the first; their count.
 */
static int show(const char *suffix)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], name[256];
	unsigned long start, end, off, base = 0;
	char perms[5];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		name[0] = '\0';
		if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %255s", &start, &end, perms, &off, name) <
		    4)
			continue;
		size_t len = strlen(name), slen = strlen(suffix);
		if (len < slen || strcmp(name + len - slen, suffix))
			continue;
		if (!base)
			base = start;
		printf("  %s +%08lx %6lx %s %08lx\n", name, start - base, end - start, perms, off);
		n++;
	}
	fclose(f);
	return n;
}

int main(void)
{
	printf("before dlopen: %d mappings of libm\n", show("/libm.so.6"));
	void *h = dlopen("libm.so.6", RTLD_NOW);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	double (*cosp)(double) = (double (*)(double))dlsym(h, "cos");
	printf("cos(0) = %.1f\n", cosp ? cosp(0.0) : -1.0);
	printf("after dlopen: %d mappings of libm\n", show("/libm.so.6"));
	printf("dlclose: %d\n", dlclose(h));
	printf("after dlclose: %d mappings of libm\n", show("/libm.so.6"));
	void *bad = dlopen("libnonexistent.so.7", RTLD_NOW);
	printf("dlopen of a missing library: %s\n", bad ? "loaded" : "NULL");
	return 0;
}
