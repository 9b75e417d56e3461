/* SPDX-License-Identifier: MIT */
/* The legacy 8259 interrupt controllers. */
#ifndef WARDEN_ARCH_PIC_H
#define WARDEN_ARCH_PIC_H

/* Moves both PICs to vectors 32-47 (clear of the exceptions) and masks every line. */
void pic_disable(void);

#endif
