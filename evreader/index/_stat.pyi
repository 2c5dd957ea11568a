"""Types of the compiled stat helper (`_stat.c`); `fresh._slice_changed_py` is its twin."""

import numpy as np
import numpy.typing as npt

def stat_paths(paths: bytes, out: npt.NDArray[np.int64], /) -> int: ...
