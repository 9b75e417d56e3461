// SPDX-License-Identifier: GPL-2.0
/*
 * tests/kselftest/vm/overcommit.c: runs a selftests/vm program with vm.overcommit_memory = 1.
 *
 * tools/kselftest-vm embeds this program first and the test second (/ltp/TEST) into
 * tests/ltp/launch.c's launcher for the variants named TEST-overcommit1. It writes "1" to
 * /proc/sys/vm/overcommit_memory ("always": no VM_ACCOUNT charge is refused), as an
 * administrator would before running virtual_address_range, whose 16 GiB private mappings the
 * default heuristic refuses on a 256 or 512 MiB machine, and then executes /ltp/TEST with the
 * same arguments. Exit status 121 if the setting cannot be written, 122 if exec fails.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Sets overcommit_memory to 1 and replaces itself with the test named in its own name. */
int main(int argc, char **argv)
{
	char test[256];
	const char *suffix;
	int fd;

	(void)argc;
	suffix = strstr(argv[0], "-overcommit1");
	if (!suffix || (size_t)(suffix - argv[0]) >= sizeof(test))
		return 122;
	memcpy(test, argv[0], suffix - argv[0]);
	test[suffix - argv[0]] = '\0';
	fd = open("/proc/sys/vm/overcommit_memory", O_WRONLY);
	if (fd < 0 || write(fd, "1\n", 2) != 2) {
		perror("overcommit_memory");
		return 121;
	}
	close(fd);
	argv[0] = test;
	execv(test, argv);
	perror(test);
	return 122;
}
