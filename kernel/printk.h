/* SPDX-License-Identifier: MIT */
/*
 * Kernel log. A message starts with a level prefix as on Linux (KERN_ERR "..."); messages above
 * the console log level (loglevel= on the command line, default 6: info) are dropped from the
 * console. Output goes to the serial console.
 */
#ifndef WARDEN_PRINTK_H
#define WARDEN_PRINTK_H

#include "kernel/compiler.h"

#define KERN_EMERG \
	"\001"     \
	"0"
#define KERN_ALERT \
	"\001"     \
	"1"
#define KERN_CRIT \
	"\001"    \
	"2"
#define KERN_ERR \
	"\001"   \
	"3"
#define KERN_WARNING \
	"\001"       \
	"4"
#define KERN_NOTICE \
	"\001"      \
	"5"
#define KERN_INFO \
	"\001"    \
	"6"
#define KERN_DEBUG \
	"\001"     \
	"7"

#define LOGLEVEL_DEFAULT 6

/* Formats and prints a message; returns the number of characters printed. */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

/* Sets the console log level: messages with a level number above it are not shown. */
void console_set_loglevel(int level);

/* Chooses the console's serial port from console= (ttyS0 or ttyS1) before the first message. */
void console_setup(void);

/* Writes raw bytes to the console, bypassing levels (panic reports, test protocol lines). */
void console_write(const char *s, size_t len);

#define pr_emerg(fmt, ...) printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG fmt, ##__VA_ARGS__)

#endif
