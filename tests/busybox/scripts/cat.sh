# cat: files, stdin, -n, -A-style options, errors
cd /tmp
printf 'line one\nline two\n\n\nline five\n' > a
printf 'no newline at end' > b
cat a
cat a b; echo
cat < a | cat -n
cat -n a b; echo
cat -b a
cat -e a
printf 'tab\there\n' | cat -A
echo piped | cat - a
cat /nonexistent a
echo "status $?"
cat /tmp
echo "status $?"
cat /proc/self/stat > /dev/null && echo proc-ok
head -c 5 /proc/version | wc -c
