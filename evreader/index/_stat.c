/* stat(2) of many paths without the GIL, for the warm start's freshness check.
 *
 * A warm command must know that no file changed since the cache was written:
 * the one thing an in-place edit changes is the file's own stat, so every file is
 * stat-ed. From Python that is one os.stat per file with the interpreter held
 * between calls (~1 us of Python on top of the ~2 us system call here, 90k files
 * at 100k articles), and threads serialise on the GIL. Here a slice of paths is
 * stat-ed in one C loop with the GIL released, so two threads use two cores and
 * the main thread goes on loading the cache meanwhile. evreader/index/fresh.py
 * holds the Python twin (used without a C compiler, or with EVREADER_NATIVE=0);
 * tests hold the two equal.
 *
 * stat_paths(paths, out) -> int
 *   paths  bytes: file system paths, each followed by one NUL byte
 *   out    writable C-contiguous int64 buffer of 5 * (number of paths) items,
 *          filled per path with size, mtime_ns, ctime_ns, inode, device (the
 *          inode and device as their unsigned bits); a path that cannot be
 *          stat-ed gets -1 in all five
 *   returns the number of paths that could not be stat-ed
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__APPLE__)
#define MTIME_NS(st) ((int64_t)(st).st_mtimespec.tv_sec * 1000000000 + (st).st_mtimespec.tv_nsec)
#define CTIME_NS(st) ((int64_t)(st).st_ctimespec.tv_sec * 1000000000 + (st).st_ctimespec.tv_nsec)
#else
#define MTIME_NS(st) ((int64_t)(st).st_mtim.tv_sec * 1000000000 + (st).st_mtim.tv_nsec)
#define CTIME_NS(st) ((int64_t)(st).st_ctim.tv_sec * 1000000000 + (st).st_ctim.tv_nsec)
#endif

static PyObject *stat_paths(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer paths, out;
    if (!PyArg_ParseTuple(args, "y*w*", &paths, &out)) {
        return NULL;
    }
    PyObject *result = NULL;
    const char *data = (const char *)paths.buf;
    Py_ssize_t len = paths.len;
    /* Count the paths first: every one must end in NUL and have its five slots. */
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        if (data[i] == '\0') {
            n++;
        }
    }
    if (len > 0 && data[len - 1] != '\0') {
        PyErr_SetString(PyExc_ValueError, "every path must end with a NUL byte");
        goto done;
    }
    if (!PyBuffer_IsContiguous(&out, 'C') || out.len != n * 5 * (Py_ssize_t)sizeof(int64_t)) {
        PyErr_SetString(PyExc_ValueError, "out must hold 5 int64 per path");
        goto done;
    }
    int64_t *slot = (int64_t *)out.buf;
    Py_ssize_t failed = 0;
    Py_BEGIN_ALLOW_THREADS
    const char *path = data;
    const char *end = data + len;
    while (path < end) {
        size_t plen = strlen(path); /* stops at the NUL checked above */
        struct stat st;
        if (stat(path, &st) == 0) {
            slot[0] = (int64_t)st.st_size;
            slot[1] = MTIME_NS(st);
            slot[2] = CTIME_NS(st);
            slot[3] = (int64_t)(uint64_t)st.st_ino;
            slot[4] = (int64_t)(uint64_t)st.st_dev;
        } else {
            slot[0] = slot[1] = slot[2] = slot[3] = slot[4] = -1;
            failed++;
        }
        slot += 5;
        path += plen + 1;
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(failed);
done:
    PyBuffer_Release(&paths);
    PyBuffer_Release(&out);
    return result;
}

static PyMethodDef methods[] = {
    {"stat_paths", stat_paths, METH_VARARGS,
     "stat_paths(paths, out) -> failures: size, mtime_ns, ctime_ns, inode, device of "
     "each NUL-terminated path into out (int64, 5 per path), without the GIL."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_stat", "stat(2) of many paths without the GIL.", -1, methods,
};

PyMODINIT_FUNC PyInit__stat(void) { return PyModule_Create(&module); }
