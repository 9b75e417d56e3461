/* SPDX-License-Identifier: MIT */
/*
 * What the memory code needs from files: reference counting, fd lookup and the page cache that
 * backs file mappings (all implemented in fs/).
 */
#ifndef WARDEN_MM_FILEMAP_H
#define WARDEN_MM_FILEMAP_H

#include "fs/fdtable.h"
#include "fs/filemap.h"
#include "fs/vfs.h"

#endif
