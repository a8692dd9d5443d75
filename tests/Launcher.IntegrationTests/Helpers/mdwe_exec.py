"""Runs a program with memory-deny-write-execute set on the process, as systemd's MemoryDenyWriteExecute=yes sets it
for a unit: prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN) (Linux 6.3+), inherited by the program it execs. From then
on no mapping may become executable after it was writable, so code generated at run time (a JIT) cannot run.

Usage: python3 mdwe_exec.py PROGRAM [ARGUMENT...]
Exit 3 with a message on stderr when the kernel does not offer PR_SET_MDWE.
"""

import ctypes
import os
import sys

PR_SET_MDWE = 65
PR_MDWE_REFUSE_EXEC_GAIN = 1

libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    print("mdwe_exec: prctl(PR_SET_MDWE) failed: " + os.strerror(ctypes.get_errno()), file=sys.stderr)
    sys.exit(3)
os.execvp(sys.argv[1], sys.argv[1:])
