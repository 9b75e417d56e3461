/* rebootctl: ends the machine through reboot(2), for the tests that watch QEMU stop (issue 16,
 * item 5). Warden-only: it cannot be recorded on Linux, whose oracle VM it would end.
 *
 *     rebootctl                 checks SW_SUSPEND, then reboot(RB_POWER_OFF) through libc
 *     rebootctl poweroff        the raw call with LINUX_REBOOT_CMD_POWER_OFF
 *     rebootctl restart         LINUX_REBOOT_CMD_RESTART
 *     rebootctl restart2 STR    LINUX_REBOOT_CMD_RESTART2 with the command string STR
 *     rebootctl halt            LINUX_REBOOT_CMD_HALT
 *
 * It prints what it is about to do on stdout first (that line must reach the host before the
 * machine stops), and "FAIL ..." with exit status 1 if reboot(2) returns. Run without arguments
 * it is in the warden suite (tests/warden/rebootctl.*: run-program's status 0 for a power-off and
 * the kernel's "reboot: Power down" line); tools/runtests' power suite runs the others, also
 * through GRUB and with QEMU's reset not turned into an exit.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/reboot.h>
#include "common.h"

#define MAGIC1 0xfee1deadL
#define MAGIC2 672274793L
#define CMD_RESTART 0x01234567L
#define CMD_HALT 0xCDEF0123L
#define CMD_POWER_OFF 0x4321FEDCL
#define CMD_RESTART2 0xA1B2C3D4L
#define CMD_SW_SUSPEND 0xD000FCE2L

/* Makes the raw call and reports that it came back. */
static int call(long cmd, const char *arg)
{
	long r = sys4(SYS_reboot, MAGIC1, MAGIC2, cmd, (long)arg);

	printf("FAIL item5: reboot(%#lx) returned %ld\n", cmd, r);
	return 1;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(what, "poweroff")) {
		puts("rebootctl: POWER_OFF");
		return call(CMD_POWER_OFF, NULL);
	}
	if (!strcmp(what, "restart")) {
		puts("rebootctl: RESTART");
		return call(CMD_RESTART, NULL);
	}
	if (!strcmp(what, "restart2") && argc > 2) {
		printf("rebootctl: RESTART2 '%s'\n", argv[2]);
		return call(CMD_RESTART2, argv[2]);
	}
	if (!strcmp(what, "halt")) {
		puts("rebootctl: HALT");
		return call(CMD_HALT, NULL);
	}
	if (argc > 1) {
		printf("FAIL usage: rebootctl [poweroff|restart|restart2 STRING|halt]\n");
		return 1;
	}
	/* Warden has no hibernation, so SW_SUSPEND is an unknown command, as in a Linux without
	 * CONFIG_HIBERNATION (Debian's has it, so this cannot be recorded there). */
	long r = sys4(SYS_reboot, MAGIC1, MAGIC2, CMD_SW_SUSPEND, 0);
	if (r != -EINVAL)
		printf("FAIL item5: SW_SUSPEND returned %ld, want -EINVAL\n", r);
	else
		puts("item5 SW_SUSPEND: -1 EINVAL");
	puts("rebootctl: reboot(RB_POWER_OFF)");
	reboot(RB_POWER_OFF);
	printf("FAIL item5: reboot(RB_POWER_OFF) returned, errno %s\n", errname(errno));
	return 1;
}
