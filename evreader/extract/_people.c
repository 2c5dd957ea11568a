/* People introduced by a title or an appositive: the compiled twin of
 * evreader/extract/patterns.py's _find_people_py, which defines the behaviour;
 * tests run both on the same inputs and require equal results.
 *
 * It exists because the rule reads every capitalised run near a title word, about
 * ten thousand runs per 6 MB of news, and the Python loop over them was a fifth
 * of a cold index. The word sets and the appositive regex come from patterns.py
 * (`rules`), so the two cannot drift apart; only the loop is here.
 *
 * people(text, cues, rules, name_runs) -> [(start, end, name)]
 *   cues       the scanner's (offset, code) list, or None to read every run
 *   rules      (appositive_match, title_ends, title_words, title_phrases,
 *               not_final, not_name_words, title_bit)
 *   name_runs  patterns.NAME_RUNS: (text, titles) -> [(start, end)]
 */
#include "_text.h"

#define MAX_BEFORE 48 /* words in a 40-character window: at most 20 */

typedef struct {
    Py_ssize_t start, end;
} Span;

typedef struct {
    PyObject *appositive, *title_ends, *title_words, *phrases, *not_final, *not_name;
    long title_bit;
} Rules;

/* `word.lower().strip(",")` of a span, as a new str. */
static PyObject *low_strip(const Text *t, Span w) {
    while (w.start < w.end && at(t, w.start) == ',') {
        w.start++;
    }
    while (w.end > w.start && at(t, w.end - 1) == ',') {
        w.end--;
    }
    PyObject *word = PyUnicode_Substring(t->text, w.start, w.end);
    if (word == NULL) {
        return NULL;
    }
    PyObject *low = PyObject_CallMethod(word, "lower", NULL);
    Py_DECREF(word);
    return low;
}

/* 1 if `low_strip(w)` is in `set`, 0 if not, -1 on error. */
static int low_in(const Text *t, Span w, PyObject *set) {
    PyObject *low = low_strip(t, w);
    if (low == NULL) {
        return -1;
    }
    int found = PySet_Contains(set, low);
    Py_DECREF(low);
    return found;
}

/* 1 if `" ".join(words)` is in the phrase set, 0 if not, -1 on error. */
static int phrase_in(PyObject *words, Py_ssize_t from, PyObject *phrases) {
    PyObject *part = PyList_GetSlice(words, from, PyList_GET_SIZE(words));
    if (part == NULL) {
        return -1;
    }
    PyObject *sep = PyUnicode_FromString(" ");
    PyObject *joined = sep ? PyUnicode_Join(sep, part) : NULL;
    Py_XDECREF(sep);
    Py_DECREF(part);
    if (joined == NULL) {
        return -1;
    }
    int found = PySet_Contains(phrases, joined);
    Py_DECREF(joined);
    return found;
}

/* _is_title(words[:n]): whether the words end in a job title. */
static int is_title(const Text *t, const Rules *r, const Span *words, Py_ssize_t n) {
    if (n == 0) {
        return 0;
    }
    int end = low_in(t, words[n - 1], r->title_ends);
    if (end <= 0) {
        return end;
    }
    Py_ssize_t first = n >= 3 ? n - 3 : 0;
    PyObject *low = PyList_New(n - first);
    if (low == NULL) {
        return -1;
    }
    for (Py_ssize_t i = first; i < n; i++) {
        PyObject *w = low_strip(t, words[i]);
        if (w == NULL) {
            Py_DECREF(low);
            return -1;
        }
        PyList_SET_ITEM(low, i - first, w);
    }
    PyObject *last = PyList_GET_ITEM(low, n - first - 1);
    int found = PySet_Contains(r->title_words, last);
    if (found > 0) {
        int excluded = PySet_Contains(r->not_final, last);
        found = excluded < 0 ? -1 : !excluded;
    }
    if (found == 0) {
        Py_ssize_t size = PyList_GET_SIZE(low);
        found = phrase_in(low, size >= 2 ? size - 2 : 0, r->phrases);
        if (found == 0) {
            found = phrase_in(low, 0, r->phrases);
        }
    }
    Py_DECREF(low);
    return found;
}

/* The whole words in the 40 characters before `start` (_words_before). */
static Py_ssize_t words_before(const Text *t, Py_ssize_t start, Span *out) {
    Py_ssize_t lo = start > 40 ? start - 40 : 0, n = 0, i = lo;
    while (i < start) {
        while (i < start && Py_UNICODE_ISSPACE(at(t, i))) {
            i++;
        }
        if (i >= start) {
            break;
        }
        Py_ssize_t s = i;
        while (i < start && !Py_UNICODE_ISSPACE(at(t, i))) {
            i++;
        }
        if (n < MAX_BEFORE) {
            out[n++] = (Span){s, i};
        }
    }
    if (lo > 0 && n > 0 && !Py_UNICODE_ISSPACE(at(t, lo - 1)) && !Py_UNICODE_ISSPACE(at(t, lo))) {
        memmove(out, out + 1, (size_t)(n - 1) * sizeof(Span));
        n--;
    }
    return n;
}

/* Whether a sorted array has a value in [lo, hi). */
static int any_within(const Py_ssize_t *pos, Py_ssize_t n, Py_ssize_t lo, Py_ssize_t hi) {
    Py_ssize_t a = 0, b = n;
    while (a < b) {
        Py_ssize_t mid = (a + b) / 2;
        if (pos[mid] < lo) {
            a = mid + 1;
        } else {
            b = mid;
        }
    }
    return a < n && pos[a] < hi;
}

/* The twin of patterns._may_be_appositive: whether the appositive regex could match
 * at `at` (", " stands there), by the title cues. */
static int may_be_appositive(const Text *t, const Py_ssize_t *titles, Py_ssize_t n_titles,
                             Py_ssize_t at_) {
    Py_ssize_t start = at_ + 2, end = start;
    int who = 0;
    for (; end < t->len; end++) {
        Py_UCS4 ch = at(t, end);
        if (ch == 0x130 || ch == 0x131 || ch == 0x17f) {
            return 1; /* a letter re.I reads as i or s, which folding does not give */
        }
        if (!(is_word_char(ch) || ch == '-' || ch == ' ')) {
            break;
        }
        who = who || (ch == ' ' && end - start >= 3 && at(t, end - 3) == 'w' &&
                      at(t, end - 2) == 'h' && at(t, end - 1) == 'o');
    }
    return who || any_within(titles, n_titles, start, end);
}

static int read_words(const Text *t, const Rules *r, Span *words, Py_ssize_t nb, Py_ssize_t nw,
                      Py_ssize_t run_start, Py_ssize_t run_end, int comma, int appositive,
                      PyObject *found, PyObject *out);

/* One name run: appends its person, if any, and notes the name in `found`.
 * Returns 0, or -1 on error. */
static int read_run(const Text *t, const Rules *r, const Py_ssize_t *titles, Py_ssize_t n_titles,
                    int cued, Py_ssize_t run_start, Py_ssize_t run_end, PyObject *found,
                    PyObject *out) {
    if (run_start > 0) {
        Py_UCS4 ch = at(t, run_start - 1);
        if (Py_UNICODE_ISALNUM(ch) || ch == 0x2019 || ch == '\'') {
            return 0;
        }
    }
    int comma = run_end + 1 < t->len && at(t, run_end) == ',' && at(t, run_end + 1) == ' ';
    int appositive = 0;
    if (comma && (!cued || may_be_appositive(t, titles, n_titles, run_end))) {
        PyObject *m = PyObject_CallFunction(r->appositive, "On", t->text, run_end);
        if (m == NULL) {
            return -1;
        }
        appositive = m != Py_None;
        Py_DECREF(m);
    }
    if (cued && !appositive && !any_within(titles, n_titles, run_start - 40, run_end)) {
        return 0;
    }
    Py_ssize_t nw = 1;
    for (Py_ssize_t i = run_start; i < run_end; i++) {
        nw += at(t, i) == ' ';
    }
    Span stack[MAX_BEFORE + 16], *words = stack;
    if (nw > 16) { /* a Title Cased line can make a long run */
        words = PyMem_Malloc((size_t)(MAX_BEFORE + nw) * sizeof(Span));
        if (words == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    int rc = read_words(t, r, words, words_before(t, run_start, words), nw, run_start, run_end,
                        comma, appositive, found, out);
    if (words != stack) {
        PyMem_Free(words);
    }
    return rc;
}

/* The rest of read_run, once the words before the run and the run's own are known. */
static int read_words(const Text *t, const Rules *r, Span *words, Py_ssize_t nb, Py_ssize_t nw,
                      Py_ssize_t run_start, Py_ssize_t run_end, int comma, int appositive,
                      PyObject *found, PyObject *out) {
    Span *run = words + nb; /* the run's words follow the words before it */
    Py_ssize_t n = 0, s = run_start;
    for (Py_ssize_t i = run_start; i <= run_end; i++) {
        if (i == run_end || at(t, i) == ' ') {
            run[n++] = (Span){s, i};
            s = i + 1;
        }
    }
    if (!comma) {
        int gate = nb > 0 ? low_in(t, words[nb - 1], r->title_ends) : 0;
        for (Py_ssize_t i = 0; gate == 0 && i + 2 < nw; i++) {
            gate = low_in(t, run[i], r->title_ends);
        }
        if (gate <= 0) {
            return gate;
        }
    }
    for (Py_ssize_t k = 0; k + 1 < nw; k++) {
        Py_ssize_t last = k + 2 < nw - 1 ? k + 2 : nw - 1; /* words[k:k + 3] */
        int title = is_title(t, r, words, nb + k);
        if (title < 0) {
            return -1;
        }
        if (!title) {
            if (k == 0 && appositive && nw <= 3) {
                last = nw - 1;
            } else {
                continue;
            }
        }
        int valid = 1;
        for (Py_ssize_t i = k; valid == 1 && i <= last; i++) {
            PyObject *w = PyUnicode_Substring(t->text, run[i].start, run[i].end);
            if (w == NULL) {
                return -1;
            }
            int bad = PySet_Contains(r->not_name, w);
            Py_DECREF(w);
            valid = bad < 0 ? -1 : !bad;
        }
        if (valid < 0) {
            return -1;
        }
        if (!valid) {
            continue;
        }
        Py_ssize_t start = run[k].start, end = run[last].end;
        PyObject *name = PyUnicode_Substring(t->text, start, end);
        PyObject *pos = name ? PyLong_FromSsize_t(start) : NULL;
        PyObject *kept = pos ? PyDict_SetDefault(found, name, pos) : NULL;
        Py_XDECREF(pos);
        int rc = kept ? append_hit(out, start, end, name) : -1;
        Py_XDECREF(name);
        return rc;
    }
    return 0;
}

/* Later surname-only mentions of each found name (in the order they were found). */
static int surnames(const Text *t, PyObject *found, PyObject *out) {
    Py_ssize_t i = 0;
    PyObject *full, *first_obj;
    while (PyDict_Next(found, &i, &full, &first_obj)) {
        Py_ssize_t first = PyLong_AsSsize_t(first_obj);
        Py_ssize_t n = PyUnicode_GET_LENGTH(full), space = PyUnicode_FindChar(full, ' ', 0, n, -1);
        if (first == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (space == -2) {
            return -1;
        }
        if (n - (space + 1) < 4) {
            continue;
        }
        PyObject *surname = PyUnicode_Substring(full, space + 1, n);
        if (surname == NULL) {
            return -1;
        }
        Py_ssize_t len = n - (space + 1);
        Py_ssize_t pos = next_word(t, surname, 0, 0);
        while (pos >= 0) {
            if (pos > first) {
                Py_ssize_t same = PyUnicode_Tailmatch(t->text, full, 0, pos + len, 1);
                if (same < 0 || (!same && append_hit(out, pos, pos + len, full) < 0)) {
                    Py_DECREF(surname);
                    return -1;
                }
            }
            pos = next_word(t, surname, 0, pos + len);
        }
        Py_DECREF(surname);
        if (pos == -2) {
            return -1;
        }
    }
    return 0;
}

/* The title positions of the cues, as a Python list and a C array. */
static PyObject *title_positions(PyObject *cues, long bit, Py_ssize_t **array, Py_ssize_t *n) {
    PyObject *list = PyList_New(0);
    Py_ssize_t size = PyList_GET_SIZE(cues);
    *array = PyMem_Malloc((size_t)(size ? size : 1) * sizeof(Py_ssize_t));
    *n = 0;
    if (list == NULL || *array == NULL) {
        Py_XDECREF(list);
        PyMem_Free(*array);
        *array = NULL;
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        PyObject *cue = PyList_GET_ITEM(cues, i);
        if (!PyTuple_Check(cue) || PyTuple_GET_SIZE(cue) != 2) {
            PyErr_SetString(PyExc_TypeError, "cues must be (offset, code) tuples");
            goto fail;
        }
        long code = PyLong_AsLong(PyTuple_GET_ITEM(cue, 1));
        if (code == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (!(code & bit)) {
            continue;
        }
        PyObject *pos = PyTuple_GET_ITEM(cue, 0);
        Py_ssize_t p = PyLong_AsSsize_t(pos);
        if ((p == -1 && PyErr_Occurred()) || PyList_Append(list, pos) < 0) {
            goto fail;
        }
        (*array)[(*n)++] = p;
    }
    return list;
fail:
    Py_DECREF(list);
    PyMem_Free(*array);
    *array = NULL;
    return NULL;
}

static PyObject *people(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *text, *cues, *rules_obj, *name_runs;
    Rules r;
    if (!PyArg_ParseTuple(args, "UOO!O", &text, &cues, &PyTuple_Type, &rules_obj, &name_runs)) {
        return NULL;
    }
    if (!PyArg_ParseTuple(rules_obj, "OO!O!O!O!O!l;rules", &r.appositive, &PyFrozenSet_Type,
                          &r.title_ends, &PyFrozenSet_Type, &r.title_words, &PyFrozenSet_Type,
                          &r.phrases, &PyFrozenSet_Type, &r.not_final, &PyFrozenSet_Type,
                          &r.not_name, &r.title_bit)) {
        return NULL;
    }
    if (cues != Py_None && !PyList_Check(cues)) {
        PyErr_SetString(PyExc_TypeError, "cues must be a list or None");
        return NULL;
    }
    Text t = text_of(text);
    Py_ssize_t *titles = NULL, n_titles = 0;
    PyObject *title_list = Py_None;
    Py_INCREF(Py_None);
    if (cues != Py_None) {
        Py_DECREF(Py_None);
        title_list = title_positions(cues, r.title_bit, &titles, &n_titles);
        if (title_list == NULL) {
            return NULL;
        }
    }
    PyObject *runs = PyObject_CallFunctionObjArgs(name_runs, text, title_list, NULL);
    PyObject *found = PyDict_New(), *out = PyList_New(0);
    if (runs == NULL || found == NULL || out == NULL) {
        goto fail;
    }
    PyObject *iter = PyObject_GetIter(runs), *span;
    if (iter == NULL) {
        goto fail;
    }
    while ((span = PyIter_Next(iter)) != NULL) {
        Py_ssize_t s, e;
        int ok = PyArg_ParseTuple(span, "nn;name runs are (start, end)", &s, &e);
        Py_DECREF(span);
        if (!ok || read_run(&t, &r, titles, n_titles, cues != Py_None, s, e, found, out) < 0) {
            Py_DECREF(iter);
            goto fail;
        }
    }
    Py_DECREF(iter);
    if (PyErr_Occurred() || surnames(&t, found, out) < 0) {
        goto fail;
    }
    Py_DECREF(runs);
    Py_DECREF(found);
    Py_DECREF(title_list);
    PyMem_Free(titles);
    return out;
fail:
    Py_XDECREF(runs);
    Py_XDECREF(found);
    Py_XDECREF(out);
    Py_DECREF(title_list);
    PyMem_Free(titles);
    return NULL;
}

static PyMethodDef module_methods[] = {
    {"people", people, METH_VARARGS, "People named with a title (see patterns._find_people_py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_people", "Compiled twin of patterns._find_people_py.", -1,
    module_methods,
};

PyMODINIT_FUNC PyInit__people(void) {
    return PyModule_Create(&module);
}
