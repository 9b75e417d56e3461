#!/bin/sh
# tests/dynamic/mkblobs.sh GUESTPATH=HOSTFILE... > blobs.S
# Writes an assembler file that embeds each HOSTFILE (symbolic links followed) as the guest file
# GUESTPATH, with a table dyn_files of {path, start, end} triples ending in three zeros, for
# launch.c.
set -eu
printf '\t.section .rodata\n\t.balign 16\n\t.globl dyn_files\n'
i=0
for pair in "$@"; do
	guest=${pair%%=*}
	host=$(readlink -f "${pair#*=}")
	[ -f "$host" ] || { echo "mkblobs.sh: no file $host" >&2; exit 1; }
	printf 'name%d:\n\t.asciz "%s"\n\t.balign 16\nfile%d:\n\t.incbin "%s"\nfile%d_end:\n' \
		"$i" "$guest" "$i" "$host" "$i"
	i=$((i + 1))
done
printf '\t.balign 8\ndyn_files:\n'
j=0
while [ $j -lt $i ]; do
	printf '\t.quad name%d, file%d, file%d_end\n' "$j" "$j" "$j"
	j=$((j + 1))
done
printf '\t.quad 0, 0, 0\n\t.section .note.GNU-stack,"",@progbits\n'
