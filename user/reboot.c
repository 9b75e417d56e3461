/* reboot: reboot(2)'s checks and its harmless commands as Linux 6.1 (issue 16, item 5).
 *
 * Linux's kernel/reboot.c checks, in this order: CAP_SYS_BOOT (EPERM; the program runs as root on
 * both kernels, so it always passes), magic1 == 0xfee1dead and magic2 one of four dates (EINVAL),
 * then the command. Both magics are compared as ints and the command as an unsigned int, so the
 * upper halves of the registers do not matter. CAD_ON and CAD_OFF succeed; an unknown command,
 * KEXEC without a loaded image and RESTART2 with an unreadable string fail (EINVAL, EINVAL,
 * EFAULT). Every call that could succeed in ending the machine is made with a bad magic or a bad
 * pointer only: on Linux the program is not PID 1, but a real power-off would still end the VM.
 * (SW_SUSPEND is not called here: Debian's Linux, built with hibernation, would try to hibernate;
 * Warden, built without, answers EINVAL as such a Linux does: user/rebootctl.c checks that.)
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/reboot.h>
#include "common.h"

#define MAGIC1 0xfee1deadL
#define MAGIC2 672274793L
#define MAGIC2A 85072278L
#define MAGIC2B 369367448L
#define MAGIC2C 537993216L

#define CMD_RESTART 0x01234567L
#define CMD_HALT 0xCDEF0123L
#define CMD_CAD_ON 0x89ABCDEFL
#define CMD_CAD_OFF 0x00000000L
#define CMD_POWER_OFF 0x4321FEDCL
#define CMD_RESTART2 0xA1B2C3D4L
#define CMD_KEXEC 0x45584543L

static long rb(long m1, long m2, long cmd, long arg)
{
	return sys4(SYS_reboot, m1, m2, cmd, arg);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);

	/* Bad magics come before the command: each of these would otherwise end the machine. */
	show("item5 bad magic1, POWER_OFF", rb(0x12345678, MAGIC2, CMD_POWER_OFF, 0));
	show("item5 bad magic1, RESTART", rb(0, MAGIC2, CMD_RESTART, 0));
	show("item5 bad magic1, HALT", rb(MAGIC2, MAGIC1, CMD_HALT, 0));
	show("item5 magic1 off by one, POWER_OFF", rb(MAGIC1 + 1, MAGIC2, CMD_POWER_OFF, 0));
	show("item5 bad magic2, POWER_OFF", rb(MAGIC1, 0, CMD_POWER_OFF, 0));
	show("item5 magic2 = magic1, POWER_OFF", rb(MAGIC1, MAGIC1, CMD_POWER_OFF, 0));
	show("item5 magic2 off by one, RESTART", rb(MAGIC1, MAGIC2 + 1, CMD_RESTART, 0));
	show("item5 magic2 in the upper half only, POWER_OFF",
	     rb(MAGIC1, MAGIC2 << 32, CMD_POWER_OFF, 0));
	show("item5 magic1 in the upper half only, POWER_OFF",
	     rb(MAGIC1 << 32, MAGIC2, CMD_POWER_OFF, 0));
	/* Bad magic and a bad command or pointer: the magic is checked first (EINVAL, not EFAULT). */
	show("item5 bad magic, unknown cmd", rb(1, 2, 0x12345678, 0));
	show("item5 bad magic, RESTART2 with NULL", rb(MAGIC1, 3, CMD_RESTART2, 0));

	/* The harmless commands, with each of the four magic2 values. */
	show("item5 CAD_OFF (magic2 672274793)", rb(MAGIC1, MAGIC2, CMD_CAD_OFF, 0));
	show("item5 CAD_ON (magic2 85072278)", rb(MAGIC1, MAGIC2A, CMD_CAD_ON, 0));
	show("item5 CAD_OFF (magic2 369367448)", rb(MAGIC1, MAGIC2B, CMD_CAD_OFF, 0));
	show("item5 CAD_ON (magic2 537993216)", rb(MAGIC1, MAGIC2C, CMD_CAD_ON, 0));
	/* int and unsigned int arguments: the registers' upper halves are ignored. */
	show("item5 CAD_OFF, magic1 with upper bits", rb(MAGIC1 | 0x5a5a5a5a00000000L, MAGIC2,
						    CMD_CAD_OFF, 0));
	show("item5 CAD_ON, magic1 sign-extended", rb((long)(int)0xfee1dead, MAGIC2, CMD_CAD_ON, 0));
	show("item5 CAD_OFF, magic2 with upper bits", rb(MAGIC1, MAGIC2 | 1L << 40, CMD_CAD_OFF, 0));
	show("item5 CAD_ON, cmd with upper bits", rb(MAGIC1, MAGIC2, CMD_CAD_ON | 1L << 32, 0));
	show("item5 CAD_OFF ignores arg", rb(MAGIC1, MAGIC2, CMD_CAD_OFF, 1));
	show("item5 CAD_ON ignores arg", rb(MAGIC1, MAGIC2, CMD_CAD_ON, -1));

	/* Unknown commands. */
	show("item5 cmd 0x12345678", rb(MAGIC1, MAGIC2, 0x12345678, 0));
	show("item5 cmd 1", rb(MAGIC1, MAGIC2, 1, 0));
	show("item5 cmd 0xffffffff", rb(MAGIC1, MAGIC2, 0xffffffffL, 0));
	show("item5 cmd POWER_OFF << 32 (low half 0: CAD_OFF)", rb(MAGIC1, MAGIC2, CMD_POWER_OFF << 32, 1));
	show("item5 KEXEC with no image loaded", rb(MAGIC1, MAGIC2, CMD_KEXEC, 0));

	/* RESTART2 copies its string first: an unreadable one is EFAULT and nothing restarts. */
	show("item5 RESTART2 with NULL", rb(MAGIC1, MAGIC2, CMD_RESTART2, 0));
	show("item5 RESTART2 with address 1", rb(MAGIC1, MAGIC2, CMD_RESTART2, 1));
	show("item5 RESTART2 with a kernel address",
	     rb(MAGIC1, MAGIC2, CMD_RESTART2, (long)0xffffffff81000000UL));
	show("item5 RESTART2 with a non-canonical address",
	     rb(MAGIC1, MAGIC2, CMD_RESTART2, 0x8000000000000000L));
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p, 4096);
	show("item5 RESTART2 with an unmapped page", rb(MAGIC1, MAGIC2, CMD_RESTART2, (long)p));
	p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("item5 RESTART2 with a PROT_NONE page", rb(MAGIC1, MAGIC2, CMD_RESTART2, (long)p));

	/* libc's reboot(): musl and glibc pass magic1 and the first magic2 themselves. */
	show_libc("item5 reboot(RB_DISABLE_CAD)", reboot(RB_DISABLE_CAD));
	show_libc("item5 reboot(RB_ENABLE_CAD)", reboot(RB_ENABLE_CAD));
	show_libc("item5 reboot(0x12345678)", reboot(0x12345678));
	return 0;
}
