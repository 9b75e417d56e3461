/* trace_table.h: prints Warden's trace (/proc/warden/trace, one JSON object per line) as a
 * table a person can read: time, pid, program, event, arguments, result, and the VMA ranges a
 * protection change touched. Shared by user/wtrace and user/lab_wx. base, when not 0, is
 * subtracted from every address that falls in [base, base + 4 GiB), which then prints as
 * "+0x..." (so a lab's output does not depend on where its memory is). */
#ifndef USER_TRACE_TABLE_H
#define USER_TRACE_TABLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies the JSON value of key in line (a string without its quotes, a number, or an object
 * or array as it is) into out; "" if the key is missing. */
static void json_field(const char *line, const char *key, char *out, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    size_t n = 0;
    out[0] = 0;
    if (!p)
        return;
    p += strlen(pat);
    if (*p == '"') {
        for (p++; *p && *p != '"' && n + 1 < size; p++)
            out[n++] = *p;
    } else if (*p == '{' || *p == '[') {
        int depth = 0;
        do {
            if (*p == '{' || *p == '[')
                depth++;
            if (*p == '}' || *p == ']')
                depth--;
            if (n + 1 < size)
                out[n++] = *p;
            p++;
        } while (*p && depth);
    } else {
        for (; *p && *p != ',' && *p != '}' && n + 1 < size; p++)
            out[n++] = *p;
    }
    out[n] = 0;
}

/* Rewrites addresses "0x..." in s that fall in base's 4 GiB as "+0x..." offsets. */
static void relative_addresses(char *s, size_t size, unsigned long base)
{
    char out[1024];
    size_t n = 0;
    for (char *p = s; *p && n + 24 < sizeof out;) {
        if (base && p[0] == '0' && p[1] == 'x') {
            char *end;
            unsigned long v = strtoul(p, &end, 16);
            if (v >= base && v - base < (1UL << 32)) {
                n += (size_t)snprintf(out + n, sizeof out - n, "+%#lx", v - base);
                p = end;
                continue;
            }
        }
        out[n++] = *p++;
    }
    out[n] = 0;
    n = strlen(out) < size ? strlen(out) : size - 1;
    memcpy(s, out, n);
    s[n] = 0;
}

/* Strips JSON punctuation from an argument object: {"addr":"0x1","len":4} -> addr=0x1 len=4. */
static void plain_args(const char *json, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = json; *p && n + 1 < size; p++) {
        if (*p == '{' || *p == '}' || *p == '"')
            continue;
        out[n++] = *p == ':' ? '=' : *p == ',' ? ' ' : *p;
    }
    out[n] = 0;
}

/* Prints the records in text (the trace file's content) as a table. */
static void print_trace_table(char *text, unsigned long base, int with_time)
{
    if (with_time)
        printf("%10s ", "TIME(us)");
    printf("%-5s %-10s %-14s %-48s %s\n", "PID", "PROGRAM", "EVENT", "ARGUMENTS", "RESULT");
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char ts[32], pid[16], comm[32], event[32], args[512], ret[64], err[32], vmas[512], a[512];
        json_field(line, "ts", ts, sizeof ts);
        json_field(line, "pid", pid, sizeof pid);
        json_field(line, "comm", comm, sizeof comm);
        json_field(line, "event", event, sizeof event);
        json_field(line, "args", args, sizeof args);
        json_field(line, "ret", ret, sizeof ret);
        json_field(line, "errno", err, sizeof err);
        json_field(line, "vmas", vmas, sizeof vmas);
        plain_args(args, a, sizeof a);
        relative_addresses(a, sizeof a, base);
        relative_addresses(ret, sizeof ret, base);
        if (with_time)
            printf("%10llu ", strtoull(ts, NULL, 10) / 1000);
        printf("%-5s %-10s %-14s %-48s %s%s%s\n", pid, comm, event, a, ret, err[0] ? " " : "",
               err);
        if (vmas[0]) {
            char v[512];
            plain_args(vmas, v, sizeof v);
            relative_addresses(v, sizeof v, base);
            printf("%*s vmas: %s\n", with_time ? 17 : 6, "", v);
        }
        line = nl ? nl + 1 : NULL;
    }
}

/* Reads the whole of path into a static buffer ("" if it cannot be read). */
static char *read_file(const char *path)
{
    static char buf[1 << 18];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    return buf;
}

#endif
