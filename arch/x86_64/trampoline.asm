; SPDX-License-Identifier: MIT
; The secondary CPUs' way in (arch/x86_64/smpboot.c). A STARTUP IPI starts an AP in real mode at
; CS:IP = (TRAMPOLINE_PHYS >> 4):0. This code is copied there (below 1 MiB, a page memblock keeps
; reserved) and runs position-bound at that address: it loads its own GDT, enters protected mode,
; turns on PAE paging with the boot page tables (boot_pml4: physical 0..1 GiB identity-mapped, and
; the kernel at its link address), enables long mode (and NX if the boot CPU has it), and jumps to
; ap_entry64 in the kernel's text, which moves to the kernel's page tables and the AP's own stack.
; smpboot.c fills the words at trampoline_cr3 and trampoline_efer in the copy.

%include "build/layout.inc"

TRAMPOLINE_PHYS	equ 0x8000
%define TR(sym) (TRAMPOLINE_PHYS + (sym) - trampoline_start)

CR0_PE		equ 1 << 0
CR0_WP		equ 1 << 16
CR0_PG		equ 1 << 31
CR4_PAE		equ 1 << 5
CR4_PGE		equ 1 << 7
MSR_EFER	equ 0xc0000080

global trampoline_start, trampoline_end, trampoline_cr3, trampoline_efer
global ap_entry64, ap_boot_cr3, ap_boot_stack
extern ap_start_kernel

section .rodata
align 16
bits 16
trampoline_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	lgdt [tr_gdt_ptr - trampoline_start]
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	jmp dword 0x08:TR(tr_protected)

bits 32
tr_protected:
	mov ax, 0x18
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr4
	or eax, CR4_PAE | CR4_PGE
	mov cr4, eax
	mov eax, [TR(trampoline_cr3)]
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, [TR(trampoline_efer)]
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	jmp 0x10:TR(tr_long)

bits 64
tr_long:
	mov ax, 0x18
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rax, ap_entry64
	jmp rax

align 8
tr_gdt:
	dq 0
	dq 0x00cf9a000000ffff		; 0x08 kernel code, 32-bit
	dq 0x00af9a000000ffff		; 0x10 kernel code, 64-bit
	dq 0x00cf92000000ffff		; 0x18 kernel data
tr_gdt_ptr:
	dw tr_gdt_ptr - tr_gdt - 1
	dd TR(tr_gdt)
align 4
trampoline_cr3:	dd 0			; physical address of boot_pml4
trampoline_efer: dd 0			; EFER bits to set: LME, and NXE like the boot CPU
trampoline_end:

section .text
; In the higher half on the boot page tables: switch to the kernel's page tables and this AP's
; idle stack (both left in ap_boot_cr3 and ap_boot_stack by the boot CPU), then enter C.
ap_entry64:
	mov rax, [rel ap_boot_cr3]
	mov cr3, rax
	mov rsp, [rel ap_boot_stack]
	xor ebp, ebp
	call ap_start_kernel
.halt:
	cli
	hlt
	jmp .halt

section .data
align 8
ap_boot_cr3:	dq 0
ap_boot_stack:	dq 0
