/* One pass over a field's text: word tokens, gazetteer hits, cue positions.
 *
 * This is the compiled twin of evreader/extract/scan_py.py, which defines the
 * behaviour; tests run both on the same inputs and require equal results. It
 * exists because this loop runs over every character of every article, and in
 * Python it was most of the time of a cold index (see README, Performance).
 *
 * Scanner(trie, cues, row)
 *   trie   dict: word -> node; node = (surfaces, children, wide)
 *            surfaces: tuple of (case, text, payload, tail); case 0 any, 1
 *                      capitalised, 2 exact; payload is a tuple of (kind, name)
 *                      targets, or None for a blocker; tail is punctuation the
 *                      hit takes when the text has it ("U.S.")
 *            children: dict word -> node for the next word after one separator
 *            wide: dict (gap, word) -> node for wider separators, or None
 *   cues   dict word -> int code, or None
 *   row    the row type: tuple or a subclass of it with no fields of its own
 *          (a NamedTuple such as models.MentionRow)
 *   Every key is an exact str (a wide key an exact (int, str) tuple) and every
 *   code an exact int, so no lookup can run Python code.
 * scan(text, low, mark, field) -> (rows, cue_hits, ambiguous)
 *   text is the field as stored (case is checked there), low the same text
 *   case-folded, same length (words come from there). mark 1 records the words
 *   as the current article's title and body words, 2 as body words only, 0 not.
 *   rows are `row(kind, name, start, end, field, False)` of the hits in text
 *   order; a hit with several targets gives (start, end, targets) in `ambiguous`
 *   instead. cue_hits are (start, code) of words in `cues`.
 * next_article()   closes the current article's word lists
 * words()          the vocabulary, a list in id order
 * arrays()         (t_ptr, t_ids, h_ptr, h_ids) as bytes of native int32: each
 *                  article's distinct words (title+body, title) in first-seen order
 *
 * Safety: a Scanner is usable only once __init__ has succeeded whole; a call
 * made while another runs on the same Scanner (Python code re-entering through
 * a hostile object) is refused; whatever is read across a call that may run
 * Python code (a dict lookup calls a key's __eq__; an allocation may run the
 * garbage collector, and it runs finalizers) is held by a strong reference: trie
 * nodes and cue codes; the trie walk at init visits each node once however many
 * paths share it, and has no depth limit. The word hash
 * is seeded per process and mixed, so no text can make its words collide.
 *
 * A word is a maximal run of alphanumeric characters (str.isalnum). Words are
 * kept in a C hash table, so a word seen before costs no Python object; the trie
 * root and cue code of each distinct word are looked up once. The trie is checked
 * whole when the Scanner is made and must not change after: per word, flags say
 * whether its root node has surfaces or children and whether it is the child key
 * of any node, so most of the third of all words that start a name (the, in, new)
 * cost no Python object either. A word's characters are kept in a flat array for
 * the comparison, not read from its str (measured: those reads were cache misses).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>
#include <structmember.h>

typedef struct {
    Py_ssize_t start, end;
    int32_t id;
} Token;

typedef struct {
    int32_t *data;
    Py_ssize_t len, cap;
} IntBuf;

typedef struct {
    PyObject_HEAD
    PyObject *trie;    /* dict */
    PyObject *cues;    /* dict or None */
    PyObject *words;   /* list: id -> str */
    PyObject **node;   /* per id: trie node for the word, or NULL (strong references) */
    PyObject **cue;    /* per id: cue code, or NULL (strong references) */
    int32_t *seen_t;   /* per id: article stamp when last recorded as a body word */
    int32_t *seen_h;   /* per id: the same for title words */
    Py_ssize_t n_words, cap_words;
    int32_t *slots;    /* hash table of ids, -1 empty; size is a power of two */
    uint32_t *slot_hash;
    Py_ssize_t n_slots;
    IntBuf t_ptr, t_ids, h_ptr, h_ids;
    int32_t article;   /* stamp of the current article, from 1 */
    Token *toks;
    Py_ssize_t cap_toks;
    uint8_t *flags;      /* per id: HAS_SURFACES | HAS_CHILDREN | IS_CHILD */
    Py_ssize_t *word_off; /* per id: where its characters start in arena */
    int32_t *word_len;   /* per id: its length */
    Py_UCS4 *arena;
    Py_ssize_t arena_len, arena_cap;
    PyObject *child_words; /* set: every key of a children table, and word of a wide key */
    PyTypeObject *row_type; /* tuple or a field-less subclass (a NamedTuple) */
    uint64_t seed;       /* start of the word hash: secret, per process */
    Py_ssize_t probes;   /* slots passed over in vocabulary lookups (tests read it) */
    int ready;           /* __init__ succeeded */
    int busy;            /* a method is running: refuse re-entry */
} Scanner;

enum { HAS_SURFACES = 1, HAS_CHILDREN = 2, IS_CHILD = 4 };

#define INLINE static inline __attribute__((always_inline))

/* Loops over text are inlined with a constant string kind, so the compiler drops
 * PyUnicode_READ's switch from them (a quarter of the scan's instructions). */
static const unsigned char ASCII_WORD[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
};

INLINE int is_word(Py_UCS4 ch) {
    return ch < 128 ? ASCII_WORD[ch] : Py_UNICODE_ISALNUM(ch);
}

static int buf_push(IntBuf *b, int32_t v) {
    if (b->len == b->cap) {
        Py_ssize_t cap = b->cap ? b->cap * 2 : 1024;
        int32_t *grown = PyMem_Realloc(b->data, cap * sizeof(int32_t));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->data = grown;
        b->cap = cap;
    }
    b->data[b->len++] = v;
    return 0;
}

/* Whether a surface's case rule accepts text[start:end): 1 or 0 (-1 on error). */
static int case_ok(PyObject *text, Py_ssize_t start, Py_ssize_t end, long mode, PyObject *surface) {
    if (mode == 0) {
        return 1;
    }
    if (mode == 1) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(text, start);
        if (Py_UNICODE_ISUPPER(ch) || Py_UNICODE_ISDIGIT(ch)) {
            return 1;
        }
    }
    /* exact (and the fallback of capitalised): the span equals the surface */
    if (PyUnicode_GET_LENGTH(surface) != end - start) {
        return 0;
    }
    return (int)PyUnicode_Tailmatch(text, surface, start, end, -1);
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
            !PyLong_CheckExact(PyTuple_GET_ITEM(s, 0)) ||
            !PyUnicode_Check(PyTuple_GET_ITEM(s, 1)) || !PyUnicode_Check(PyTuple_GET_ITEM(s, 3))) {
            PyErr_SetString(PyExc_TypeError, "surface must be (case, text, payload, tail)");
            return -1;
        }
    }
    return 0;
}

/* The surface of a node that accepts text[start:end) with the longest hit (its
 * trailing punctuation counts when the text has it; ties go to the first): 1 and
 * its payload and end, else 0. A node is a tuple of tuples, which cannot change:
 * one already checked (a word's own node, checked when the word was first seen)
 * is not checked again. */
static int pick_surface(PyObject *text, PyObject *node, int checked, Py_ssize_t start,
                        Py_ssize_t end, PyObject **payload, Py_ssize_t *out_end) {
    if (!checked && check_node(node) < 0) {
        return -1;
    }
    PyObject *surfaces = PyTuple_GET_ITEM(node, 0);
    Py_ssize_t n = PyTuple_GET_SIZE(surfaces);
    int found = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *surf = PyTuple_GET_ITEM(surfaces, k);
        int overflow = 0; /* a code past a long is neither 0 nor 1: exact, as the twin */
        long mode = PyLong_AsLongAndOverflow(PyTuple_GET_ITEM(surf, 0), &overflow);
        if (overflow) {
            mode = 2;
        } else if (mode == -1 && PyErr_Occurred()) {
            return -1;
        }
        int ok = case_ok(text, start, end, mode, PyTuple_GET_ITEM(surf, 1));
        if (ok < 0) {
            return -1;
        }
        if (ok) {
            PyObject *tail = PyTuple_GET_ITEM(surf, 3);
            /* whether text[end:] starts with the tail */
            Py_ssize_t has_tail = PyUnicode_Tailmatch(text, tail, end, PY_SSIZE_T_MAX, -1);
            if (has_tail < 0) {
                return -1;
            }
            Py_ssize_t e = has_tail ? end + PyUnicode_GET_LENGTH(tail) : end;
            if (!found || e > *out_end) { /* the longest ("Level 2+" over "Level 2") */
                *payload = PyTuple_GET_ITEM(surf, 2);
                *out_end = e;
                found = 1;
            }
        }
    }
    return found;
}

/* table[key] for a trie table that may be None, or NULL (borrowed; error set if any). */
static PyObject *table_get(PyObject *table, PyObject *key) {
    if (table == Py_None) {
        return NULL;
    }
    if (!PyDict_CheckExact(table)) { /* a subclass's own get() would not be run */
        PyErr_SetString(PyExc_TypeError, "trie children must be a dict or None");
        return NULL;
    }
    return PyDict_GetItemWithError(table, key);
}

/* The child node for the word after tokens[j], or NULL (borrowed; error set if any). */
static PyObject *child(Scanner *self, PyObject *node, Token *toks, Py_ssize_t j) {
    Py_ssize_t gap = toks[j + 1].start - toks[j].end;
    PyObject *word = PyList_GET_ITEM(self->words, toks[j + 1].id);
    if (gap == 1) {
        return table_get(PyTuple_GET_ITEM(node, 1), word);
    }
    PyObject *wide = PyTuple_GET_ITEM(node, 2);
    if (wide == Py_None) {
        return NULL; /* no (gap, word) key to build */
    }
    PyObject *key = Py_BuildValue("(nO)", gap, word);
    if (key == NULL) {
        return NULL;
    }
    PyObject *found = table_get(wide, key);
    Py_DECREF(key);
    return found;
}

/* ---- vocabulary: a hash table of ids over the words list ---- */

/* Whether word `id` == text[s:e], where text is of kind `kind` (a constant when inlined). */
INLINE int same_chars(const Scanner *self, int32_t id, int kind, const void *data, Py_ssize_t s,
                      Py_ssize_t e) {
    Py_ssize_t n = e - s;
    if (self->word_len[id] != n) {
        return 0;
    }
    const Py_UCS4 *w = self->arena + self->word_off[id];
    for (Py_ssize_t k = 0; k < n; k++) {
        if (w[k] != PyUnicode_READ(kind, data, s + k)) {
            return 0;
        }
    }
    return 1;
}

static int grow_table(Scanner *self) {
    Py_ssize_t n = self->n_slots ? self->n_slots * 2 : 4096;
    int32_t *slots = PyMem_Malloc(n * sizeof(int32_t));
    uint32_t *hashes = PyMem_Malloc(n * sizeof(uint32_t));
    if (slots == NULL || hashes == NULL) {
        PyMem_Free(slots);
        PyMem_Free(hashes);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        slots[k] = -1;
    }
    for (Py_ssize_t k = 0; k < self->n_slots; k++) {
        if (self->slots[k] >= 0) {
            Py_ssize_t at = self->slot_hash[k] & (n - 1);
            while (slots[at] >= 0) {
                at = (at + 1) & (n - 1);
            }
            slots[at] = self->slots[k];
            hashes[at] = self->slot_hash[k];
        }
    }
    PyMem_Free(self->slots);
    PyMem_Free(self->slot_hash);
    self->slots = slots;
    self->slot_hash = hashes;
    self->n_slots = n;
    return 0;
}

static int grow_words(Scanner *self) {
    Py_ssize_t cap = self->cap_words ? self->cap_words * 2 : 4096;
    PyObject **node = PyMem_Realloc(self->node, cap * sizeof(PyObject *));
    if (node != NULL) {
        self->node = node;
    }
    PyObject **cue = PyMem_Realloc(self->cue, cap * sizeof(PyObject *));
    if (cue != NULL) {
        self->cue = cue;
    }
    int32_t *seen_t = PyMem_Realloc(self->seen_t, cap * sizeof(int32_t));
    if (seen_t != NULL) {
        self->seen_t = seen_t;
    }
    int32_t *seen_h = PyMem_Realloc(self->seen_h, cap * sizeof(int32_t));
    if (seen_h != NULL) {
        self->seen_h = seen_h;
    }
    uint8_t *flags = PyMem_Realloc(self->flags, cap * sizeof(uint8_t));
    if (flags != NULL) {
        self->flags = flags;
    }
    Py_ssize_t *word_off = PyMem_Realloc(self->word_off, cap * sizeof(Py_ssize_t));
    if (word_off != NULL) {
        self->word_off = word_off;
    }
    int32_t *word_len = PyMem_Realloc(self->word_len, cap * sizeof(int32_t));
    if (word_len != NULL) {
        self->word_len = word_len;
    }
    if (node == NULL || cue == NULL || seen_t == NULL || seen_h == NULL || flags == NULL ||
        word_off == NULL || word_len == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->cap_words = cap;
    return 0;
}

/* Appends text[s:e] to the arena; its offset, or -1 on error. */
INLINE Py_ssize_t arena_add(Scanner *self, int kind, const void *data, Py_ssize_t s,
                            Py_ssize_t e) {
    if (self->arena_len + (e - s) > self->arena_cap) {
        Py_ssize_t cap = self->arena_cap ? self->arena_cap : 16384;
        while (cap < self->arena_len + (e - s)) {
            cap *= 2;
        }
        Py_UCS4 *grown = PyMem_Realloc(self->arena, cap * sizeof(Py_UCS4));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        self->arena = grown;
        self->arena_cap = cap;
    }
    Py_ssize_t off = self->arena_len;
    for (Py_ssize_t k = s; k < e; k++) {
        self->arena[self->arena_len++] = PyUnicode_READ(kind, data, k);
    }
    return off;
}

/* FNV-1a over code points, 64-bit, the caller hashing as it reads; it starts from a
 * per-process secret (the seed) and is finished by a mixer (MurmurHash3's fmix64)
 * before the table uses its low bits. Unseeded, or without the mixer, an article
 * could be made of thousands of distinct words sharing a hash or its low bits
 * (the low bits of a product depend on the low bits of its factors only: words
 * whose characters differ by 0x20000, both alphanumeric, collide in the low 17
 * bits) and each new word would probe all of them: quadratic time. */
#define FNV_PRIME 0x100000001b3ULL
#define FNV_STEP(h, ch) (((h) ^ (uint64_t)(ch)) * FNV_PRIME)

INLINE uint32_t fnv_finish(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (uint32_t)h;
}

/* The id of low[s:e) (hash h), added to the vocabulary when new; -1 on error. */
INLINE int32_t word_id(Scanner *self, int kind, const void *data, Py_ssize_t s, Py_ssize_t e,
                       uint32_t h) {
    Py_ssize_t mask = self->n_slots - 1;
    Py_ssize_t at = h & mask;
    while (self->slots[at] >= 0) {
        int32_t id = self->slots[at];
        if (self->slot_hash[at] == h && same_chars(self, id, kind, data, s, e)) {
            return id;
        }
        at = (at + 1) & mask;
        self->probes++;
    }
    if (self->n_words >= INT32_MAX - 1) {
        PyErr_SetString(PyExc_OverflowError, "vocabulary too large");
        return -1;
    }
    if (e - s > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "a word longer than 2**31 characters");
        return -1;
    }
    if (self->n_words == self->cap_words && grow_words(self) < 0) {
        return -1;
    }
    PyObject *word = PyUnicode_FromKindAndData(kind, (const char *)data + s * kind, e - s);
    if (word == NULL) {
        return -1;
    }
    /* Each found value is held at once: a dict changed after the Scanner was made
     * may hold a key whose __eq__ runs in the next lookup and deletes it. */
    PyObject *node = PyDict_GetItemWithError(self->trie, word);
    PyObject *cue = NULL;
    Py_XINCREF(node);
    if (node == NULL && PyErr_Occurred()) {
        goto fail;
    }
    if (self->cues != Py_None) {
        cue = PyDict_GetItemWithError(self->cues, word);
        Py_XINCREF(cue);
        if (cue == NULL && PyErr_Occurred()) {
            goto fail;
        }
    }
    uint8_t flags = 0;
    if (node != NULL) {
        if (check_node(node) < 0) {
            goto fail;
        }
        flags |= PyTuple_GET_SIZE(PyTuple_GET_ITEM(node, 0)) ? HAS_SURFACES : 0;
        flags |= PyTuple_GET_ITEM(node, 1) != Py_None || PyTuple_GET_ITEM(node, 2) != Py_None
                     ? HAS_CHILDREN : 0;
    }
    int child = PySet_Contains(self->child_words, word);
    Py_ssize_t off = child < 0 ? -1 : arena_add(self, kind, data, s, e);
    if (off < 0 || PyList_Append(self->words, word) < 0) {
        goto fail;
    }
    Py_DECREF(word); /* the list holds it */
    int32_t id = (int32_t)self->n_words++;
    self->node[id] = node;
    self->cue[id] = cue;
    self->flags[id] = flags | (child ? IS_CHILD : 0);
    self->word_off[id] = off;
    self->word_len[id] = (int32_t)(e - s);
    self->seen_t[id] = 0;
    self->seen_h[id] = 0;
    self->slots[at] = id;
    self->slot_hash[at] = h;
    if (self->n_words * 2 > self->n_slots && grow_table(self) < 0) {
        return -1;
    }
    return id;
fail:
    Py_XDECREF(node);
    Py_XDECREF(cue);
    Py_DECREF(word);
    return -1;
}

/* A row for a hit: row_type(kind, name, start, end, field, False) when the payload
 * names one target; for several, (start, end, targets) appended to `ambiguous`
 * and Py_None returned (borrowed). NULL on error. */
static PyObject *make_row(Scanner *self, Py_ssize_t start, Py_ssize_t end, PyObject *payload,
                          PyObject *field, PyObject *ambiguous) {
    if (!PyTuple_CheckExact(payload) || PyTuple_GET_SIZE(payload) == 0) {
        PyErr_SetString(PyExc_TypeError, "payload must be a non-empty tuple of targets or None");
        return NULL;
    }
    if (PyTuple_GET_SIZE(payload) > 1) {
        PyObject *hit = Py_BuildValue("(nnO)", start, end, payload);
        if (hit == NULL || PyList_Append(ambiguous, hit) < 0) {
            Py_XDECREF(hit);
            return NULL;
        }
        Py_DECREF(hit);
        return Py_None;
    }
    PyObject *target = PyTuple_GET_ITEM(payload, 0);
    if (!PyTuple_CheckExact(target) || PyTuple_GET_SIZE(target) != 2) {
        PyErr_SetString(PyExc_TypeError, "a target must be a (kind, name) tuple");
        return NULL;
    }
    PyObject *kind = PyTuple_GET_ITEM(target, 0), *name = PyTuple_GET_ITEM(target, 1);
    /* A tuple subclass without fields of its own is a tuple with another type: its
     * items are set as a tuple's, and its own __new__ (Python code) is not run. */
    PyObject *row = self->row_type == &PyTuple_Type
                        ? PyTuple_New(6)
                        : self->row_type->tp_alloc(self->row_type, 6);
    PyObject *a = PyLong_FromSsize_t(start), *b = PyLong_FromSsize_t(end);
    if (row == NULL || a == NULL || b == NULL) {
        Py_XDECREF(row);
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    Py_INCREF(kind);
    Py_INCREF(name);
    Py_INCREF(field);
    Py_INCREF(Py_False);
    PyTuple_SET_ITEM(row, 0, kind);
    PyTuple_SET_ITEM(row, 1, name);
    PyTuple_SET_ITEM(row, 2, a);
    PyTuple_SET_ITEM(row, 3, b);
    PyTuple_SET_ITEM(row, 4, field);
    PyTuple_SET_ITEM(row, 5, Py_False);
    return row;
}

/* ---- the scan ---- */

/* Pass 1 of scan: the words of low, their ids and cues; the token count, or -1. */
INLINE Py_ssize_t scan_words(Scanner *self, int kind, const void *data, Py_ssize_t len, int mark,
                             PyObject *cue_hits) {
    Py_ssize_t n = 0, i = 0;
    while (i < len) {
        if (!is_word(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t s = i;
        uint64_t h = self->seed;
        Py_UCS4 ch;
        while (i < len && is_word(ch = PyUnicode_READ(kind, data, i))) {
            h = FNV_STEP(h, ch);
            i++;
        }
        if (n == self->cap_toks) {
            Py_ssize_t cap = self->cap_toks ? self->cap_toks * 2 : 256;
            Token *grown = PyMem_Realloc(self->toks, cap * sizeof(Token));
            if (grown == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            self->toks = grown;
            self->cap_toks = cap;
        }
        int32_t id = word_id(self, kind, data, s, i, fnv_finish(h));
        if (id < 0) {
            return -1;
        }
        self->toks[n].start = s;
        self->toks[n].end = i;
        self->toks[n].id = id;
        n++;
        if (mark && self->seen_t[id] != self->article) {
            self->seen_t[id] = self->article;
            if (buf_push(&self->t_ids, id) < 0) {
                return -1;
            }
        }
        if (mark == 1 && self->seen_h[id] != self->article) {
            self->seen_h[id] = self->article;
            if (buf_push(&self->h_ids, id) < 0) {
                return -1;
            }
        }
        if (self->cue[id] != NULL) {
            PyObject *pair = Py_BuildValue("(nO)", s, self->cue[id]);
            if (pair == NULL || PyList_Append(cue_hits, pair) < 0) {
                Py_XDECREF(pair);
                return -1;
            }
            Py_DECREF(pair);
        }
    }
    return n;
}


static PyObject *Scanner_scan(Scanner *self, PyObject *args) {
    PyObject *text, *low, *field;
    int mark;
    if (!PyArg_ParseTuple(args, "UUiO!", &text, &low, &mark, &PyLong_Type, &field)) {
        return NULL;
    }
    if (mark < 0 || mark > 2) {
        PyErr_SetString(PyExc_ValueError, "mark must be 0, 1 or 2");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(low);
    if (len != PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_ValueError, "text and low must have the same length");
        return NULL;
    }
    int kind = PyUnicode_KIND(low);
    const void *data = PyUnicode_DATA(low);
    PyObject *hits = PyList_New(0);
    PyObject *cue_hits = PyList_New(0);
    PyObject *ambiguous = PyList_New(0);
    PyObject *node = NULL; /* a strong reference to the node being read */
    if (hits == NULL || cue_hits == NULL || ambiguous == NULL) {
        goto fail;
    }
    /* pass 1: words, their ids and cues */
    Py_ssize_t n = kind == PyUnicode_1BYTE_KIND
                       ? scan_words(self, PyUnicode_1BYTE_KIND, data, len, mark, cue_hits)
                   : kind == PyUnicode_2BYTE_KIND
                       ? scan_words(self, PyUnicode_2BYTE_KIND, data, len, mark, cue_hits)
                       : scan_words(self, PyUnicode_4BYTE_KIND, data, len, mark, cue_hits);
    if (n < 0) {
        goto fail;
    }
    /* pass 2: leftmost-longest gazetteer hits; blockers take their span silently.
     * self->toks is not read through a cached pointer: re-entry is refused, but a
     * pointer read once per use cannot go stale whatever runs in between. */
    Py_ssize_t last_end = -1;
    for (Py_ssize_t a = 0; a < n; a++) {
        if (self->node[self->toks[a].id] == NULL || self->toks[a].start < last_end) {
            continue;
        }
        node = self->node[self->toks[a].id];
        Py_INCREF(node);
        uint8_t root = self->flags[self->toks[a].id];
        Py_ssize_t best_end = -1;
        PyObject *best = NULL; /* strong */
        Py_ssize_t j = a;
        for (;;) {
            if (j > a || (root & HAS_SURFACES)) { /* a node without surfaces has no hit */
                PyObject *payload = NULL;
                Py_ssize_t end = 0;
                int got = pick_surface(text, node, j == a, self->toks[a].start,
                                       self->toks[j].end, &payload, &end);
                if (got < 0) {
                    Py_XDECREF(best);
                    goto fail;
                }
                if (got) {
                    best_end = end;
                    Py_INCREF(payload);
                    Py_XSETREF(best, payload);
                }
            }
            if (j + 1 >= n || (j == a && !(root & HAS_CHILDREN)) ||
                !(self->flags[self->toks[j + 1].id] & IS_CHILD)) {
                break; /* no table could hold the next word */
            }
            PyObject *next = child(self, node, self->toks, j);
            if (next == NULL) {
                if (PyErr_Occurred()) {
                    Py_XDECREF(best);
                    goto fail;
                }
                break;
            }
            Py_INCREF(next);
            Py_SETREF(node, next);
            j++;
        }
        Py_CLEAR(node);
        if (best_end < 0) {
            Py_XDECREF(best);
            continue;
        }
        last_end = best_end;
        if (best != Py_None) {
            PyObject *hit = make_row(self, self->toks[a].start, best_end, best, field, ambiguous);
            Py_DECREF(best);
            if (hit == NULL) {
                goto fail;
            }
            if (hit != Py_None) {
                int failed = PyList_Append(hits, hit) < 0;
                Py_DECREF(hit);
                if (failed) {
                    goto fail;
                }
            }
        } else {
            Py_DECREF(best);
        }
    }
    return Py_BuildValue("(NNN)", hits, cue_hits, ambiguous);

fail:
    Py_XDECREF(node);
    Py_XDECREF(hits);
    Py_XDECREF(cue_hits);
    Py_XDECREF(ambiguous);
    return NULL;
}

static PyObject *Scanner_next_article(Scanner *self, PyObject *Py_UNUSED(ignored)) {
    if (self->article == INT32_MAX || self->t_ids.len > INT32_MAX ||
        self->h_ids.len > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many articles or words for one scanner");
        return NULL;
    }
    if (buf_push(&self->t_ptr, (int32_t)self->t_ids.len) < 0 ||
        buf_push(&self->h_ptr, (int32_t)self->h_ids.len) < 0) {
        return NULL;
    }
    self->article++;
    Py_RETURN_NONE;
}

static PyObject *Scanner_words(Scanner *self, PyObject *Py_UNUSED(ignored)) {
    return PyList_GetSlice(self->words, 0, PyList_GET_SIZE(self->words));
}

static PyObject *as_bytes(IntBuf *b) {
    return PyBytes_FromStringAndSize((const char *)b->data, b->len * (Py_ssize_t)sizeof(int32_t));
}

static PyObject *Scanner_arrays(Scanner *self, PyObject *Py_UNUSED(ignored)) {
    return Py_BuildValue("(NNNN)", as_bytes(&self->t_ptr), as_bytes(&self->t_ids),
                         as_bytes(&self->h_ptr), as_bytes(&self->h_ids));
}

/* One entry of a trie table (walk_trie): checks its key and node, notes the word
 * when the table holds children, and pushes the node's tables unless it was seen. */
static int walk_entry(long kind, PyObject *key, PyObject *node, PyObject *child_words,
                      PyObject *seen, PyObject *stack) {
    PyObject *word = key;
    if (kind == 2) {
        if (!PyTuple_CheckExact(key) || PyTuple_GET_SIZE(key) != 2 ||
            !PyLong_CheckExact(PyTuple_GET_ITEM(key, 0))) {
            PyErr_SetString(PyExc_TypeError, "a wide key must be (gap, word)");
            return -1;
        }
        word = PyTuple_GET_ITEM(key, 1);
    }
    if (!PyUnicode_CheckExact(word)) {
        PyErr_SetString(PyExc_TypeError, "trie words must be str");
        return -1;
    }
    if ((kind && PySet_Add(child_words, word) < 0) || check_node(node) < 0) {
        return -1;
    }
    PyObject *address = PyLong_FromVoidPtr(node);
    if (address == NULL) {
        return -1;
    }
    int known = PyDict_Contains(seen, address);
    if (known == 0) {
        known = PyDict_SetItem(seen, address, node); /* 0: new, and held from now on */
    } else if (known > 0) {
        Py_DECREF(address);
        return 0; /* its tables are on the stack already, or walked */
    }
    Py_DECREF(address);
    if (known < 0) {
        return -1;
    }
    for (int t = 1; t <= 2; t++) {
        PyObject *sub = Py_BuildValue("(Oi)", PyTuple_GET_ITEM(node, t), t);
        if (sub == NULL || PyList_Append(stack, sub) < 0) {
            Py_XDECREF(sub);
            return -1;
        }
        Py_DECREF(sub);
    }
    return 0;
}

/* Checks every node of a trie once and notes the words child tables are keyed by.
 * An explicit stack, and a dict of the nodes seen by address (holding them), so a
 * node shared by many paths is checked once and no depth overflows the C stack.
 * Stack items are (table, kind): kind 0 the root, 1 children keyed by word, 2 wide
 * keyed by (gap, word). Each entry's key and node are held while it is read: an
 * allocation may run the garbage collector, and a finalizer may change the table. */
static int walk_trie(PyObject *trie, PyObject *child_words) {
    PyObject *seen = PyDict_New();
    PyObject *stack = PyList_New(0);
    PyObject *item = NULL;
    int result = -1;
    if (seen == NULL || stack == NULL) {
        goto done;
    }
    item = Py_BuildValue("(Oi)", trie, 0);
    if (item == NULL || PyList_Append(stack, item) < 0) {
        goto done;
    }
    Py_CLEAR(item);
    while (PyList_GET_SIZE(stack) > 0) {
        Py_ssize_t last = PyList_GET_SIZE(stack) - 1;
        item = PyList_GET_ITEM(stack, last);
        Py_INCREF(item);
        if (PyList_SetSlice(stack, last, last + 1, NULL) < 0) {
            goto done;
        }
        PyObject *table = PyTuple_GET_ITEM(item, 0);
        long kind = PyLong_AsLong(PyTuple_GET_ITEM(item, 1));
        if (table == Py_None) {
            Py_CLEAR(item);
            continue;
        }
        if (!PyDict_CheckExact(table)) {
            PyErr_SetString(PyExc_TypeError, "trie children must be a dict or None");
            goto done;
        }
        Py_ssize_t pos = 0;
        PyObject *key, *node;
        while (PyDict_Next(table, &pos, &key, &node)) {
            Py_INCREF(key);
            Py_INCREF(node);
            int failed = walk_entry(kind, key, node, child_words, seen, stack) < 0;
            Py_DECREF(key);
            Py_DECREF(node);
            if (failed) {
                goto done;
            }
        }
        Py_CLEAR(item);
    }
    result = 0;
done:
    Py_XDECREF(item);
    Py_XDECREF(stack);
    Py_XDECREF(seen);
    return result;
}

/* Cues must map exact str words to exact int codes (no lookup may run Python). */
static int check_cues(PyObject *cues) {
    if (cues == Py_None) {
        return 0;
    }
    if (!PyDict_CheckExact(cues)) {
        PyErr_SetString(PyExc_TypeError, "cues must be a dict or None");
        return -1;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(cues, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || !PyLong_CheckExact(value)) {
            PyErr_SetString(PyExc_TypeError, "cues must map str words to int codes");
            return -1;
        }
    }
    return 0;
}

static int Scanner_init(Scanner *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"trie", "cues", "row", NULL};
    PyObject *trie, *cues, *row = (PyObject *)&PyTuple_Type;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O|O", kwlist, &PyDict_Type, &trie, &cues,
                                     &row)) {
        return -1;
    }
    if (self->ready || self->words != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "a Scanner is initialised once");
        return -1;
    }
    if (!PyType_Check(row) || !PyType_IsSubtype((PyTypeObject *)row, &PyTuple_Type) ||
        ((PyTypeObject *)row)->tp_basicsize != PyTuple_Type.tp_basicsize ||
        ((PyTypeObject *)row)->tp_itemsize != PyTuple_Type.tp_itemsize) {
        PyErr_SetString(PyExc_TypeError, "row must be tuple or a subclass without fields");
        return -1;
    }
    if (!PyDict_CheckExact(trie)) {
        PyErr_SetString(PyExc_TypeError, "trie must be a dict");
        return -1;
    }
    if (check_cues(cues) < 0) {
        return -1;
    }
    self->words = PyList_New(0);
    if (self->words == NULL) {
        return -1;
    }
    self->child_words = PySet_New(NULL);
    if (self->child_words == NULL || walk_trie(trie, self->child_words) < 0) {
        return -1;
    }
    Py_INCREF(trie);
    self->trie = trie;
    Py_INCREF(cues);
    self->cues = cues;
    Py_INCREF(row);
    self->row_type = (PyTypeObject *)row;
    self->article = 1;
    /* The word hash's secret: str hashes are keyed per process (PYTHONHASHSEED). */
    PyObject *salt = PyUnicode_FromString("evreader.extract._scan word hash");
    Py_hash_t secret = salt == NULL ? -1 : PyObject_Hash(salt);
    Py_XDECREF(salt);
    if (secret == -1) {
        return -1;
    }
    self->seed = 14695981039346656037ULL ^ (uint64_t)secret; /* FNV-1a's 64-bit start */
    if (grow_table(self) < 0 || grow_words(self) < 0 || buf_push(&self->t_ptr, 0) < 0 ||
        buf_push(&self->h_ptr, 0) < 0) {
        return -1;
    }
    self->ready = 1;
    return 0;
}

static void Scanner_dealloc(Scanner *self) {
    Py_XDECREF(self->trie);
    Py_XDECREF(self->cues);
    Py_XDECREF(self->words);
    for (Py_ssize_t k = 0; k < self->n_words; k++) {
        Py_XDECREF(self->node[k]);
        Py_XDECREF(self->cue[k]);
    }
    PyMem_Free(self->node);
    PyMem_Free(self->cue);
    PyMem_Free(self->seen_t);
    PyMem_Free(self->seen_h);
    PyMem_Free(self->slots);
    PyMem_Free(self->slot_hash);
    PyMem_Free(self->t_ptr.data);
    PyMem_Free(self->t_ids.data);
    PyMem_Free(self->h_ptr.data);
    PyMem_Free(self->h_ids.data);
    PyMem_Free(self->toks);
    PyMem_Free(self->flags);
    PyMem_Free(self->word_off);
    PyMem_Free(self->word_len);
    PyMem_Free(self->arena);
    Py_XDECREF(self->child_words);
    Py_XDECREF(self->row_type);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Every method goes through this: the Scanner must be whole, and no other call on
 * it may be running (a hostile object's Python code re-entering the scanner would
 * see its buffers mid-change). */
#define CHECKED(fn)                                                                   \
    static PyObject *fn##_checked(Scanner *self, PyObject *arg) {                     \
        if (!self->ready) {                                                           \
            PyErr_SetString(PyExc_RuntimeError, "Scanner was not initialised");       \
            return NULL;                                                              \
        }                                                                             \
        if (self->busy) {                                                             \
            PyErr_SetString(PyExc_RuntimeError, "Scanner is already running");       \
            return NULL;                                                              \
        }                                                                             \
        self->busy = 1;                                                               \
        PyObject *result = fn(self, arg);                                             \
        self->busy = 0;                                                               \
        return result;                                                                \
    }
CHECKED(Scanner_scan)
CHECKED(Scanner_next_article)
CHECKED(Scanner_words)
CHECKED(Scanner_arrays)

static PyMethodDef Scanner_methods[] = {
    {"scan", (PyCFunction)Scanner_scan_checked, METH_VARARGS,
     "(rows, cue_hits, ambiguous) of one field; mark 1 records title words, 2 body words."},
    {"next_article", (PyCFunction)Scanner_next_article_checked, METH_NOARGS,
     "Close the current article's word lists."},
    {"words", (PyCFunction)Scanner_words_checked, METH_NOARGS, "The vocabulary in id order."},
    {"arrays", (PyCFunction)Scanner_arrays_checked, METH_NOARGS,
     "(t_ptr, t_ids, h_ptr, h_ids) as bytes of int32."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef Scanner_members[] = {
    {"_probes", T_PYSSIZET, offsetof(Scanner, probes), READONLY,
     "Slots passed over in vocabulary lookups: a few per distinct word unless hashes "
     "collide (tests check it)."},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "evreader.extract._scan.Scanner",
    .tp_doc = "Words, gazetteer hits and cues of article fields (see scan_py.PyScanner).",
    .tp_basicsize = sizeof(Scanner),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scanner_init,
    .tp_dealloc = (destructor)Scanner_dealloc,
    .tp_methods = Scanner_methods,
    .tp_members = Scanner_members,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_scan",
    .m_doc = "Compiled twin of evreader.extract.scan_py.",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__scan(void) {
    if (PyType_Ready(&ScannerType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&ScannerType);
    if (PyModule_AddObject(m, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(&ScannerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
