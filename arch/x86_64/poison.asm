; SPDX-License-Identifier: MIT
; The kernel-stack half of the `poison` boot option (mm/poison.h): on every entry from user mode
; the part of the task's kernel stack below the entry frame is filled with the poison pattern,
; so that a byte a system call or a fault handler leaves unwritten on its stack (a struct
; member, a buffer's tail) is poison, not what an earlier call left there, and the copy check
; in mm/uaccess.c catches it on its way to user space.

%include "build/layout.inc"

PERCPU_KERNEL_RSP equ 16

extern debug_poison, poison_pattern
global poison_kernel_stack

section .text
bits 64

; void poison_kernel_stack(void): with poisoning on, fills this task's kernel stack from its
; bottom ([gs:kernel_rsp] - KSTACK_SIZE, page aligned: the pattern's phase is the address's) up
; to the return address. Called with interrupts off, after the entry code saved the registers;
; clobbers RAX, RCX, RDI. Does nothing on another stack (an IST stack).
poison_kernel_stack:
	cmp byte [rel debug_poison], 0
	je .done
	mov rdi, [gs:PERCPU_KERNEL_RSP]
	mov rcx, rdi
	sub rcx, rsp			; bytes in use on this task's stack
	cmp rcx, KSTACK_SIZE
	jae .done
	sub rdi, KSTACK_SIZE		; the stack's bottom
	mov rcx, rsp
	sub rcx, rdi
	shr rcx, 3
	mov rax, [rel poison_pattern]
	rep stosq
.done:
	ret
