# sh: pipes, redirections, here-documents, functions, subshells, $?, traps, loops, arithmetic
cd /tmp
echo "pipes:"
echo "one two three" | tr ' ' '\n' | sort -r | head -n 2
printf 'a\nb\nc\n' | wc -l
echo "redirections:"
echo first > out.txt
echo second >> out.txt
cat < out.txt
echo to-stderr 1>&2
ls /nonexistent 2> err.txt; echo "ls status $?"
cat err.txt
{ echo grouped; echo also; } > group.txt; cat group.txt
exec 3> fd3.txt; echo "via fd 3" >&3; exec 3>&-; cat fd3.txt
exec 4< out.txt; read line <&4; echo "read: $line"; exec 4<&-
echo both > both.txt 2>&1; cat both.txt
echo "here-documents:"
name=world
cat <<END
hello $name
  indented $((6 * 7))
END
cat <<'END'
no $expansion here
END
cat <<-END
	tabs stripped
	END
tr a-z A-Z <<END
shout
END
echo "functions:"
greet() { echo "greet $1 ($#)"; return 3; }
greet you me; echo "greet returned $?"
fact() { if [ "$1" -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
echo "fact 6 = $(fact 6)"
local_test() { local v=inner; echo "in: $v"; }
v=outer; local_test; echo "out: $v"
echo "subshells:"
x=1; (x=2; echo "sub x=$x"; exit 4); echo "status $? x=$x"
echo "cmdsub: $(echo nested $(echo deeper))"
(cd /; pwd); pwd
echo "status:"
true; echo "true $?"
false; echo "false $?"
! false; echo "not false $?"
sh -c 'exit 42'; echo "sh -c exit $?"
false || echo "or ran"
true && echo "and ran"
echo "loops:"
for i in 1 2 3; do printf '%s ' "$i"; done; echo
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); [ $i -eq 2 ] && continue; [ $i -eq 4 ] && break; printf 'w%s ' $i; done; echo
case "abc.txt" in *.sh) echo sh ;; *.txt) echo txt ;; esac
set -- a "b c" d; echo "args $#: $2"; shift; echo "after shift: $1"
echo "traps:"
trap 'echo got USR1' USR1
kill -USR1 $$
trap 'echo exiting with $?' EXIT
trap - USR1
trap
(trap 'echo sub-exit' EXIT; echo in subshell)
echo "parameter expansion:"
f=/a/b/c.tar.gz; echo "${f##*/} ${f%.*} ${f#/a} ${#f} ${unset:-default} ${f%%.*}"
exit 7
