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
 * Tests compare both with their Python twins on every code point.
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

static PyMethodDef module_methods[] = {
    {"fold", fold, METH_O, "Lower-case without changing the length (see matcher.fold_py)."},
    {"invisible_at", invisible_at, METH_O, "First character of textsafe._INVISIBLE, or -1."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_chars", "Compiled per-character passes (fold, invisible_at).", -1,
    module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__chars(void) {
    return PyModule_Create(&module);
}
