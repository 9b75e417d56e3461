/* SPDX-License-Identifier: MIT */
/*
 * The initramfs: a cpio archive in the "newc" format (magic "070701": a 110-byte header of 13
 * eight-digit hex fields, the NUL-terminated name, the data, each padded to 4 bytes, and a
 * "TRAILER!!!" entry at the end; archives may follow each other, with zero bytes between them).
 */
#ifndef WARDEN_FS_CPIO_H
#define WARDEN_FS_CPIO_H

#include "kernel/types.h"

/*
 * Unpacks an archive held in kernel memory into the root: directories, regular files, symlinks
 * and character devices with their modes, owners and mtimes (block devices, FIFOs and sockets
 * are skipped). Names are relative to the root ("./" and "/" prefixes are dropped); missing
 * parent directories are created (0755); an entry replaces an existing one of another type.
 * Every field is checked: a malformed or truncated archive is -EINVAL, never a crash. Returns 0
 * or -errno (what was unpacked before the error stays).
 */
int unpack_initramfs(const void *buf, size_t len);

#endif
