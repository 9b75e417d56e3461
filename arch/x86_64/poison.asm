; SPDX-License-Identifier: MIT
; The kernel-stack half of the `poison` boot option (mm/poison.h): on every entry from user mode
; the part of the task's kernel stack below the entry frame that the previous calls used is
; filled with the poison pattern again, so that a byte a system call or a fault handler leaves
; unwritten on its stack (a struct member, a buffer's tail) is poison, not what an earlier call
; left there, and the copy check in mm/uaccess.c catches it on its way to user space.

%include "build/layout.inc"

PERCPU_KERNEL_RSP equ 16
SAMPLE_STRIDE     equ 64	; one word per cache line is looked at to find the used part
SAMPLE_MARGIN     equ 512	; filled below the deepest used sample found

extern debug_poison, poison_pattern
global poison_kernel_stack

section .text
bits 64

; void poison_kernel_stack(void): with poisoning on, re-poisons this task's kernel stack from
; just below the deepest point used since the last fill up to the return address. Below that
; point the stack still holds poison (a new stack is poisoned by vmalloc's pages), so instead of
; writing all 16 KiB on every system call it samples one word per 64 bytes from the bottom up
; and fills from SAMPLE_MARGIN below the first sample that is not poison: about 300 stores for
; a small call instead of 2000, which matters under TCG. A frame written only between samples
; more than SAMPLE_MARGIN below the first changed sample stays stale (a missed report, never a
; false one). The stack's bottom ([gs:kernel_rsp] - KSTACK_SIZE) is page aligned, so the
; pattern's phase is the address's. Called with interrupts off, after the entry code saved the
; registers; clobbers RAX, RCX, RDX, RDI. Does nothing on another stack (an IST stack).
poison_kernel_stack:
	cmp byte [rel debug_poison], 0
	je .done
	mov rdx, [gs:PERCPU_KERNEL_RSP]
	mov rcx, rdx
	sub rcx, rsp			; bytes in use on this task's stack
	cmp rcx, KSTACK_SIZE
	jae .done
	sub rdx, KSTACK_SIZE		; the stack's bottom
	mov rax, [rel poison_pattern]
	mov rdi, rdx
.scan:
	cmp rdi, rsp
	jae .found
	cmp [rdi], rax
	jne .found
	add rdi, SAMPLE_STRIDE
	jmp .scan
.found:
	sub rdi, SAMPLE_MARGIN
	cmp rdi, rdx
	jae .fill
	mov rdi, rdx			; not below the bottom (nor wrapped: rdx >= SAMPLE_MARGIN)
.fill:
	mov rcx, rsp
	sub rcx, rdi
	jbe .done
	shr rcx, 3
	rep stosq
.done:
	ret
