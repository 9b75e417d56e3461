// SPDX-License-Identifier: MIT
/* The user console: program output to COM2 (stdout) and COM3 (stderr), or to COM1. */
#include "kernel/console.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "arch/x86_64/serial.h"

static bool split;

void user_console_init(void)
{
	const char *mode = cmdline_get("user_console");

	split = mode && strcmp(mode, "split") == 0;
	if (split) {
		serial_port_init(SERIAL_COM2);
		serial_port_init(SERIAL_COM3);
	}
}

void user_console_write(int stream, const char *buf, size_t len)
{
	if (!split) {
		serial_write(buf, len);
		return;
	}
	serial_port_write(stream == CONSOLE_STDERR ? SERIAL_COM3 : SERIAL_COM2, buf, len);
}
