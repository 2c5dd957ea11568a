/* Two passes over every character of every article, compiled.
 *
 * fold(text) -> str or None
 *   The twin of evreader.extract.matcher.fold_py: text.lower() when that keeps the
 *   length, else each character lowered on its own where that gives one character.
 *   Only U+0130 (İ) lowers to two characters, and only U+03A3 (Σ) lowers by its
 *   context (final sigma); a text with Σ gives None and Python folds it. str.lower
 *   costs ~50 instructions a character through the full case tables; this ~5.
 * invisible_at(text) -> int
 *   The twin of textsafe._INVISIBLE.search(text): the offset of the first character
 *   in that class, or -1. The regex scan cost ~20 instructions a character.
 * layout(text) -> (blocks, paragraphs, plain_from, maybe_images)
 *   The per-line work of segmenting a file (ingest.segment): `blocks` is the twin of
 *   _blocks(_stripped_lines(text)); `paragraphs` is _choose_mode's first rule (more
 *   blank lines than a tenth of the others: one article); blocks[plain_from:] are
 *   all one line of over 200 characters (no debris test can hit them); and
 *   `maybe_images` is False only where meta._IMAGE_HINT cannot match. In Python
 *   these cost ~30 instructions a character, a fifth of a unit's segmenting.
 * Tests compare each with its Python twin on every code point and generated text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static Py_UCS4 lower_one(Py_UCS4 ch) {
    if (ch < 128) {
        return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
    }
    return ch == 0x130 ? ch : Py_UNICODE_TOLOWER(ch);
}

#define INLINE static inline __attribute__((always_inline))

/* The largest lowered character, or 0x110000 when the text has a Σ. Inlined with a
 * constant `kind`, so the compiler drops PyUnicode_READ's switch from the loop. */
INLINE Py_UCS4 lowered_max(int kind, const void *data, Py_ssize_t len) {
    Py_UCS4 max = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < 128) {
            continue;
        }
        if (ch == 0x3A3) {
            return 0x110000;
        }
        Py_UCS4 low = lower_one(ch);
        max = low > max ? low : max;
    }
    return max;
}

INLINE void lower_into(int kind, const void *data, int out_kind, void *out, Py_ssize_t len) {
    for (Py_ssize_t i = 0; i < len; i++) {
        PyUnicode_WRITE(out_kind, out, i, lower_one(PyUnicode_READ(kind, data, i)));
    }
}

static PyObject *fold(PyObject *Py_UNUSED(module), PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "fold() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    Py_UCS4 max = kind == PyUnicode_1BYTE_KIND ? lowered_max(PyUnicode_1BYTE_KIND, data, len)
                  : kind == PyUnicode_2BYTE_KIND ? lowered_max(PyUnicode_2BYTE_KIND, data, len)
                                                 : lowered_max(PyUnicode_4BYTE_KIND, data, len);
    if (max == 0x110000) {
        Py_RETURN_NONE; /* final sigma depends on context: Python decides */
    }
    PyObject *out = PyUnicode_New(len, max < 128 ? 127 : max);
    if (out == NULL) {
        return NULL;
    }
    int out_kind = PyUnicode_KIND(out);
    void *out_data = PyUnicode_DATA(out);
    if (kind == PyUnicode_1BYTE_KIND && out_kind == PyUnicode_1BYTE_KIND) {
        lower_into(PyUnicode_1BYTE_KIND, data, PyUnicode_1BYTE_KIND, out_data, len);
    } else if (kind == PyUnicode_2BYTE_KIND && out_kind == PyUnicode_2BYTE_KIND) {
        lower_into(PyUnicode_2BYTE_KIND, data, PyUnicode_2BYTE_KIND, out_data, len);
    } else {
        lower_into(kind, data, out_kind, out_data, len);
    }
    return out;
}

static int invisible(Py_UCS4 ch) {
    if (ch < 0x200b) {
        return ch <= 0x08 || (ch >= 0x0b && ch <= 0x1f) || (ch >= 0x7f && ch <= 0x9f);
    }
    return ch == 0x200b || ch == 0x200e || ch == 0x200f || (ch >= 0x202a && ch <= 0x202e) ||
           (ch >= 0x2060 && ch <= 0x2064) || (ch >= 0x2066 && ch <= 0x206f) || ch == 0xfeff ||
           (ch >= 0xfff9 && ch <= 0xfffb) || (ch >= 0xd800 && ch <= 0xdfff);
}

INLINE Py_ssize_t first_invisible(int kind, const void *data, Py_ssize_t len) {
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch - 0x20 < 0x5f) {
            continue; /* printable ASCII, most of any text */
        }
        if (invisible(ch)) {
            return i;
        }
    }
    return -1;
}

static PyObject *invisible_at(PyObject *Py_UNUSED(module), PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "invisible_at() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    return PyLong_FromSsize_t(
        kind == PyUnicode_1BYTE_KIND ? first_invisible(PyUnicode_1BYTE_KIND, data, len)
        : kind == PyUnicode_2BYTE_KIND ? first_invisible(PyUnicode_2BYTE_KIND, data, len)
                                       : first_invisible(PyUnicode_4BYTE_KIND, data, len));
}

/* ---- layout ------------------------------------------------------------ */

typedef struct {
    Py_ssize_t start, end;
} Span;

/* _join's test: the line goes on its own line (list item, heading, numbered). */
INLINE int own_line(int kind, const void *data, Span line) {
    Py_UCS4 c0 = PyUnicode_READ(kind, data, line.start);
    if (c0 == '-' || c0 == '*' || c0 == 0x2022 || c0 == '#' || c0 == '>' || c0 == '|') {
        return 1;
    }
    /* line[:2].rstrip(".)").isdigit() */
    Py_ssize_t n = line.end - line.start < 2 ? line.end - line.start : 2;
    while (n > 0) {
        Py_UCS4 last = PyUnicode_READ(kind, data, line.start + n - 1);
        if (last != '.' && last != ')') {
            break;
        }
        n--;
    }
    if (n == 0) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        if (!Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, line.start + k))) {
            return 0;
        }
    }
    return 1;
}

/* _join(lines) for the block's stripped lines. */
static PyObject *join_block(PyObject *text, int kind, const void *data, const Span *lines,
                            Py_ssize_t count) {
    if (count == 1) {
        return PyUnicode_Substring(text, lines[0].start, lines[0].end);
    }
    PyObject *parts = PyList_New(2 * count - 1);
    if (parts == NULL) {
        return NULL;
    }
    PyObject *newline = PyUnicode_FromString("\n"), *space = PyUnicode_FromString(" ");
    PyObject *out = NULL;
    if (newline == NULL || space == NULL) {
        goto done;
    }
    Py_ssize_t prev_len = lines[0].end - lines[0].start;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *piece = PyUnicode_Substring(text, lines[k].start, lines[k].end);
        if (piece == NULL) {
            goto done;
        }
        PyList_SET_ITEM(parts, 2 * k, piece);
        if (k == 0) {
            continue;
        }
        PyObject *sep = own_line(kind, data, lines[k]) || prev_len < 40 ? newline : space;
        Py_INCREF(sep);
        PyList_SET_ITEM(parts, 2 * k - 1, sep);
        prev_len = lines[k].end - lines[k].start + 1; /* the piece with its separator */
    }
    PyObject *empty = PyUnicode_FromString("");
    if (empty != NULL) {
        out = PyUnicode_Join(empty, parts);
        Py_DECREF(empty);
    }
done:
    Py_XDECREF(newline);
    Py_XDECREF(space);
    Py_DECREF(parts);
    return out;
}

/* The ASCII letter `ch` matches under re.IGNORECASE, else 0: besides A-Z and a-z,
 * only İ and ı (i), ſ (s) and the Kelvin sign (k) do (tests check every code point). */
INLINE Py_UCS4 letter_ignoring_case(Py_UCS4 ch) {
    if (ch < 128) {
        ch = ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
        return ch >= 'a' && ch <= 'z' ? ch : 0;
    }
    return ch == 0x130 || ch == 0x131 ? 'i' : ch == 0x17f ? 's' : ch == 0x212a ? 'k' : 0;
}

/* Whether an image extension could start at `i` (just after a "."), by its first
 * two letters: meta._IMAGE_HINT needs one of these pairs there. */
INLINE int maybe_extension(int kind, const void *data, Py_ssize_t len, Py_ssize_t i) {
    if (i + 3 > len) {
        return 0; /* every extension has 3 letters or more */
    }
    Py_UCS4 a = letter_ignoring_case(PyUnicode_READ(kind, data, i));
    Py_UCS4 b = letter_ignoring_case(PyUnicode_READ(kind, data, i + 1));
    /* png jpg jpeg gif webp svg bmp tif tiff avif */
    return (a == 'p' && b == 'n') || (a == 'j' && b == 'p') || (a == 'g' && b == 'i') ||
           (a == 'w' && b == 'e') || (a == 's' && b == 'v') || (a == 'b' && b == 'm') ||
           (a == 't' && b == 'i') || (a == 'a' && b == 'v');
}

typedef struct {
    Span *lines; /* the current block's lines */
    Py_ssize_t count, cap;
} Lines;

static int push_line(Lines *cur, Span line) {
    if (cur->count == cur->cap) {
        Py_ssize_t cap = cur->cap ? 2 * cur->cap : 16;
        Span *grown = PyMem_Realloc(cur->lines, (size_t)cap * sizeof(Span));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        cur->lines = grown;
        cur->cap = cap;
    }
    cur->lines[cur->count++] = line;
    return 0;
}

/* Ends the current block (if any) onto `blocks`; -1 on error. */
static int flush_block(PyObject *blocks, Lines *cur, PyObject *text, int kind, const void *data) {
    if (cur->count == 0) {
        return 0;
    }
    PyObject *block = join_block(text, kind, data, cur->lines, cur->count);
    cur->count = 0;
    if (block == NULL) {
        return -1;
    }
    int failed = PyList_Append(blocks, block);
    Py_DECREF(block);
    return failed;
}

typedef struct {
    Py_ssize_t inner_blanks; /* blank lines between the first and last content lines */
    Py_ssize_t content;      /* non-blank lines */
    int images;
} Tally;

/* The blocks of `text` onto `blocks`, with the tallies; -1 on error. Inlined with a
 * constant `kind`, so PyUnicode_READ's switch leaves the per-character loop. */
INLINE int split_blocks(int kind, const void *data, Py_ssize_t len, PyObject *text,
                        PyObject *blocks, Tally *tally) {
    Lines cur = {NULL, 0, 0};
    Py_ssize_t blank_run = 0, pos = 0;
    int failed = 0;
    for (;;) {
        Py_ssize_t end = pos;
        for (; end < len; end++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, end);
            if (ch == '\n') {
                break;
            }
            if (ch == '.' && !tally->images) {
                tally->images = maybe_extension(kind, data, len, end + 1);
            }
        }
        Span line = {pos, end};
        while (line.start < line.end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, line.start))) {
            line.start++;
        }
        while (line.end > line.start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, line.end - 1))) {
            line.end--;
        }
        if (line.start == line.end) {
            blank_run++;
            failed = flush_block(blocks, &cur, text, kind, data);
        } else {
            tally->inner_blanks += tally->content > 0 ? blank_run : 0;
            blank_run = 0;
            tally->content++;
            failed = push_line(&cur, line);
        }
        if (failed || end >= len) {
            break;
        }
        pos = end + 1;
    }
    failed = failed || flush_block(blocks, &cur, text, kind, data);
    PyMem_Free(cur.lines);
    return failed ? -1 : 0;
}

static PyObject *layout(PyObject *Py_UNUSED(module), PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "layout() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    PyObject *blocks = PyList_New(0);
    if (blocks == NULL) {
        return NULL;
    }
    Tally tally = {0, 0, 0};
    int failed = kind == PyUnicode_1BYTE_KIND
                     ? split_blocks(PyUnicode_1BYTE_KIND, data, len, text, blocks, &tally)
                 : kind == PyUnicode_2BYTE_KIND
                     ? split_blocks(PyUnicode_2BYTE_KIND, data, len, text, blocks, &tally)
                     : split_blocks(PyUnicode_4BYTE_KIND, data, len, text, blocks, &tally);
    if (failed) {
        Py_DECREF(blocks);
        return NULL;
    }
    Py_ssize_t floor = tally.content / 10 > 1 ? tally.content / 10 : 1;
    Py_ssize_t plain_from = PyList_GET_SIZE(blocks);
    while (plain_from > 0) {
        PyObject *block = PyList_GET_ITEM(blocks, plain_from - 1);
        if (PyUnicode_GET_LENGTH(block) <= 200 ||
            PyUnicode_FindChar(block, '\n', 0, PyUnicode_GET_LENGTH(block), 1) != -1) {
            break;
        }
        plain_from--;
    }
    return Py_BuildValue("(NOnO)", blocks, tally.inner_blanks > floor ? Py_True : Py_False,
                         plain_from, tally.images ? Py_True : Py_False);
}

static PyMethodDef module_methods[] = {
    {"fold", fold, METH_O, "Lower-case without changing the length (see matcher.fold_py)."},
    {"invisible_at", invisible_at, METH_O, "First character of textsafe._INVISIBLE, or -1."},
    {"layout", layout, METH_O, "A file's blocks and layout hints (see ingest.segment)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_chars", "Compiled per-character passes (fold, invisible_at).", -1,
    module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__chars(void) {
    return PyModule_Create(&module);
}
