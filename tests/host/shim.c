// SPDX-License-Identifier: MIT
/*
 * What the generic kernel code (HOST_GENERIC in the Makefile) needs from the rest of the kernel,
 * on the host: the direct-map base, panic(), strlcpy() (not in glibc before 2.38) and vmalloc,
 * which the code under test reaches only for sizes above a page and so only ever panics here.
 * Nothing here formats with snprintf/vsnprintf: in this binary those are the kernel's.
 */
#define _GNU_SOURCE
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/host/harness.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/memory.h"
#include "mm/vmalloc.h"

uintptr_t page_offset_base;

jmp_buf *host_panic_jmp;
char host_panic_msg[512];

/* Copies src into dst as the kernel's strlcpy does (kernel/string.c). */
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

/*
 * Keeps the message in host_panic_msg and jumps back to the test that armed host_panic_jmp;
 * with nothing armed (outside any test), prints the message and aborts.
 */
void panic(const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	strlcpy(host_panic_msg, msg ? msg : fmt, sizeof(host_panic_msg));
	free(msg);
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	fprintf(stderr, "panic: %s\n", host_panic_msg);
	abort();
}

/* kmalloc() above a page lands here; the host has no vmalloc area, so this is a panic. */
void *vmalloc(size_t size, unsigned int gfp)
{
	panic("vmalloc(%zu, %#x) is not available on the host", size, gfp);
}

/* The other vmalloc entry points are just as unavailable. */
void vfree(const void *addr)
{
	panic("vfree(%p) is not available on the host", addr);
}

/* See vfree(). */
size_t vmalloc_size(const void *addr)
{
	panic("vmalloc_size(%p) is not available on the host", addr);
}

/* See vfree(). */
bool vmalloc_in_guard(u64 addr, u64 *area_start)
{
	(void)area_start;
	panic("vmalloc_in_guard(%#llx) is not available on the host", (unsigned long long)addr);
}

/* Points page_offset_base at a fresh fake RAM of size bytes (see harness.h). */
void *host_ram_init(size_t size)
{
	static void *ram;

	if (size > HOST_RAM_MAX) {
		fprintf(stderr, "host_ram_init: %zu bytes is more than HOST_RAM_MAX\n", size);
		abort();
	}
	if (!ram) {
		ram = aligned_alloc(PAGE_SIZE, HOST_RAM_MAX);
		if (!ram)
			abort();
	}
	ASAN_UNPOISON_MEMORY_REGION(ram, HOST_RAM_MAX);
	memset(ram, 0xa5, size);
	ASAN_POISON_MEMORY_REGION((char *)ram + size, HOST_RAM_MAX - size);
	page_offset_base = (uintptr_t)ram;
	return ram;
}
