/* SPDX-License-Identifier: MIT */
#ifndef WARDEN_VERSION_H
#define WARDEN_VERSION_H

#define WARDEN_VERSION "0.1"

#endif
