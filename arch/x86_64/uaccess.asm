; SPDX-License-Identifier: MIT
; User-memory copies. Each faulting instruction is listed in __ex_table: a fault (unmapped page,
; wrong permission, SMAP with AC clear) resumes at the fixup, which returns how many bytes were
; left. The callers (mm/uaccess.c) have already checked that the range lies in the user half,
; and open the SMAP window with stac/clac around these calls.

global __copy_user, __clear_user, __strnlen_user

section .text
bits 64

; size_t __copy_user(void *dst, const void *src, size_t n): returns bytes NOT copied. Eight bytes
; at a time, then the tail; a fault in the 8-byte part retries what is left byte by byte, so the
; count stops exactly at the first byte that cannot be copied.
__copy_user:
	mov rcx, rdx
	shr rcx, 3
.copyq:
	rep movsq
	mov rcx, rdx
	and rcx, 7
.copyb:
	rep movsb
	xor eax, eax
	ret
.copyq_fault:
	and edx, 7
	lea rcx, [rcx * 8 + rdx]	; qwords left as bytes, plus the tail
.copyb2:
	rep movsb
	xor eax, eax
	ret
.copy_fault:
	mov rax, rcx
	ret

; size_t __clear_user(void *dst, size_t n): returns bytes NOT zeroed (as __copy_user).
__clear_user:
	mov rdx, rsi
	mov rcx, rsi
	shr rcx, 3
	xor eax, eax
.clearq:
	rep stosq
	mov rcx, rdx
	and rcx, 7
.clear:
	rep stosb
	ret
.clearq_fault:
	and edx, 7
	lea rcx, [rcx * 8 + rdx]
.clear2:
	rep stosb
	xor eax, eax
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
	dq __copy_user.copyq, __copy_user.copyq_fault
	dq __copy_user.copyb, __copy_user.copy_fault
	dq __copy_user.copyb2, __copy_user.copy_fault
	dq __clear_user.clearq, __clear_user.clearq_fault
	dq __clear_user.clear, __clear_user.clear_fault
	dq __clear_user.clear2, __clear_user.clear_fault
	dq __strnlen_user.load, __strnlen_user.str_fault
