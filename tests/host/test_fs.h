/* SPDX-License-Identifier: MIT */
/*
 * What the fs/ host tests share (tests/host/test_fs_*.c): booting the file system on fake RAM with
 * a task to run the system calls as, user memory that can fault, and the console's output.
 * tests/host/test_fs_shim.c implements it, and what the kernel outside fs/ would provide.
 */
#ifndef WARDEN_TESTS_HOST_TEST_FS_H
#define WARDEN_TESTS_HOST_TEST_FS_H

#include "tests/host/harness.h"
#include "fs/fs.h"
#include "fs/syscalls.h"
#include "kernel/errno.h"
#include "kernel/sched.h"

/* The task the tests run as: `current` (pid and tgid 42, exe_path "/prog"). */
extern struct task_struct host_task;

/*
 * Fresh fake RAM, memblock, frames and kmalloc; fs_init() with the archive (len 0: none); then
 * host_task gets fds 0-2 on the console, / as its working directory, umask 022 and
 * RLIMIT_NOFILE 1024. Returns fs_init()'s result.
 */
int fs_test_boot(const void *initrd, size_t len);

/* Makes user accesses to [start, start + len) fault, as an unmapped page would (len 0: none).
 * Addresses below 4096 and from USER_TOP up always fault. */
void host_user_fault_range(const void *start, size_t len);

/* What user_console_write() received for stream 1 (stdout) and 2 (stderr). */
extern char host_console[3][4096];
extern size_t host_console_len[3];

/* How many times send_sig_pipe() was called. */
extern int host_sigpipe_count;

/* Free frames now, to check that a test gives back every page it took. */
u64 host_free_frames(void);

#endif
