# free and uptime: every number is replaced by N and runs of spaces by one (memory amounts and times differ by nature, and so do the column widths)
free | sed -e "s/[0-9][0-9]*/N/g" -e "s/  */ /g"
free -m | sed -e "s/[0-9][0-9]*/N/g" -e "s/  */ /g" | head -n 1
uptime | sed 's/[0-9][0-9]*/N/g'
cat /proc/uptime | sed 's/[0-9][0-9]*/N/g'
cat /proc/loadavg | sed 's/[0-9][0-9]*/N/g'
grep -c MemTotal /proc/meminfo
