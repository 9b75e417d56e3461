// SPDX-License-Identifier: MIT
/*
 * Protection keys, the hardware side (arch/x86_64/pkru.h): the flag that says the kernel switched
 * them on. read_pkru() and write_pkru() are inline in the header.
 */
#include "arch/x86_64/pkru.h"

bool pku_enabled;
