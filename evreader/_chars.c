/* Three passes over every character of every article, compiled.
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
 * utf8(text) -> bytes
 *   text.encode("utf-8", "surrogatepass"): every article body is encoded for its id
 *   and the store. CPython's encoder takes ~11 instructions a character in a 2-byte
 *   string (any curly quote makes one); this sizes the output in one branch-free
 *   pass and copies runs of 64 ASCII characters without a branch each.
 * Tests compare all three with their Python twins on every code point.
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

#define BLOCK 64

/* Lowers a block of BLOCK characters of width T into `out` if all are ASCII: branch
 * free, in the string's own width, so the compiler handles 16 or 8 at once. */
#define ASCII_BLOCK_LOWERED(T)                                                       \
    INLINE int ascii_block_lowered_##T(const T *in, T *out) {                       \
        T above = 0;                                                                  \
        for (int k = 0; k < BLOCK; k++) {                                             \
            above |= in[k];                                                           \
        }                                                                             \
        if (above >= 128) {                                                           \
            return 0;                                                                 \
        }                                                                             \
        for (int k = 0; k < BLOCK; k++) {                                             \
            out[k] = (T)(in[k] + (((T)(in[k] - 'A') < 26) << 5));                    \
        }                                                                             \
        return 1;                                                                     \
    }
ASCII_BLOCK_LOWERED(uint8_t)
ASCII_BLOCK_LOWERED(uint16_t)

/* Lowers `len` characters into `out`, of the same kind, in one pass; returns the
 * largest lowered character above ASCII (0 if none), or 0x110000 at a Σ. Inlined
 * with a constant `kind`, so the compiler drops PyUnicode_READ's switch; a block of
 * ASCII is lowered branch-free, which the compiler runs on many characters at once. */
INLINE Py_UCS4 lower_into(int kind, const void *data, void *out, Py_ssize_t len) {
    Py_UCS4 max = 0;
    Py_ssize_t i = 0;
    while (i < len) {
        if (i + BLOCK <= len && kind == PyUnicode_1BYTE_KIND &&
            ascii_block_lowered_uint8_t((const uint8_t *)data + i, (uint8_t *)out + i)) {
            i += BLOCK;
            continue;
        }
        if (i + BLOCK <= len && kind == PyUnicode_2BYTE_KIND &&
            ascii_block_lowered_uint16_t((const uint16_t *)data + i, (uint16_t *)out + i)) {
            i += BLOCK;
            continue;
        }
        Py_ssize_t stop = i + BLOCK < len ? i + BLOCK : len;
        for (; i < stop; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch < 128) {
                PyUnicode_WRITE(kind, out, i, ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
                continue;
            }
            if (ch == 0x3A3) {
                return 0x110000;
            }
            Py_UCS4 low = lower_one(ch);
            max = low > max ? low : max;
            PyUnicode_WRITE(kind, out, i, low);
        }
    }
    return max;
}

static PyObject *fold(PyObject *Py_UNUSED(module), PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "fold() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    /* Lowering keeps ASCII in ASCII, Latin-1 in Latin-1 and the BMP in the BMP, so
     * the result fits the text's own kind; it may need a smaller one (Ÿ lowers to ÿ). */
    Py_UCS4 room = kind == PyUnicode_1BYTE_KIND ? (PyUnicode_IS_ASCII(text) ? 127 : 255)
                   : kind == PyUnicode_2BYTE_KIND ? 0xFFFF : 0x10FFFF;
    PyObject *out = PyUnicode_New(len, room);
    if (out == NULL) {
        return NULL;
    }
    void *out_data = PyUnicode_DATA(out);
    Py_UCS4 max = kind == PyUnicode_1BYTE_KIND ? lower_into(PyUnicode_1BYTE_KIND, data, out_data, len)
                  : kind == PyUnicode_2BYTE_KIND ? lower_into(PyUnicode_2BYTE_KIND, data, out_data, len)
                                                 : lower_into(PyUnicode_4BYTE_KIND, data, out_data, len);
    if (max == 0x110000) {
        Py_DECREF(out);
        Py_RETURN_NONE; /* final sigma depends on context: Python decides */
    }
    if ((kind == PyUnicode_2BYTE_KIND && max < 256) || (kind == PyUnicode_4BYTE_KIND && max < 0x10000)) {
        PyObject *narrow = PyUnicode_FromKindAndData(kind, out_data, len); /* the smallest kind */
        Py_DECREF(out);
        return narrow;
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

/* Whether a block of BLOCK characters may hold one of the class: a character that
 * is not printable ASCII, a tab or a newline, and not in [U+00A0, U+200B),
 * [U+2010, U+202A) (dashes and quotes) or [U+2070, U+D800). Branch-free in the
 * string's own width, so the compiler tests 16 or 8 characters at once; it clears
 * most blocks of any text. 4-byte text is read character by character. */
INLINE int suspect_block(int kind, const void *data, Py_ssize_t at) {
    if (kind == PyUnicode_1BYTE_KIND) {
        const uint8_t *p = (const uint8_t *)data + at;
        uint8_t suspect = 0;
        for (int k = 0; k < BLOCK; k++) {
            uint8_t ch = p[k];
            suspect |= ((uint8_t)(ch - 0x20) >= 0x5f) & ((uint8_t)(ch - 0x09) >= 2) &
                       ((uint8_t)(ch - 0xa0) >= 0x60);
        }
        return suspect != 0;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        const uint16_t *p = (const uint16_t *)data + at;
        uint16_t suspect = 0;
        for (int k = 0; k < BLOCK; k++) {
            uint16_t ch = p[k];
            suspect |= ((uint16_t)(ch - 0x20) >= 0x5f) & ((uint16_t)(ch - 0x09) >= 2) &
                       ((uint16_t)(ch - 0xa0) >= 0x200b - 0xa0) &
                       ((uint16_t)(ch - 0x2010) >= 0x202a - 0x2010) &
                       ((uint16_t)(ch - 0x2070) >= 0xd800 - 0x2070);
        }
        return suspect != 0;
    }
    return 1;
}

INLINE Py_ssize_t first_invisible(int kind, const void *data, Py_ssize_t len) {
    Py_ssize_t i = 0;
    while (i < len) {
        if (i + BLOCK <= len && !suspect_block(kind, data, i)) {
            i += BLOCK;
            continue;
        }
        Py_ssize_t stop = i + BLOCK < len ? i + BLOCK : len;
        for (; i < stop; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch - 0x20 < 0x5f) {
                continue; /* printable ASCII, most of any text */
            }
            if (invisible(ch)) {
                return i;
            }
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

/* The UTF-8 length of text, lone surrogates as three bytes (surrogatepass). */
INLINE Py_ssize_t utf8_size(int kind, const void *data, Py_ssize_t len) {
    Py_ssize_t size = len;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        size += (ch >= 0x80) + (ch >= 0x800) + (ch >= 0x10000);
    }
    return size;
}

INLINE char *utf8_one(char *p, Py_UCS4 ch) {
    if (ch < 0x80) {
        *p++ = (char)ch;
    } else if (ch < 0x800) {
        *p++ = (char)(0xc0 | (ch >> 6));
        *p++ = (char)(0x80 | (ch & 0x3f));
    } else if (ch < 0x10000) {
        *p++ = (char)(0xe0 | (ch >> 12));
        *p++ = (char)(0x80 | ((ch >> 6) & 0x3f));
        *p++ = (char)(0x80 | (ch & 0x3f));
    } else {
        *p++ = (char)(0xf0 | (ch >> 18));
        *p++ = (char)(0x80 | ((ch >> 12) & 0x3f));
        *p++ = (char)(0x80 | ((ch >> 6) & 0x3f));
        *p++ = (char)(0x80 | (ch & 0x3f));
    }
    return p;
}

INLINE void utf8_write(int kind, const void *data, Py_ssize_t len, char *p) {
    Py_ssize_t i = 0;
    while (i < len) {
        if (i + BLOCK <= len) {
            Py_UCS4 any = 0;
            for (int k = 0; k < BLOCK; k++) {
                any |= PyUnicode_READ(kind, data, i + k);
            }
            if (any < 0x80) {
                for (int k = 0; k < BLOCK; k++) {
                    p[k] = (char)PyUnicode_READ(kind, data, i + k);
                }
                p += BLOCK;
                i += BLOCK;
                continue;
            }
        }
        Py_ssize_t stop = i + BLOCK < len ? i + BLOCK : len;
        for (; i < stop; i++) {
            p = utf8_one(p, PyUnicode_READ(kind, data, i));
        }
    }
}

static PyObject *utf8(PyObject *Py_UNUSED(module), PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "utf8() needs a str");
        return NULL;
    }
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_IS_ASCII(text)) {
        return PyBytes_FromStringAndSize(data, len);
    }
    int kind = PyUnicode_KIND(text);
    Py_ssize_t size = kind == PyUnicode_1BYTE_KIND ? utf8_size(PyUnicode_1BYTE_KIND, data, len)
                      : kind == PyUnicode_2BYTE_KIND ? utf8_size(PyUnicode_2BYTE_KIND, data, len)
                                                     : utf8_size(PyUnicode_4BYTE_KIND, data, len);
    PyObject *out = PyBytes_FromStringAndSize(NULL, size);
    if (out == NULL) {
        return NULL;
    }
    char *p = PyBytes_AS_STRING(out);
    if (kind == PyUnicode_1BYTE_KIND) {
        utf8_write(PyUnicode_1BYTE_KIND, data, len, p);
    } else if (kind == PyUnicode_2BYTE_KIND) {
        utf8_write(PyUnicode_2BYTE_KIND, data, len, p);
    } else {
        utf8_write(PyUnicode_4BYTE_KIND, data, len, p);
    }
    return out;
}

static PyMethodDef module_methods[] = {
    {"fold", fold, METH_O, "Lower-case without changing the length (see matcher.fold_py)."},
    {"invisible_at", invisible_at, METH_O, "First character of textsafe._INVISIBLE, or -1."},
    {"utf8", utf8, METH_O, "text.encode('utf-8', 'surrogatepass'), faster."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_chars", "Compiled per-character passes (fold, invisible_at, utf8).", -1,
    module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__chars(void) {
    return PyModule_Create(&module);
}
