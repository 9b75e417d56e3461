# find: -name, -type, -maxdepth, -exec, -print, -path, -size (output sorted: readdir order is the file system's)
cd /tmp
mkdir -p t/a/b t/c
for f in t/one.txt t/a/two.txt t/a/b/three.c t/c/four.txt t/five.c; do echo "$f" > "$f"; done
ln -s one.txt t/lnk
mkdir t/empty
find t | sort
echo ---
find t -name '*.txt' | sort
echo ---
find t -type d | sort
echo ---
find t -type f -name '*.c' | sort
echo ---
find t -type l
find t -maxdepth 1 | sort
echo ---
find t -mindepth 2 -type f | sort
echo ---
find t -path '*a/b*' | sort
find t -name '*.c' -exec cat {} \; | sort
find t -empty
find t -type f -newer t/one.txt | sort
find t -name '*.txt' -exec echo X {} + | tr ' ' '\n' | sort
find /nonexistent
echo "status $?"
find t -name two.txt -print -quit
