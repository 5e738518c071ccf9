// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Instantiates every struct shared with user space so this object's BTF describes them; the C# layout test reads
 * it (bpftool btf dump) and compares sizes and offsets with the Events/ mirrors. */
#include "vmlinux.h"
#include "pipeline/event.h"

struct pl_event_header layout_event_header;
struct pl_data_event layout_data_event;
struct pl_conn_event layout_conn_event;
struct pl_proc_event layout_proc_event;
struct pl_config layout_config;
