; SPDX-License-Identifier: MIT
; User-memory copies. Each faulting instruction is listed in __ex_table: a fault (unmapped page,
; wrong permission, SMAP with AC clear) resumes at the fixup, which returns how many bytes were
; left. The callers (mm/uaccess.c) have already checked that the range lies in the user half,
; and open the SMAP window with stac/clac around these calls.

global __copy_user, __clear_user, __strnlen_user

section .text
bits 64

; size_t __copy_user(void *dst, const void *src, size_t n): returns bytes NOT copied.
__copy_user:
	mov rcx, rdx
.copy:
	rep movsb
	xor eax, eax
	ret
.copy_fault:
	mov rax, rcx
	ret

; size_t __clear_user(void *dst, size_t n): returns bytes NOT zeroed.
__clear_user:
	mov rcx, rsi
	xor eax, eax
.clear:
	rep stosb
	ret
.clear_fault:
	mov rax, rcx
	ret

; long __strnlen_user(const char *src, char *dst, long n): copies bytes up to and including a NUL,
; at most n. Returns the string length (NUL excluded), n if no NUL was found, or -1 on a fault.
__strnlen_user:
	xor eax, eax
.next:
	cmp rax, rdx
	jae .done
.load:
	mov cl, [rdi + rax]
	mov [rsi + rax], cl
	test cl, cl
	jz .done
	inc rax
	jmp .next
.done:
	ret
.str_fault:
	mov rax, -1
	ret

section __ex_table progbits alloc noexec nowrite align=8
	dq __copy_user.copy, __copy_user.copy_fault
	dq __clear_user.clear, __clear_user.clear_fault
	dq __strnlen_user.load, __strnlen_user.str_fault
