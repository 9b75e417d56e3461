// SPDX-License-Identifier: MIT
/* vsnprintf: the one formatter behind printk, panic reports and /proc files. */
#include "kernel/vsprintf.h"

#define F_LEFT 0x01
#define F_ZERO 0x02
#define F_PLUS 0x04
#define F_SPACE 0x08
#define F_ALT 0x10

struct outbuf {
	char *buf;
	size_t size;
	size_t len; /* bytes the full output needs, even past size */
};

/* Appends one character, keeping room for the terminator. */
static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int flags;
	int width;
	int precision; /* -1: none */
};

/* Formats an integer given as magnitude and sign, honouring every flag. */
static void put_number(struct outbuf *o, u64 mag, bool neg, unsigned base, bool upper,
		       const struct spec *s)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	while (mag) {
		tmp[n++] = digits[mag % base];
		mag /= base;
	}
	/* Precision is the minimum digit count; an explicit 0 with value 0 prints no digits. */
	int ndigits = n > s->precision ? n : s->precision;
	if (s->precision < 0 && n == 0)
		ndigits = 1;

	const char *prefix = "";
	if (neg)
		prefix = "-";
	else if (s->flags & F_PLUS)
		prefix = "+";
	else if (s->flags & F_SPACE)
		prefix = " ";
	if ((s->flags & F_ALT) && base == 16 && n > 0)
		prefix = upper ? "0X" : "0x";
	if ((s->flags & F_ALT) && base == 8 && ndigits <= n)
		ndigits = n + 1; /* octal: a leading 0 */

	int plen = 0;
	while (prefix[plen])
		plen++;
	int pad = s->width - plen - ndigits;
	bool zero = (s->flags & F_ZERO) && !(s->flags & F_LEFT) && s->precision < 0;

	if (!(s->flags & F_LEFT) && !zero)
		put_repeat(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (zero)
		put_repeat(o, '0', pad);
	put_repeat(o, '0', ndigits - n);
	while (n)
		put(o, tmp[--n]);
	if (s->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

/* Formats a string with width and precision. */
static void put_string(struct outbuf *o, const char *str, const struct spec *s)
{
	if (!str)
		str = "(null)";
	int len = 0;
	while ((s->precision < 0 || len < s->precision) && str[len])
		len++;
	if (!(s->flags & F_LEFT))
		put_repeat(o, ' ', s->width - len);
	for (int i = 0; i < len; i++)
		put(o, str[i]);
	if (s->flags & F_LEFT)
		put_repeat(o, ' ', s->width - len);
}

/* Reads flags, width and precision after a '%'; returns the position of the length/conversion. */
static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	s->flags = 0;
	for (;; f++) {
		if (*f == '-')
			s->flags |= F_LEFT;
		else if (*f == '0')
			s->flags |= F_ZERO;
		else if (*f == '+')
			s->flags |= F_PLUS;
		else if (*f == ' ')
			s->flags |= F_SPACE;
		else if (*f == '#')
			s->flags |= F_ALT;
		else
			break;
	}
	s->width = 0;
	if (*f == '*') {
		int w = va_arg(*ap, int);
		if (w < 0) {
			s->flags |= F_LEFT;
			w = w == -w ? 0 : -w; /* INT_MIN has no positive counterpart */
		}
		s->width = w;
		f++;
	} else {
		while (*f >= '0' && *f <= '9') {
			if (s->width < 100000)
				s->width = s->width * 10 + (*f - '0');
			f++;
		}
	}
	s->precision = -1;
	if (*f == '.') {
		f++;
		s->precision = 0;
		if (*f == '*') {
			s->precision = va_arg(*ap, int);
			if (s->precision < 0)
				s->precision = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9') {
				if (s->precision < 100000)
					s->precision = s->precision * 10 + (*f - '0');
				f++;
			}
		}
	}
	return f;
}

/* Reads an integer argument of the given length modifier ('H' hh, 'h', 'l', 'L' ll, 'z', 't'). */
static u64 fetch_int(va_list *ap, char len, bool is_signed, bool *neg)
{
	s64 v;

	*neg = false;
	if (!is_signed) {
		switch (len) {
		case 'H':
			return (u8)va_arg(*ap, unsigned);
		case 'h':
			return (u16)va_arg(*ap, unsigned);
		case 'l':
		case 'L':
		case 'z':
		case 't':
			return va_arg(*ap, u64);
		default:
			return va_arg(*ap, unsigned);
		}
	}
	switch (len) {
	case 'H':
		v = (s8)va_arg(*ap, int);
		break;
	case 'h':
		v = (s16)va_arg(*ap, int);
		break;
	case 'l':
	case 'L':
	case 'z':
	case 't':
		v = va_arg(*ap, s64);
		break;
	default:
		v = va_arg(*ap, int);
		break;
	}
	if (v < 0) {
		*neg = true;
		return -(u64)v;
	}
	return (u64)v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct outbuf o = { buf, size, 0 };
	struct spec s;
	va_list ap;
	bool neg;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &s, &ap);
		char len = 0;
		if (f[0] == 'h' && f[1] == 'h')
			len = 'H', f += 2;
		else if (f[0] == 'l' && f[1] == 'l')
			len = 'L', f += 2;
		else if (*f == 'h' || *f == 'l' || *f == 'z' || *f == 't')
			len = *f++;

		switch (*f) {
		case 'd':
		case 'i': {
			u64 m = fetch_int(&ap, len, true, &neg);
			put_number(&o, m, neg, 10, false, &s);
			break;
		}
		case 'u':
			s.flags &= ~(F_PLUS | F_SPACE); /* only signed conversions take a sign */
			put_number(&o, fetch_int(&ap, len, false, &neg), false, 10, false, &s);
			break;
		case 'x':
		case 'X':
			s.flags &= ~(F_PLUS | F_SPACE);
			put_number(&o, fetch_int(&ap, len, false, &neg), false, 16, *f == 'X', &s);
			break;
		case 'o':
			s.flags &= ~(F_PLUS | F_SPACE);
			put_number(&o, fetch_int(&ap, len, false, &neg), false, 8, false, &s);
			break;
		case 'p': {
			struct spec ps = { F_ZERO, 16, -1 };
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (u64)(uintptr_t)va_arg(ap, void *), false, 16, false, &ps);
			break;
		}
		case 'c':
			s.precision = -1;
			if (!(s.flags & F_LEFT))
				put_repeat(&o, ' ', s.width - 1);
			put(&o, (char)va_arg(ap, int));
			if (s.flags & F_LEFT)
				put_repeat(&o, ' ', s.width - 1);
			break;
		case 's':
			put_string(&o, va_arg(ap, const char *), &s);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			f--; /* a lone '%' at the end: print nothing more */
			break;
		default:
			put(&o, '%');
			put(&o, *f);
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
