/* What the compiled rules (_people.c, _companies.c) share: a str read by index, \w
 * as Python's re has it, whole-word search as patterns._word_occurrences does it,
 * and their (start, end, name) results. */
#ifndef EVREADER_TEXT_H
#define EVREADER_TEXT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject *text;
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

static inline Text text_of(PyObject *text) {
    Text t = {text, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    return t;
}

static inline Py_UCS4 at(const Text *t, Py_ssize_t i) {
    return PyUnicode_READ(t->kind, t->data, i);
}

static inline int is_word_char(Py_UCS4 ch) { /* \w */
    return Py_UNICODE_ISALNUM(ch) || ch == '_';
}

/* The next whole-word `word` at or after `pos` in text[from:] (a word may start at
 * `from` whatever stands before it, as in a slice): its offset, -1 if none, -2 on
 * error. After a hit, call again from its end (hits do not overlap). */
static inline Py_ssize_t next_word(const Text *t, PyObject *word, Py_ssize_t from,
                                   Py_ssize_t pos) {
    Py_ssize_t len = PyUnicode_GET_LENGTH(word);
    for (;;) {
        pos = PyUnicode_Find(t->text, word, pos, t->len, 1);
        if (pos < 0) {
            return pos;
        }
        Py_ssize_t end = pos + len;
        if ((pos == from || !is_word_char(at(t, pos - 1))) &&
            (end == t->len || !is_word_char(at(t, end)))) {
            return pos;
        }
        pos++;
    }
}

static inline int append_hit(PyObject *out, Py_ssize_t start, Py_ssize_t end, PyObject *name) {
    PyObject *hit = Py_BuildValue("(nnO)", start, end, name);
    if (hit == NULL) {
        return -1;
    }
    int rc = PyList_Append(out, hit);
    Py_DECREF(hit);
    return rc;
}

#endif
