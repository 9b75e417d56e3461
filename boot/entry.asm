; SPDX-License-Identifier: MIT
; The first instructions: 32-bit protected mode, paging off, from either boot loader (see
; header.asm). Builds boot page tables that map physical 0..1 GiB three times (identity, at the
; direct map base and at the kernel's link address), enters long mode and calls kmain(magic, info)
; on the boot stack in the higher half. The kernel then builds its real page tables in C.

%include "build/layout.inc"

BOOT_MAGIC_PVH	equ 0x336ec578		; hvm_start_info magic, passed in EAX on the PVH path
PTE_PW		equ 0x003		; present, writable
PTE_PW_PS	equ 0x083		; present, writable, 2 MiB page
PML4_DMAP	equ (DIRECT_MAP_BASE >> 39) & 511
PDPT_DMAP	equ (DIRECT_MAP_BASE >> 30) & 511
PML4_KERNEL	equ (KERNEL_VMA >> 39) & 511
PDPT_KERNEL	equ (KERNEL_VMA >> 30) & 511
MSR_EFER	equ 0xc0000080
EFER_LME	equ 1 << 8
EFER_NXE	equ 1 << 11
CR4_PAE		equ 1 << 5
CR4_PGE		equ 1 << 7
CR0_PE		equ 1 << 0
CR0_WP		equ 1 << 16
CR0_PG		equ 1 << 31

%define PHYS(sym) (sym - KERNEL_VMA)

extern kmain
global _start32, _start_pvh
global boot_stack_guard, boot_stack_bottom, boot_stack_top
global boot_pml4

section .boot.text progbits alloc exec nowrite align=16
bits 32

; PVH entry (QEMU -kernel): EBX = struct hvm_start_info. Mark the protocol and fall through.
_start_pvh:
	mov eax, BOOT_MAGIC_PVH

; Multiboot2 entry (GRUB): EAX = 0x36d76289, EBX = multiboot2 information.
_start32:
	cli
	cld
	mov esp, PHYS(boot_stack_top)
	mov edi, eax			; kmain's first argument: which protocol
	mov esi, ebx			; second: its information structure (physical)

	mov eax, 0x80000000		; long mode needs extended leaf 0x80000001 with LM set
	cpuid
	cmp eax, 0x80000001
	jb no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz no_long_mode
	mov ebp, edx			; keep NX (bit 20) for EFER below

	mov ebx, PHYS(boot_pd)		; 512 x 2 MiB = physical 0..1 GiB
	xor ecx, ecx
.fill_pd:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_PW_PS
	mov [ebx + ecx * 8], eax
	inc ecx
	cmp ecx, 512
	jne .fill_pd

	mov eax, PHYS(boot_pd) + PTE_PW
	mov [PHYS(boot_pdpt_low)], eax
	mov [PHYS(boot_pdpt_dmap) + PDPT_DMAP * 8], eax
	mov [PHYS(boot_pdpt_high) + PDPT_KERNEL * 8], eax
	mov eax, PHYS(boot_pdpt_low) + PTE_PW
	mov [PHYS(boot_pml4)], eax
	mov eax, PHYS(boot_pdpt_dmap) + PTE_PW
	mov [PHYS(boot_pml4) + PML4_DMAP * 8], eax
	mov eax, PHYS(boot_pdpt_high) + PTE_PW
	mov [PHYS(boot_pml4) + PML4_KERNEL * 8], eax

	mov eax, cr4
	or eax, CR4_PAE | CR4_PGE
	mov cr4, eax
	mov eax, PHYS(boot_pml4)
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	test ebp, 1 << 20
	jz .no_nx
	or eax, EFER_NXE
.no_nx:
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_WP | CR0_PE
	mov cr0, eax

	lgdt [boot_gdt_ptr]
	jmp GDT_KERNEL_CS:long_mode_entry

; No long mode: say so on the serial port and stop.
no_long_mode:
	mov esi, msg_no_long_mode
	mov dx, 0x3f8
.next:
	lodsb
	test al, al
	jz .stop
	out dx, al
	jmp .next
.stop:
	cli
	hlt
	jmp .stop

bits 64
long_mode_entry:
	mov ax, GDT_KERNEL_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rax, higher_half_entry
	jmp rax

section .boot.data progbits alloc noexec write align=16
boot_gdt:
	dq 0
	dq 0x00cf9a000000ffff		; 0x08 kernel code, 32-bit
	dq 0x00af9a000000ffff		; 0x10 kernel code, 64-bit
	dq 0x00cf92000000ffff		; 0x18 kernel data
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt
msg_no_long_mode:
	db "Warden needs an x86-64 CPU (no long mode). Halted.", 13, 10, 0

section .text
; Now in the higher half: switch to the boot stack's virtual address and enter C.
higher_half_entry:
	mov rsp, boot_stack_top
	xor ebp, ebp
	mov edi, edi			; upper halves are undefined after the mode switch
	mov esi, esi
	call kmain
.halt:
	cli
	hlt
	jmp .halt

section .bss nobits alloc noexec write align=4096
boot_pml4:	resb 4096
boot_pdpt_low:	resb 4096
boot_pdpt_dmap:	resb 4096
boot_pdpt_high:	resb 4096
boot_pd:	resb 4096
boot_stack_guard:			; left unmapped by the kernel's page tables
		resb 4096
boot_stack_bottom:
		resb KSTACK_SIZE
boot_stack_top:
