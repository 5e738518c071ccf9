#!/usr/bin/env python3
"""sched-slice.py NS CMD [ARG...]: run CMD with an EEVDF custom time slice of NS nanoseconds (Linux 6.12+).

Sets sched_attr.sched_runtime of the calling thread (policy SCHED_OTHER, nice kept), then execs CMD; threads CMD
creates inherit the slice. The kernel clamps it to 0.1-100 ms; kernels without custom slices ignore it.
Used for the scheduling trials of BENCHMARKS.md (eBPF run 6), e.g.
    COLLECTOR_WRAP="benchmarks/sched-slice.py 100000" benchmarks/ebpf-overhead.sh nginx
"""
import ctypes
import os
import platform
import struct
import sys

if len(sys.argv) < 3:
    sys.exit(__doc__)
slice_ns = int(sys.argv[1])
SYS_SCHED_SETATTR = {"x86_64": 314, "aarch64": 274}.get(platform.machine())
if SYS_SCHED_SETATTR is None:
    sys.exit(f"sched-slice.py: no sched_setattr number for {platform.machine()}")
libc = ctypes.CDLL(None, use_errno=True)
# struct sched_attr (56 bytes): size, policy, flags, nice, priority, runtime, deadline, period, util_min, util_max
attr = ctypes.create_string_buffer(struct.pack("IIQiIQQQII", 56, 0, 0, os.getpriority(os.PRIO_PROCESS, 0), 0, slice_ns, 0, 0, 0, 0))
if libc.syscall(SYS_SCHED_SETATTR, 0, attr, 0) != 0:
    sys.exit(f"sched-slice.py: sched_setattr: {os.strerror(ctypes.get_errno())}")
os.execvp(sys.argv[2], sys.argv[2:])
