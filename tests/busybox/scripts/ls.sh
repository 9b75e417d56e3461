# ls -l: modes, link counts, sizes, owners, fixed times set by touch -d
cd /tmp
mkdir -p d/sub
printf 'twelve bytes' > d/file
printf '' > d/empty
seq 1 1000 > d/big
ln d/file d/hard
ln -s file d/link
ln -s /nonexistent d/dangling
chmod 600 d/file
chmod 751 d/sub
chmod 4755 d/big
chmod 1777 d/sub
chown 12:34 d/empty
touch -d '2001-02-03 04:05:06' d/file d/empty d/big d/sub d/hard
touch -h -d '1999-12-31 23:59:59' d/link d/dangling
touch -d '2001-02-03 04:05:06' d
ls -l d
echo ---
ls -ln d
echo ---
ls -la d | sed 's/ [A-Z][a-z][a-z] [ 0-9][0-9] [ 0-9][0-9]:*[0-9][0-9] \./ DATE ./'
echo ---
ls -1 d
ls -d d d/sub
ls -F d
ls -s d/big
ls -lL d/link
ls --full-time d/file
ls -lR d
ls /nonexistent
echo "status $?"
