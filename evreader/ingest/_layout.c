/* The per-line passes of segmenting a file, compiled.
 *
 * layout(text) -> (blocks, paragraphs, plain_from, maybe_images)
 *   The per-line work of evreader.ingest.segment: `blocks` is the twin of
 *   _blocks(_stripped_lines(text)); `paragraphs` is _choose_mode's first rule (more
 *   blank lines than a tenth of the others: one article); blocks[plain_from:] are
 *   all one line of over 200 characters (no debris test can hit them); and
 *   `maybe_images` is False only where meta._IMAGE_HINT cannot match. In Python
 *   these cost ~30 instructions a character, a fifth of a unit's segmenting.
 * Tests compare it with its Python twin on every code point and generated text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define INLINE static inline __attribute__((always_inline))
#define BLOCK 64 /* characters tested at once, branch-free (the compiler vectorises) */

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

/* The offset of the first "\n" from `pos`, or `len`: memchr for 1-byte text, else
 * a block at a time with a branch-free pretest the compiler runs on many characters. */
INLINE Py_ssize_t line_end(int kind, const void *data, Py_ssize_t len, Py_ssize_t pos) {
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *start = data, *at = memchr(start + pos, '\n', (size_t)(len - pos));
        return at != NULL ? at - start : len;
    }
    for (;;) {
        if (pos + BLOCK <= len && kind == PyUnicode_2BYTE_KIND) {
            const uint16_t *p = (const uint16_t *)data + pos;
            uint16_t hit = 0;
            for (int k = 0; k < BLOCK; k++) {
                hit |= p[k] == '\n';
            }
            if (!hit) {
                pos += BLOCK;
                continue;
            }
        }
        Py_ssize_t stop = pos + BLOCK < len ? pos + BLOCK : len;
        for (; pos < stop; pos++) {
            if (PyUnicode_READ(kind, data, pos) == '\n') {
                return pos;
            }
        }
        if (pos >= len) {
            return len;
        }
    }
}

/* Whether meta._IMAGE_HINT could match: a "." with an extension's first letters. */
INLINE int maybe_images(int kind, const void *data, Py_ssize_t len) {
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *start = data, *at = start, *end = start + len;
        while ((at = memchr(at, '.', (size_t)(end - at))) != NULL) {
            if (maybe_extension(kind, data, len, at - start + 1)) {
                return 1;
            }
            at++;
        }
        return 0;
    }
    Py_ssize_t i = 0;
    while (i < len) {
        if (i + BLOCK <= len) {
            unsigned hit = 0;
            for (Py_ssize_t k = 0; k < BLOCK; k++) {
                hit |= PyUnicode_READ(kind, data, i + k) == '.';
            }
            if (!hit) {
                i += BLOCK;
                continue;
            }
        }
        Py_ssize_t stop = i + BLOCK < len ? i + BLOCK : len;
        for (; i < stop; i++) {
            if (PyUnicode_READ(kind, data, i) == '.' && maybe_extension(kind, data, len, i + 1)) {
                return 1;
            }
        }
    }
    return 0;
}

typedef struct {
    Py_ssize_t inner_blanks; /* blank lines between the first and last content lines */
    Py_ssize_t content;      /* non-blank lines */
} Tally;

/* The blocks of `text` onto `blocks`, with the line tallies; -1 on error. Inlined with a
 * constant `kind`, so PyUnicode_READ's switch leaves the per-character loop. */
INLINE int split_blocks(int kind, const void *data, Py_ssize_t len, PyObject *text,
                        PyObject *blocks, Tally *tally) {
    Lines cur = {NULL, 0, 0};
    Py_ssize_t blank_run = 0, pos = 0;
    int failed = 0;
    for (;;) {
        Py_ssize_t end = line_end(kind, data, len, pos);
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
    Tally tally = {0, 0};
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
    int images = kind == PyUnicode_1BYTE_KIND   ? maybe_images(PyUnicode_1BYTE_KIND, data, len)
                 : kind == PyUnicode_2BYTE_KIND ? maybe_images(PyUnicode_2BYTE_KIND, data, len)
                                                : maybe_images(PyUnicode_4BYTE_KIND, data, len);
    return Py_BuildValue("(NOnO)", blocks, tally.inner_blanks > floor ? Py_True : Py_False,
                         plain_from, images ? Py_True : Py_False);
}

static PyMethodDef module_methods[] = {
    {"layout", layout, METH_O, "A file's blocks and layout hints (see ingest.segment)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_layout", "Compiled per-line passes of ingest.segment.", -1,
    module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__layout(void) {
    return PyModule_Create(&module);
}
