/* Company names read next to a role word or a company suffix: the compiled twin
 * of the first two rules of evreader/extract/patterns.py's find_companies (the
 * Python code defines the behaviour; tests require equal results).
 *
 * A 6 MB unit of news has some 9,000 suffix cues ("Motor", "Group", "Inc."),
 * most after a gazetteer company; reading the words before each in Python was a
 * tenth of a cold index. The regexes and the stop-word set come from patterns.py
 * (`rules`) and are called from here, so the two cannot drift apart.
 *
 * companies(text, cues, rules) -> [(start, end, name)]
 *   cues   the scanner's (offset, code) list
 *   rules  (role_match, suffix_match, abbr_match, stopwords, role_bit, suffix_bit)
 */
#include "_text.h"

typedef struct {
    PyObject *role, *suffix, *abbr, *stopwords;
    long role_bit, suffix_bit;
} Rules;

static int org_char(Py_UCS4 ch) { /* [\w’'&\-] */
    return is_word_char(ch) || ch == 0x2019 || ch == '\'' || ch == '&' || ch == '-';
}

/* 1 if text[s:e] is in the stop-word set, 0 if not, -1 on error. */
static int stopword(const Text *t, const Rules *r, Py_ssize_t s, Py_ssize_t e) {
    PyObject *word = PyUnicode_Substring(t->text, s, e);
    if (word == NULL) {
        return -1;
    }
    int found = PySet_Contains(r->stopwords, word);
    Py_DECREF(word);
    return found;
}

/* `pattern(text, pos)`: a match object, Py_None (new references) or NULL. */
static PyObject *match_at(PyObject *pattern, const Text *t, Py_ssize_t pos) {
    return PyObject_CallFunction(pattern, "On", t->text, pos);
}

/* A match's span (of group `group`, or of the whole match when NULL). */
static int span_of(PyObject *m, const char *group, Py_ssize_t *s, Py_ssize_t *e) {
    PyObject *span = group ? PyObject_CallMethod(m, "span", "s", group)
                           : PyObject_CallMethod(m, "span", NULL);
    if (span == NULL) {
        return -1;
    }
    int ok = PyArg_ParseTuple(span, "nn", s, e);
    Py_DECREF(span);
    return ok ? 0 : -1;
}

/* _trim of the name at text[s:e]: its length, 0 when nothing is left, -1 on error. */
static Py_ssize_t trimmed(const Text *t, const Rules *r, Py_ssize_t s, Py_ssize_t e) {
    Py_ssize_t keep = s, i = s;
    while (i <= e) {
        Py_ssize_t w = i;
        while (i < e && at(t, i) != ' ') {
            i++;
        }
        Py_ssize_t base = i;
        if (i - w >= 2 && at(t, i - 1) == 's' && (at(t, i - 2) == 0x2019 || at(t, i - 2) == '\'')) {
            base = i - 2;
        }
        int stop = base == w ? 1 : stopword(t, r, w, base);
        if (stop < 0) {
            return -1;
        }
        if (stop) {
            break;
        }
        keep = base;
        if (base != i) {
            break; /* a possessive ends the name */
        }
        i++;
    }
    return keep - s;
}

/* Cues read as patterns._at_cues reads them: the next match of `pattern` at a cue
 * with `bit`, from cues[*c] on, skipping cues inside the last match (which ended at
 * *end). The match (a new reference), NULL with no error at the end, or NULL on error.
 */
static PyObject *next_at_cue(const Text *t, PyObject *pattern, long bit, PyObject *cues,
                             Py_ssize_t *c, Py_ssize_t *end) {
    for (; *c < PyList_GET_SIZE(cues); (*c)++) {
        Py_ssize_t pos, ms, me;
        long code;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(cues, *c), "nl;cues must be (offset, code) tuples",
                              &pos, &code)) {
            return NULL;
        }
        if (!(code & bit) || pos < *end) {
            continue;
        }
        PyObject *m = match_at(pattern, t, pos);
        if (m == NULL || m == Py_None) {
            Py_XDECREF(m);
            if (m == NULL) {
                return NULL;
            }
            continue;
        }
        if (span_of(m, NULL, &ms, &me) < 0) {
            Py_DECREF(m);
            return NULL;
        }
        *end = me > pos + 1 ? me : pos + 1;
        (*c)++;
        return m;
    }
    return NULL;
}

/* The rule "automaker X": the (trimmed) name after a role word. */
static int roles(const Text *t, const Rules *r, PyObject *cues, PyObject *out) {
    Py_ssize_t c = 0, end = 0;
    PyObject *m;
    while ((m = next_at_cue(t, r->role, r->role_bit, cues, &c, &end)) != NULL) {
        Py_ssize_t ns, ne;
        int rc = span_of(m, "name", &ns, &ne);
        Py_DECREF(m);
        Py_ssize_t len = rc < 0 ? -1 : trimmed(t, r, ns, ne);
        if (len < 0) {
            return -1;
        }
        if (len > 0) {
            PyObject *name = PyUnicode_Substring(t->text, ns, ns + len);
            rc = name ? append_hit(out, ns, ns + len, name) : -1;
            Py_XDECREF(name);
            if (rc < 0) {
                return -1;
            }
        }
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* Where _HEAD_AT_END.search(text, lo, e + 1) starts: the leftmost s in [lo, e) such
 * that text[s:e] is one to three org words ([A-Z][\w’'&\-]*) joined by single
 * spaces and text[s - 1] is not in [\w’'.]; -1 if none. */
static Py_ssize_t head_start(const Text *t, Py_ssize_t lo, Py_ssize_t e) {
    for (Py_ssize_t s = lo; s < e; s++) {
        Py_UCS4 ch = at(t, s);
        if (ch < 'A' || ch > 'Z') {
            continue;
        }
        if (s > 0) {
            Py_UCS4 prev = at(t, s - 1);
            if (is_word_char(prev) || prev == 0x2019 || prev == '\'' || prev == '.') {
                continue;
            }
        }
        Py_ssize_t cur = s;
        for (int words = 1; words <= 3; words++) {
            ch = at(t, cur);
            if (ch < 'A' || ch > 'Z') {
                break;
            }
            cur++;
            while (cur < e && org_char(at(t, cur))) {
                cur++;
            }
            if (cur == e) {
                return s;
            }
            if (at(t, cur) != ' ') {
                break;
            }
            cur++;
        }
    }
    return -1;
}

/* Later whole-word uses of an abbreviation, after `from`. */
static int abbreviations(const Text *t, PyObject *abbr, Py_ssize_t from, PyObject *name,
                         PyObject *out) {
    Py_ssize_t len = PyUnicode_GET_LENGTH(abbr);
    Py_ssize_t pos = next_word(t, abbr, from, from);
    while (pos >= 0) {
        if (append_hit(out, pos, pos + len, name) < 0) {
            return -1;
        }
        pos = next_word(t, abbr, from, pos + len);
    }
    return pos == -2 ? -1 : 0;
}

/* After a name ends at `end`: "X Motor Corporation (XMC)" makes later "XMC" hits. */
static int abbreviated(const Text *t, const Rules *r, Py_ssize_t end, PyObject *name,
                       PyObject *out) {
    PyObject *m = match_at(r->abbr, t, end);
    if (m == NULL || m == Py_None) {
        Py_XDECREF(m);
        return m == NULL ? -1 : 0;
    }
    Py_ssize_t ms, me;
    PyObject *abbr = span_of(m, NULL, &ms, &me) < 0 ? NULL
                                                    : PyObject_CallMethod(m, "group", "i", 1);
    Py_DECREF(m);
    if (abbr == NULL) {
        return -1;
    }
    int rc = abbreviations(t, abbr, me, name, out);
    Py_DECREF(abbr);
    return rc;
}

/* One suffix match at [ms, me): the name before it, if any. */
static int suffix_name(const Text *t, const Rules *r, Py_ssize_t ms, Py_ssize_t me,
                       PyObject *out) {
    Py_ssize_t e = ms - 1; /* the space before the suffix */
    Py_ssize_t s = head_start(t, ms > 60 ? ms - 60 : 0, e);
    if (s < 0) {
        return 0;
    }
    int leading = 1;
    Py_ssize_t first = s;
    for (Py_ssize_t w = s; w < e;) {
        Py_ssize_t we = w;
        while (we < e && at(t, we) != ' ') {
            we++;
        }
        int stop = stopword(t, r, w, we);
        if (stop < 0) {
            return -1;
        }
        if (stop && !leading) {
            return 0; /* a stop word inside the name */
        }
        if (!stop && leading) {
            leading = 0;
            first = w;
        }
        w = we + 1;
    }
    if (leading) {
        return 0; /* nothing but stop words */
    }
    Py_ssize_t end = me;
    while (end < t->len && at(t, end) == ' ') { /* the whole suffix chain */
        PyObject *next = match_at(r->suffix, t, end + 1);
        if (next == NULL) {
            return -1;
        }
        if (next == Py_None) {
            Py_DECREF(next);
            break;
        }
        Py_ssize_t ns, ne;
        int rc = span_of(next, NULL, &ns, &ne);
        Py_DECREF(next);
        if (rc < 0) {
            return -1;
        }
        end = ne;
    }
    PyObject *name = PyUnicode_Substring(t->text, first, end);
    if (name == NULL) {
        return -1;
    }
    int rc = append_hit(out, first, end, name);
    if (rc == 0) {
        rc = abbreviated(t, r, end, name, out);
    }
    Py_DECREF(name);
    return rc;
}

/* The rule "X Motor Corporation": the name before a company suffix. */
static int suffixes(const Text *t, const Rules *r, PyObject *cues, PyObject *out) {
    Py_ssize_t c = 0, end = 0;
    PyObject *m;
    while ((m = next_at_cue(t, r->suffix, r->suffix_bit, cues, &c, &end)) != NULL) {
        Py_ssize_t ms, me;
        int rc = span_of(m, NULL, &ms, &me);
        Py_DECREF(m);
        if (rc < 0 || suffix_name(t, r, ms, me, out) < 0) {
            return -1;
        }
    }
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *companies(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *text, *cues, *rules_obj;
    Rules r;
    if (!PyArg_ParseTuple(args, "UO!O!", &text, &PyList_Type, &cues, &PyTuple_Type, &rules_obj)) {
        return NULL;
    }
    if (!PyArg_ParseTuple(rules_obj, "OOOO!ll;rules", &r.role, &r.suffix, &r.abbr,
                          &PyFrozenSet_Type, &r.stopwords, &r.role_bit, &r.suffix_bit)) {
        return NULL;
    }
    Text t = text_of(text);
    PyObject *out = PyList_New(0);
    if (out == NULL || roles(&t, &r, cues, out) < 0 || suffixes(&t, &r, cues, out) < 0) {
        Py_XDECREF(out);
        return NULL;
    }
    return out;
}

static PyMethodDef module_methods[] = {
    {"companies", companies, METH_VARARGS, "Companies by role and suffix (see patterns)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_companies", "Compiled twin of two rules of patterns.find_companies.",
    -1, module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__companies(void) {
    return PyModule_Create(&module);
}
