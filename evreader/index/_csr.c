/* The transpose of the word lists into word postings: for each word, the articles
 * holding it, ascending, written in one pass over ~22M entries at 100k articles
 * (0.13 s, where numpy's sort of (word, article) pairs takes 0.5 s and raises the
 * build's peak RSS from 549 to 791 MiB). evreader/index/postings.py holds the numpy
 * code that gives the same arrays, used when this module is not built; tests hold
 * the two equal.
 *
 * invert(ptr, cols, starts, out)   the transpose of a CSR pattern (see below)
 *
 * It runs its loop without the GIL, so the word postings build in a thread beside
 * the entity postings, with the core the workers have left idle.
 *
 * Safety: the caller is ours, but nothing here trusts it. Before the loop, every
 * buffer is checked for its type by format character (a signed integer of the
 * expected width in native byte order: float64 or uint64 of the same width is
 * refused), one dimension, C-contiguity, alignment, writability of outputs, lengths,
 * and that no output shares a byte of memory with any other buffer of the call
 * (overlapping views of one array included). Every value used as an index is
 * checked inside the loop, where it is read: the loop runs without the GIL, so
 * another thread may change an input between a check made before and the use (a
 * wrong result then, never a write out of bounds). A problem raises TypeError or
 * ValueError, never a crash.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* Whether a buffer format names a signed integer of `size` bytes in native byte
 * order ("i", "<i", "=q", "l"...), judged by its format character: an unsigned or
 * floating type of the same width is refused. */
static int signed_int_format(const char *format, Py_ssize_t itemsize, Py_ssize_t size) {
    if (format == NULL || itemsize != size) { /* no format means unsigned bytes */
        return 0;
    }
    char order = format[0];
    if (order == '@' || order == '=' || order == '<' || order == '>' || order == '!') {
        format++;
    }
#if PY_LITTLE_ENDIAN
    if (order == '>' || order == '!') {
        return 0;
    }
#else
    if (order == '<') {
        return 0;
    }
#endif
    if (format[0] == '\0' || format[1] != '\0') {
        return 0;
    }
    return format[0] == 'i' || format[0] == 'l' || format[0] == 'q';
}

/* A one-dimensional C-contiguous buffer of signed `size`-byte integers (size 0:
 * 4 or 8), writable when asked. 0, or -1 with an exception set and nothing held. */
static int get_ints(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t size,
                    const char *fn, const char *name) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT |
                           (writable ? PyBUF_WRITABLE : 0)) < 0) {
        return -1;
    }
    const char *want = size == 4 ? "int32" : size == 8 ? "int64" : "int32 or int64";
    if (view->ndim != 1 || view->shape == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: %s must be a one-dimensional %s buffer", fn, name,
                     want);
    } else if (!(size ? signed_int_format(view->format, view->itemsize, size)
                      : signed_int_format(view->format, view->itemsize, 4) ||
                            signed_int_format(view->format, view->itemsize, 8))) {
        PyErr_Format(PyExc_TypeError, "%s: %s must be a contiguous %s buffer, not format '%s'",
                     fn, name, want, view->format ? view->format : "B");
    } else if (view->shape[0] < 0 || view->len != view->shape[0] * view->itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: %s has an inconsistent length", fn, name);
    } else if ((uintptr_t)view->buf % (uintptr_t)view->itemsize != 0) {
        /* numpy makes unaligned arrays (a view at an odd byte offset); reading an
         * int32_t or int64_t there is undefined behaviour in C */
        PyErr_Format(PyExc_ValueError, "%s: %s is not aligned to its item size", fn, name);
    } else {
        return 0;
    }
    PyBuffer_Release(view);
    return -1;
}

/* The buffers of one call, released together. */
typedef struct {
    Py_buffer view[4];
    const char *name[4];
    int n;
} Views;

static Py_buffer *take(Views *vs, PyObject *obj, int writable, Py_ssize_t size, const char *fn,
                       const char *name) {
    Py_buffer *view = &vs->view[vs->n];
    if (get_ints(obj, view, writable, size, fn, name) < 0) {
        return NULL;
    }
    vs->name[vs->n++] = name;
    return view;
}

static void release(Views *vs) {
    for (int k = 0; k < vs->n; k++) {
        PyBuffer_Release(&vs->view[k]);
    }
}

/* Whether two buffers share a byte (an empty buffer shares none). */
static int overlap(const Py_buffer *a, const Py_buffer *b) {
    if (a->len == 0 || b->len == 0) {
        return 0;
    }
    uintptr_t a0 = (uintptr_t)a->buf, b0 = (uintptr_t)b->buf;
    return a0 < b0 + (uintptr_t)b->len && b0 < a0 + (uintptr_t)a->len;
}

/* ValueError unless the output vs->view[out] shares no memory with any other buffer. */
static int apart(Views *vs, int out, const char *fn) {
    for (int k = 0; k < vs->n; k++) {
        if (k != out && overlap(&vs->view[out], &vs->view[k])) {
            PyErr_Format(PyExc_ValueError, "%s: %s and %s share memory", fn, vs->name[out],
                         vs->name[k]);
            return -1;
        }
    }
    return 0;
}

/* invert(ptr, cols, starts, out): the transpose of a CSR matrix's pattern. Row r
 * holds cols[ptr[r]:ptr[r+1]]; out receives, column by column, the rows that hold
 * each column, ascending. The caller gives the column counts' prefix sums as
 * `starts` (int64, one more than the columns; consumed as write cursors), as
 * postings.transpose makes them. ptr is int32 or int64, from 0 to len(cols). */
static PyObject *invert(PyObject *Py_UNUSED(self), PyObject *args) {
    static const char fn[] = "invert";
    PyObject *ptr_obj, *cols_obj, *starts_obj, *out_obj;
    if (!PyArg_ParseTuple(args, "OOOO", &ptr_obj, &cols_obj, &starts_obj, &out_obj)) {
        return NULL;
    }
    Views vs = {.n = 0};
    PyObject *result = NULL;
    Py_buffer *ptr = take(&vs, ptr_obj, 0, 0, fn, "ptr");
    Py_buffer *cols = ptr ? take(&vs, cols_obj, 0, 4, fn, "cols") : NULL;
    Py_buffer *starts = cols ? take(&vs, starts_obj, 1, 8, fn, "starts") : NULL;
    Py_buffer *out = starts ? take(&vs, out_obj, 1, 4, fn, "out") : NULL;
    if (out == NULL || apart(&vs, 2, fn) < 0 || apart(&vs, 3, fn) < 0) {
        goto done;
    }
    Py_ssize_t n_rows = ptr->shape[0] - 1, n_cols = starts->shape[0] - 1, n = cols->shape[0];
    if (n_rows < 0 || n_cols < 0 || out->shape[0] != n) {
        PyErr_SetString(PyExc_ValueError,
                        "invert: bad buffer shapes (ptr and starts need an entry, out as "
                        "long as cols)");
        goto done;
    }
    if (n_rows > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "invert: too many rows for int32 row numbers");
        goto done;
    }
    int wide = ptr->itemsize == 8;
    const int32_t *p32 = ptr->buf;
    const int64_t *p64 = ptr->buf;
    if ((wide ? p64[0] : p32[0]) != 0 || (wide ? p64[n_rows] : p32[n_rows]) != n) {
        PyErr_SetString(PyExc_ValueError, "invert: bad row pointers (from 0 to len(cols))");
        goto done;
    }
    int64_t *cur = starts->buf;
    const int32_t *c = cols->buf;
    int32_t *o = out->buf;
    const char *bad = NULL;
    /* Without the GIL: the build runs the word and the entity postings side by side.
     * Every pointer, column and cursor is checked where it is read. */
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n_rows && bad == NULL; r++) {
        int64_t lo = wide ? p64[r] : p32[r];
        int64_t hi = wide ? p64[r + 1] : p32[r + 1];
        if (lo < 0 || hi < lo || hi > n) {
            bad = "invert: bad row pointers";
            break;
        }
        for (int64_t j = lo; j < hi; j++) {
            int32_t col = c[j];
            if (col < 0 || col >= n_cols) {
                bad = "invert: column out of range";
                break;
            }
            int64_t at = cur[col];
            if (at < 0 || at >= n) {
                bad = "invert: column starts out of range";
                break;
            }
            o[at] = (int32_t)r;
            cur[col] = at + 1;
        }
    }
    Py_END_ALLOW_THREADS
    if (bad != NULL) {
        PyErr_SetString(PyExc_ValueError, bad);
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    release(&vs);
    return result;
}

static PyMethodDef methods[] = {
    {"invert", invert, METH_VARARGS, "Rows per column of a CSR pattern (see the source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_csr", "Word postings by transpose (see postings.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__csr(void) {
    return PyModule_Create(&module);
}
