/* hello: the smallest check that Warden can load and run a static musl
 * program at all: execve of an ELF image, the initial stack musl's _start
 * reads, write(2) to stdout (a regular file under run-linux, so stdio buffers
 * the line and writes it at exit) and exit_group(2) with status 0. */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
