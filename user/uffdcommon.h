/* uffdcommon.h: the userfaultfd ABI the uffd test programs use (Linux's
 * include/uapi/linux/userfaultfd.h written out: musl has no such header), and, for a program
 * that defines UFFD_LOG_SIZE first, the log its handler threads write and main prints after
 * joining them (a fixed order). */
#ifndef USER_UFFDCOMMON_H
#define USER_UFFDCOMMON_H

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NR_userfaultfd 323
#define UFFD_API 0xAAULL
/* _IOC(dir, 0xAA, nr, size): dir 1 write, 2 read, 3 both */
#define UFFD_IOC(dir, nr, size) (((unsigned long)(dir) << 30) | ((size) << 16) | (0xAA << 8) | (nr))
#define UFFDIO_API UFFD_IOC(3, 0x3F, 24)
#define UFFDIO_REGISTER UFFD_IOC(3, 0x00, 32)
#define UFFDIO_UNREGISTER UFFD_IOC(2, 0x01, 16)
#define UFFDIO_WAKE UFFD_IOC(2, 0x02, 16)
#define UFFDIO_COPY UFFD_IOC(3, 0x03, 40)
#define UFFDIO_ZEROPAGE UFFD_IOC(3, 0x04, 32)
#define UFFDIO_WRITEPROTECT UFFD_IOC(3, 0x06, 24)
#define UFFDIO_CONTINUE UFFD_IOC(3, 0x07, 32)
#define PG 4096UL

/* A message read from a userfaultfd: its event and three words (a fault: flags, address,
 * thread id; an event: its own). */
struct uffd_msg {
	uint8_t event, r1;
	uint16_t r2;
	uint32_t r3;
	uint64_t arg[3];
};

#ifdef UFFD_LOG_SIZE
static char log_buf[UFFD_LOG_SIZE];
#define LOG(...) snprintf(log_buf + strlen(log_buf), sizeof(log_buf) - strlen(log_buf), __VA_ARGS__)

/* A handler thread's wait for one message, 5 s at most: 0, or -1 (logged as "handler: no
 * fault"). */
static inline int uffd_wait_msg(int ufd, struct uffd_msg *m)
{
	struct pollfd pfd = { ufd, POLLIN, 0 };

	if (poll(&pfd, 1, 5000) != 1 || read(ufd, m, sizeof(*m)) != sizeof(*m)) {
		LOG("handler: no fault\n");
		return -1;
	}
	return 0;
}
#endif

#endif
