import numpy as np
import numpy.typing as npt

def invert(ptr: npt.NDArray[np.int32] | npt.NDArray[np.int64], cols: npt.NDArray[np.int32],
           starts: npt.NDArray[np.int64], out: npt.NDArray[np.int32], /) -> None: ...
