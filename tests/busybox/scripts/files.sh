# chmod, chown, touch, ln, mkfifo, mknod, rm, mkdir, mv, cp, stat
cd /tmp
mkdir -p w/x/y
mkdir w/x 2>&1; echo "mkdir exists $?"
mkdir -m 700 w/m
touch w/f
chmod 640 w/f; stat -c '%a %A %h %u %g %s %F' w/f
chmod u+x,g-r,o+w w/f; stat -c '%a %A' w/f
chmod -R go-rwx w/x; stat -c '%n %a' w/x w/x/y
chmod 755 /nonexistent 2>&1; echo "chmod missing $?"
chown 1:2 w/f; stat -c '%u %g' w/f
chown :7 w/f; stat -c '%u %g' w/f
chown 100 w/f; stat -c '%u %g' w/f
touch -d '2020-01-02 03:04:05' w/f; stat -c '%Y %y' w/f
touch -m -d '2021-01-01 00:00:00' w/f; stat -c '%Y' w/f
touch -a -d '2019-01-01 00:00:00' w/f; stat -c '%X %Y' w/f
ln w/f w/f2; stat -c '%h' w/f w/f2
ln w/f w/f2 2>&1; echo "ln exists $?"
ln w/x w/xl 2>&1; echo "ln dir $?"
ln -s f w/s; readlink w/s; stat -c '%F %N' w/s
ln -sf f2 w/s; readlink w/s
mkfifo w/p; stat -c '%F %a' w/p
mkfifo -m 600 w/p2; stat -c '%F %a' w/p2
mkfifo w/p 2>&1; echo "mkfifo exists $?"
mknod w/c c 1 3 2>&1; stat -c '%F %t %T' w/c
mknod w/b b 7 0 2>&1; stat -c '%F %t %T' w/b
cat w/c 2>&1; echo "cat chardev $?"
mv w/f2 w/moved; stat -c '%h' w/f
cp -p w/moved w/copy; stat -c '%a %u %g %Y' w/copy
cp w/moved w/copy2; stat -c '%a %u %g' w/copy2
rm w/f; stat -c '%h' w/moved
rm w/nonexistent 2>&1; echo "rm missing $?"
rm -f w/nonexistent; echo "rm -f $?"
rm w/x 2>&1; echo "rm dir $?"
rmdir w/x 2>&1; echo "rmdir nonempty $?"
rm -r w/x; ls w
(echo through the fifo > w/p &) ; cat w/p
rm -rf w; ls w 2>&1
