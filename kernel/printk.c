// SPDX-License-Identifier: MIT
/* printk: level filtering and formatting in front of the serial console. */
#include "kernel/printk.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "arch/x86_64/serial.h"

static int console_loglevel = LOGLEVEL_DEFAULT;

void console_set_loglevel(int level)
{
	console_loglevel = level;
}

/*
 * Applies console= (Linux's console_setup): ttyS0 (COM1, the default) or ttyS1 (COM2), so that
 * tools/run-program can keep the kernel log off a terminal on COM1. Anything else keeps COM1.
 */
void console_setup(void)
{
	const char *name = cmdline_get("console");

	if (name && strcmp(name, "ttyS1") == 0)
		serial_console_select(SERIAL_COM2);
	else if (name && strcmp(name, "ttyS0") != 0)
		printk(KERN_WARNING "console=%s: no such console, using ttyS0\n", name);
}

void console_write(const char *s, size_t len)
{
	serial_write(s, len);
}

/*
 * Formats one message into a stack buffer and writes it if its level passes. A message without a
 * level prefix is printed at the default message level (KERN_INFO).
 */
int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int level = LOGLEVEL_DEFAULT;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	if (level > console_loglevel)
		return 0;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
