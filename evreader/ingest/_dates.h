/* What _byline.c reads an ASCII line with: re's character classes, and the four
 * date patterns of meta._DATE_PATTERNS with find_date's choice among them.
 * Each matcher follows its regex's backtracking by hand (see the comment on each). */
#ifndef EVREADER_DATES_H
#define EVREADER_DATES_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))

typedef struct {
    const char *s;
    Py_ssize_t n;
} Text;

/* Character classes as re sees them in an ASCII str (\w, \d, \s). */
INLINE int at(Text t, Py_ssize_t i) { return i >= 0 && i < t.n ? (unsigned char)t.s[i] : -1; }
INLINE int is_digit(int c) { return c >= '0' && c <= '9'; }
INLINE int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
INLINE int is_word(int c) { return is_alpha(c) || is_digit(c) || c == '_'; }
INLINE int is_space(int c) { return c == ' '; } /* the only whitespace one_line leaves */
INLINE int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* \b at i: the characters either side differ in being word characters. */
INLINE int boundary(Text t, Py_ssize_t i) { return is_word(at(t, i - 1)) != is_word(at(t, i)); }

INLINE Py_ssize_t spaces(Text t, Py_ssize_t i) {
    Py_ssize_t k = i;
    while (is_space(at(t, k))) {
        k++;
    }
    return k - i;
}

/* Whether t[i:] starts with `word`, ignoring case (word is lowercase). */
static int starts_with(Text t, Py_ssize_t i, const char *word) {
    for (Py_ssize_t k = 0; word[k]; k++) {
        if (lower(at(t, i + k)) != word[k]) {
            return 0;
        }
    }
    return 1;
}

/* The month alternation of meta._MONTH, each month's forms longest first: the order
 * in which the regex's greedy optional suffixes are tried. */
static const char *const MONTH_FORMS[12][4] = {
    {"january", "jan"}, {"february", "feb"}, {"march", "mar"}, {"april", "apr"}, {"may"},
    {"june", "jun"}, {"july", "jul"}, {"august", "aug"}, {"september", "sept", "sep"},
    {"october", "oct"}, {"november", "nov"}, {"december", "dec"},
};

typedef struct {
    Py_ssize_t start, end;
    int year, month, day;
} Hit;

INLINE int two(Text t, Py_ssize_t i) { return (t.s[i] - '0') * 10 + (t.s[i + 1] - '0'); }

/* (19|20)\d\d at i, then \b; its value or -1. */
static int year_at(Text t, Py_ssize_t i) {
    if (i + 4 > t.n || !is_digit(t.s[i]) || !is_digit(t.s[i + 1]) || !is_digit(t.s[i + 2]) ||
        !is_digit(t.s[i + 3])) {
        return -1;
    }
    int century = two(t, i);
    return century == 19 || century == 20 ? century * 100 + two(t, i + 2) : -1;
}

/* (?:st|nd|rd|th) at i, ignoring case. */
INLINE int ordinal_at(Text t, Py_ssize_t i) {
    int a = lower(at(t, i)), b = lower(at(t, i + 1));
    return (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
           (a == 't' && b == 'h');
}

/* \b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d) at i: no choices to undo. */
static int iso_at(Text t, Py_ssize_t i, Hit *hit) {
    if (!boundary(t, i) || i + 10 > t.n || year_at(t, i) < 0 || t.s[i + 4] != '-' ||
        !is_digit(t.s[i + 5]) || !is_digit(t.s[i + 6]) || t.s[i + 7] != '-' ||
        !is_digit(t.s[i + 8]) || !is_digit(t.s[i + 9]) || is_digit(at(t, i + 10))) {
        return 0;
    }
    *hit = (Hit){i, i + 10, year_at(t, i), two(t, i + 5), two(t, i + 8)};
    return 1;
}

/* \b(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b at i, each \d{1,2} tried
 * with two digits, then one. */
static int slash_at(Text t, Py_ssize_t i, Hit *hit) {
    if (!boundary(t, i) || year_at(t, i) < 0 || at(t, i + 4) != '/') {
        return 0;
    }
    for (int mn = 2; mn >= 1; mn--) {
        Py_ssize_t m = i + 5, d = m + mn + 1;
        if (!is_digit(at(t, m)) || (mn == 2 && !is_digit(at(t, m + 1))) || at(t, m + mn) != '/') {
            continue;
        }
        for (int dn = 2; dn >= 1; dn--) {
            if (!is_digit(at(t, d)) || (dn == 2 && !is_digit(at(t, d + 1))) ||
                !boundary(t, d + dn)) {
                continue;
            }
            int month = mn == 2 ? two(t, m) : t.s[m] - '0';
            int day = dn == 2 ? two(t, d) : t.s[d] - '0';
            *hit = (Hit){i, d + dn, year_at(t, i), month, day};
            return 1;
        }
    }
    return 0;
}

/* ,?\s+(?P<y>(?:19|20)\d\d)\b at i; the end or -1. \s+ takes every space (giving one
 * back leaves a space where a digit must be), and a comma present must be taken. */
static Py_ssize_t year_after(Text t, Py_ssize_t i, int *year) {
    if (at(t, i) == ',') {
        i++;
    }
    Py_ssize_t gap = spaces(t, i);
    if (gap == 0 || (*year = year_at(t, i + gap)) < 0 || !boundary(t, i + gap + 4)) {
        return -1;
    }
    return i + gap + 4;
}

/* (?P<d>\d{1,2})(?:st|nd|rd|th)? at i, two digits tried before one and the suffix
 * before none; `then` is the rest of the pattern: its end, or -1. */
typedef Py_ssize_t (*Rest)(Text t, Py_ssize_t i, Hit *hit);

static Py_ssize_t day_then(Text t, Py_ssize_t i, Hit *hit, Rest then) {
    for (int dn = 2; dn >= 1; dn--) {
        if (!is_digit(at(t, i)) || (dn == 2 && !is_digit(at(t, i + 1)))) {
            continue;
        }
        hit->day = dn == 2 ? two(t, i) : t.s[i] - '0';
        for (int suffix = 1; suffix >= 0; suffix--) {
            if (suffix && !ordinal_at(t, i + dn)) {
                continue;
            }
            Py_ssize_t end = then(t, i + dn + 2 * suffix, hit);
            if (end >= 0) {
                return end;
            }
        }
    }
    return -1;
}

/* _MONTH at i (its forms longest first, each with and without a following '.'),
 * then `then`. */
static Py_ssize_t month_then(Text t, Py_ssize_t i, Hit *hit, Rest then) {
    int first = lower(at(t, i));
    for (int m = 0; m < 12; m++) {
        if (MONTH_FORMS[m][0][0] != first) {
            continue;
        }
        for (int f = 0; f < 4 && MONTH_FORMS[m][f]; f++) {
            const char *form = MONTH_FORMS[m][f];
            if (!starts_with(t, i, form)) {
                continue;
            }
            hit->month = m + 1;
            Py_ssize_t k = i + (Py_ssize_t)strlen(form);
            for (int dot = 1; dot >= 0; dot--) {
                if (dot && at(t, k) != '.') {
                    continue;
                }
                Py_ssize_t end = then(t, k + dot, hit);
                if (end >= 0) {
                    return end;
                }
            }
        }
    }
    return -1;
}

/* Pattern 3 after its month: \s+(?P<d>…)(?:st|…)?,?\s+(?P<y>…)\b */
static Py_ssize_t p3_after_day(Text t, Py_ssize_t i, Hit *hit) {
    return year_after(t, i, &hit->year);
}

static Py_ssize_t p3_after_month(Text t, Py_ssize_t i, Hit *hit) {
    Py_ssize_t gap = spaces(t, i);
    return gap ? day_then(t, i + gap, hit, p3_after_day) : -1;
}

/* Pattern 4 after its day: \s+ _MONTH ,?\s+(?P<y>…)\b */
static Py_ssize_t p4_after_month(Text t, Py_ssize_t i, Hit *hit) {
    return year_after(t, i, &hit->year);
}

static Py_ssize_t p4_after_day(Text t, Py_ssize_t i, Hit *hit) {
    Py_ssize_t gap = spaces(t, i);
    return gap ? month_then(t, i + gap, hit, p4_after_month) : -1;
}

static int named_at(Text t, Py_ssize_t i, Hit *hit) {
    Py_ssize_t end = month_then(t, i, hit, p3_after_month);
    if (end < 0) {
        return 0;
    }
    hit->start = i, hit->end = end;
    return 1;
}

static int day_first_at(Text t, Py_ssize_t i, Hit *hit) {
    if (!boundary(t, i)) {
        return 0;
    }
    Py_ssize_t end = day_then(t, i, hit, p4_after_day);
    if (end < 0) {
        return 0;
    }
    hit->start = i, hit->end = end;
    return 1;
}

typedef int (*Pattern)(Text t, Py_ssize_t i, Hit *hit);
static const Pattern PATTERNS[4] = {iso_at, slash_at, named_at, day_first_at};

static int valid_date(const Hit *h) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (h->month < 1 || h->month > 12 || h->day < 1) {
        return 0;
    }
    int leap = (h->year % 4 == 0 && h->year % 100 != 0) || h->year % 400 == 0;
    return h->day <= days[h->month - 1] + (h->month == 2 && leap);
}

/* meta.find_date: each pattern's first match that is a real date (a search goes on
 * from the end of one that is not), and of those the one starting first, the
 * earlier pattern on a tie. One pass tries every pattern at each position still
 * open to it, so the first real date met is the answer. */
static int find_date(Text t, Hit *best) {
    Py_ssize_t from[4] = {0, 0, 0, 0};
    /* as meta._DATE_NEEDS: the first two cannot match without their separator */
    if (!memchr(t.s, '-', t.n)) {
        from[0] = t.n;
    }
    if (!memchr(t.s, '/', t.n)) {
        from[1] = t.n;
    }
    for (Py_ssize_t i = 0; i < t.n; i++) {
        int c = lower(t.s[i]);
        if (!is_digit(c) && (c == 0 || !strchr("jfmasond", c))) {
            continue; /* every pattern starts with a digit or a month's first letter */
        }
        for (int p = 0; p < 4; p++) {
            Hit hit = {0};
            if (from[p] > i || !PATTERNS[p](t, i, &hit)) {
                continue;
            }
            if (valid_date(&hit)) {
                *best = hit;
                return 1;
            }
            from[p] = hit.end;
        }
    }
    return 0;
}

#endif
