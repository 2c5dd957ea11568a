/* One pass over a field's text: word tokens, gazetteer hits, cue positions.
 *
 * This is the compiled twin of evreader/extract/scan_py.py, which defines the
 * behaviour; tests run both on the same inputs and require equal results. It
 * exists because this loop runs over every character of every article, and in
 * Python it was most of the time of a cold index (see README, Performance).
 *
 * scan(text, low, trie, vocab, cues) -> (ids, hits, cue_hits)
 *   text   the field as stored (case is checked here)
 *   low    the same text case-folded, same length (tokens come from here)
 *   trie   dict: word -> node; node = (surfaces, children, wide)
 *            surfaces: tuple of (case, text, payload, tail); case 0 any, 1
 *                      capitalised, 2 exact; payload None marks a blocker; tail
 *                      is punctuation the hit takes when the text has it ("U.S.")
 *            children: dict word -> node for the next word after one separator
 *            wide: dict (gap, word) -> node for wider separators, or None
 *   vocab  dict word -> id, extended in place (ids are dense), or None
 *   cues   dict word -> int, or None
 * A word is a maximal run of alphanumeric characters (str.isalnum).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    Py_ssize_t start, end;
    PyObject *word; /* new reference */
} Token;

static int is_word(Py_UCS4 ch) {
    if (ch < 128) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    }
    return Py_UNICODE_ISALNUM(ch);
}

static void free_tokens(Token *toks, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_XDECREF(toks[i].word);
    }
    PyMem_Free(toks);
}

/* Whether a surface's case rule accepts text[start:end). */
static int case_ok(PyObject *text, Py_ssize_t start, Py_ssize_t end, long mode, PyObject *surface) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (mode == 0) {
        return 1;
    }
    if (mode == 1) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, start);
        if (Py_UNICODE_ISUPPER(ch) || Py_UNICODE_ISDIGIT(ch)) {
            return 1;
        }
    }
    /* exact (and the fallback of capitalised): the span equals the surface */
    Py_ssize_t n = PyUnicode_GET_LENGTH(surface);
    if (n != end - start) {
        return 0;
    }
    int skind = PyUnicode_KIND(surface);
    const void *sdata = PyUnicode_DATA(surface);
    for (Py_ssize_t k = 0; k < n; k++) {
        if (PyUnicode_READ(kind, data, start + k) != PyUnicode_READ(skind, sdata, k)) {
            return 0;
        }
    }
    return 1;
}

/* Whether text[at:] starts with `tail`. */
static int has_tail(PyObject *text, Py_ssize_t at, PyObject *tail) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(tail);
    if (n == 0 || at + n > PyUnicode_GET_LENGTH(text)) {
        return 0;
    }
    int kind = PyUnicode_KIND(text), tkind = PyUnicode_KIND(tail);
    const void *data = PyUnicode_DATA(text), *tdata = PyUnicode_DATA(tail);
    for (Py_ssize_t k = 0; k < n; k++) {
        if (PyUnicode_READ(kind, data, at + k) != PyUnicode_READ(tkind, tdata, k)) {
            return 0;
        }
    }
    return 1;
}

/* The surface of a node that accepts text[start:end) with the longest hit (its
 * trailing punctuation counts when the text has it; ties go to the first): 1 and
 * its payload and end, else 0. */
static int pick_surface(PyObject *text, PyObject *node, Py_ssize_t start, Py_ssize_t end,
                        PyObject **payload, Py_ssize_t *out_end) {
    PyObject *surfaces = PyTuple_GET_ITEM(node, 0);
    Py_ssize_t n = PyTuple_GET_SIZE(surfaces);
    int found = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *surf = PyTuple_GET_ITEM(surfaces, k);
        long mode = PyLong_AsLong(PyTuple_GET_ITEM(surf, 0));
        if (mode == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (case_ok(text, start, end, mode, PyTuple_GET_ITEM(surf, 1))) {
            PyObject *tail = PyTuple_GET_ITEM(surf, 3);
            Py_ssize_t e = has_tail(text, end, tail) ? end + PyUnicode_GET_LENGTH(tail) : end;
            if (!found || e > *out_end) { /* the longest ("Level 2+" over "Level 2") */
                *payload = PyTuple_GET_ITEM(surf, 2);
                *out_end = e;
                found = 1;
            }
        }
    }
    return found;
}

static int check_node(PyObject *node) {
    if (!PyTuple_CheckExact(node) || PyTuple_GET_SIZE(node) != 3 ||
        !PyTuple_CheckExact(PyTuple_GET_ITEM(node, 0))) {
        PyErr_SetString(PyExc_TypeError, "trie node must be (surfaces, children, wide)");
        return -1;
    }
    PyObject *surfaces = PyTuple_GET_ITEM(node, 0);
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(surfaces); k++) {
        PyObject *s = PyTuple_GET_ITEM(surfaces, k);
        if (!PyTuple_CheckExact(s) || PyTuple_GET_SIZE(s) != 4 ||
            !PyLong_Check(PyTuple_GET_ITEM(s, 0)) || !PyUnicode_Check(PyTuple_GET_ITEM(s, 1)) ||
            !PyUnicode_Check(PyTuple_GET_ITEM(s, 3))) {
            PyErr_SetString(PyExc_TypeError, "surface must be (case, text, payload, tail)");
            return -1;
        }
    }
    return 0;
}

/* The child node for the word at tokens[j+1], or NULL (borrowed; error set if any). */
static PyObject *child(PyObject *node, Token *toks, Py_ssize_t j) {
    Py_ssize_t gap = toks[j + 1].start - toks[j].end;
    if (gap == 1) {
        PyObject *children = PyTuple_GET_ITEM(node, 1);
        if (children == Py_None) {
            return NULL;
        }
        return PyDict_GetItemWithError(children, toks[j + 1].word);
    }
    PyObject *wide = PyTuple_GET_ITEM(node, 2);
    if (wide == Py_None) {
        return NULL;
    }
    PyObject *key = Py_BuildValue("(nO)", gap, toks[j + 1].word);
    if (key == NULL) {
        return NULL;
    }
    PyObject *found = PyDict_GetItemWithError(wide, key);
    Py_DECREF(key);
    return found;
}

static PyObject *scan(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *text, *low, *trie, *vocab, *cues;
    if (!PyArg_ParseTuple(args, "UUO!OO", &text, &low, &PyDict_Type, &trie, &vocab, &cues)) {
        return NULL;
    }
    if ((vocab != Py_None && !PyDict_Check(vocab)) || (cues != Py_None && !PyDict_Check(cues))) {
        PyErr_SetString(PyExc_TypeError, "vocab and cues must be dicts or None");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(low);
    if (len != PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_ValueError, "text and low must have the same length");
        return NULL;
    }
    int kind = PyUnicode_KIND(low);
    const void *data = PyUnicode_DATA(low);

    Py_ssize_t cap = 64, n = 0;
    Token *toks = PyMem_Malloc(cap * sizeof(Token));
    PyObject *ids = vocab == Py_None ? Py_NewRef(Py_None) : PyList_New(0);
    PyObject *hits = PyList_New(0);
    PyObject *cue_hits = PyList_New(0);
    if (toks == NULL || ids == NULL || hits == NULL || cue_hits == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    /* pass 1: words, their vocabulary ids and cues */
    Py_ssize_t i = 0;
    while (i < len) {
        if (!is_word(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t s = i;
        while (i < len && is_word(PyUnicode_READ(kind, data, i))) {
            i++;
        }
        if (n == cap) {
            cap *= 2;
            Token *grown = PyMem_Realloc(toks, cap * sizeof(Token));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            toks = grown;
        }
        PyObject *word = PyUnicode_Substring(low, s, i);
        if (word == NULL) {
            goto fail;
        }
        toks[n].start = s;
        toks[n].end = i;
        toks[n].word = word;
        n++;
        if (vocab != Py_None) {
            PyObject *id = PyDict_GetItemWithError(vocab, word);
            if (id == NULL) {
                if (PyErr_Occurred()) {
                    goto fail;
                }
                PyObject *fresh = PyLong_FromSsize_t(PyDict_GET_SIZE(vocab));
                if (fresh == NULL || PyDict_SetItem(vocab, word, fresh) < 0) {
                    Py_XDECREF(fresh);
                    goto fail;
                }
                id = fresh;
                Py_DECREF(fresh); /* the dict holds it */
            }
            if (PyList_Append(ids, id) < 0) {
                goto fail;
            }
        }
        if (cues != Py_None) {
            PyObject *code = PyDict_GetItemWithError(cues, word);
            if (code == NULL && PyErr_Occurred()) {
                goto fail;
            }
            if (code != NULL) {
                PyObject *pair = Py_BuildValue("(nO)", s, code);
                if (pair == NULL || PyList_Append(cue_hits, pair) < 0) {
                    Py_XDECREF(pair);
                    goto fail;
                }
                Py_DECREF(pair);
            }
        }
    }
    /* pass 2: leftmost-longest gazetteer hits; blockers take their span silently */
    Py_ssize_t last_end = -1;
    for (Py_ssize_t a = 0; a < n; a++) {
        if (toks[a].start < last_end) {
            continue;
        }
        PyObject *node = PyDict_GetItemWithError(trie, toks[a].word);
        if (node == NULL) {
            if (PyErr_Occurred()) {
                goto fail;
            }
            continue;
        }
        Py_ssize_t best_end = -1;
        PyObject *best = NULL;
        Py_ssize_t j = a;
        for (;;) {
            if (check_node(node) < 0) {
                goto fail;
            }
            PyObject *payload = NULL;
            Py_ssize_t end = 0;
            int got = pick_surface(text, node, toks[a].start, toks[j].end, &payload, &end);
            if (got < 0) {
                goto fail;
            }
            if (got) {
                best_end = end;
                best = payload;
            }
            if (j + 1 >= n) {
                break;
            }
            node = child(node, toks, j);
            if (node == NULL) {
                if (PyErr_Occurred()) {
                    goto fail;
                }
                break;
            }
            j++;
        }
        if (best_end < 0) {
            continue;
        }
        last_end = best_end;
        if (best != Py_None) {
            PyObject *hit = Py_BuildValue("(nnO)", toks[a].start, best_end, best);
            if (hit == NULL || PyList_Append(hits, hit) < 0) {
                Py_XDECREF(hit);
                goto fail;
            }
            Py_DECREF(hit);
        }
    }
    free_tokens(toks, n);
    return Py_BuildValue("(NNN)", ids, hits, cue_hits);

fail:
    if (toks != NULL) {
        free_tokens(toks, n);
    }
    Py_XDECREF(ids);
    Py_XDECREF(hits);
    Py_XDECREF(cue_hits);
    return NULL;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS, "Words, gazetteer hits and cues of one text (see scan_py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scan", "Compiled twin of evreader.extract.scan_py.", -1, methods,
};

PyMODINIT_FUNC PyInit__scan(void) {
    return PyModule_Create(&module);
}
