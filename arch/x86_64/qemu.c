// SPDX-License-Identifier: MIT
/* isa-debug-exit: how a test boot reports its verdict to the host. */
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/cpu.h"

#define ISA_DEBUG_EXIT_PORT 0xf4

void qemu_exit(u8 code)
{
	outl(ISA_DEBUG_EXIT_PORT, code);
	local_irq_disable();
	for (;;)
		halt();
}
