; SPDX-License-Identifier: MIT
; Boot headers: how the two supported loaders find Warden's entry point.
;  - GRUB (multiboot2) finds the multiboot2 header in the first 32 KiB of the ELF file and jumps to
;    the ELF entry, _start32, in 32-bit protected mode with EAX = 0x36d76289 and EBX = boot info.
;  - QEMU -kernel (the fast path used by the test runner) reads the Xen PVH ELF note and jumps to
;    _start_pvh in 32-bit protected mode with EBX = struct hvm_start_info.

%include "build/layout.inc"

MB2_MAGIC        equ 0xe85250d6
MB2_ARCH_I386    equ 0
XEN_ELFNOTE_PHYS32_ENTRY equ 18

extern _start_pvh

section .multiboot progbits alloc noexec nowrite align=8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; information request tag: command line, modules, memory map (type 1, optional flag clear)
	align 8
	dw 1, 0
	dd 20
	dd 1, 3, 6
	; module alignment tag: modules page aligned
	align 8
	dw 6, 0
	dd 8
	; end tag
	align 8
	dw 0, 0
	dd 8
mb2_header_end:

section .note.Xen note alloc noexec nowrite align=4
	dd 4				; name size
	dd 8				; descriptor size (QEMU reads a 64-bit value)
	dd XEN_ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dq _start_pvh
