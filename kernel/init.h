/* SPDX-License-Identifier: MIT */
#ifndef WARDEN_INIT_H
#define WARDEN_INIT_H

/* Creates PID 1, which execs the program named by init= (default /init). */
void start_init(void);

#endif
