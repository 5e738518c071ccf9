/* Events shared between the BPF programs and the C# loader (Events/ mirrors them; a test compares both layouts
 * against this object's BTF). Fixed-width fields only, explicit padding, no bool/enum/pointer members, little-endian.
 * Change a struct only together with its C# mirror. */
#ifndef PIPELINE_EVENT_H
#define PIPELINE_EVENT_H

#define PL_EVENT_VERSION 1

/* pl_event_header.kind */
#define PL_EV_CONN_OPEN 1
#define PL_EV_DATA 2
#define PL_EV_CONN_CLOSE 3
#define PL_EV_PROC_EXEC 4
#define PL_EV_PROC_EXIT 5
#define PL_EV_PROC_FORK 6
#define PL_EV_LISTEN 7 /* a socket entered LISTEN: user space rescans discovery now */

/* pl_event_header.flags */
#define PL_F_TRUNCATED 0x01  /* DATA: cap_len < total_len */
#define PL_F_MIDSTREAM 0x02  /* CONN_OPEN: first seen on data, not on accept/connect */
#define PL_F_NO_PAYLOAD 0x04 /* DATA: sendfile, byte count only */
#define PL_F_GROUP_EXIT 0x08 /* PROC_EXIT: the thread-group leader exited (the process is gone) */

/* pl_data_event.direction */
#define PL_DIR_INGRESS 0
#define PL_DIR_EGRESS 1

/* role */
#define PL_ROLE_UNKNOWN 0
#define PL_ROLE_CLIENT 1
#define PL_ROLE_SERVER 2

/* pl_data_event.source: the syscall that moved the bytes */
#define PL_SRC_READ 1
#define PL_SRC_READV 2
#define PL_SRC_RECVFROM 3
#define PL_SRC_RECVMSG 4
#define PL_SRC_WRITE 5
#define PL_SRC_WRITEV 6
#define PL_SRC_SENDTO 7
#define PL_SRC_SENDMSG 8
#define PL_SRC_SENDFILE 9

/* Largest capture per syscall; the capture_size rodata knob is clamped to it. Power of two. */
#define PL_CAPTURE_MAX 8192

/* Indexes into the per-CPU stats array. */
#define PL_STAT_RINGBUF_OK 0
#define PL_STAT_RINGBUF_FAIL 1
#define PL_STAT_TRUNCATED 2
#define PL_STAT_READ_FAIL 3
#define PL_STAT_NONSOCK 4
#define PL_STAT_EXCLUDED 5 /* connections skipped because a port is in excluded_ports */
#define PL_STAT_COUNT 8

/* Common header of every event: 40 bytes. */
struct pl_event_header {
	__u8 kind;
	__u8 flags;
	__u16 version;
	__u32 tgid;    /* host view (bpf_get_current_pid_tgid) */
	__u32 tid;
	__u32 ns_tgid; /* the process id in its own pid namespace */
	__s32 fd;
	__u32 _pad0;
	__u64 conn_gen; /* ktime at which the connection was first seen: disambiguates fd reuse */
	__u64 ts_ns;    /* CLOCK_MONOTONIC; for DATA the syscall entry */
};

/* PL_EV_DATA: 72 bytes, followed by cap_len payload bytes in the same ring-buffer record. */
struct pl_data_event {
	struct pl_event_header hdr;
	__u64 ts_exit_ns;
	__u64 stream_pos; /* offset of the first byte of this chunk within its direction; counts uncopied bytes too */
	__u32 total_len;  /* bytes the syscall moved */
	__u32 cap_len;    /* bytes copied after this struct */
	__u8 direction;
	__u8 role;
	__u8 source;
	__u8 _pad1;
	__u32 _pad2;
};

/* PL_EV_CONN_OPEN / PL_EV_CONN_CLOSE: 96 bytes. Addresses in network order; IPv4 as ::ffff:a.b.c.d. */
struct pl_conn_event {
	struct pl_event_header hdr;
	__u16 family;
	__u8 role;
	__u8 _pad1;
	__u16 lport; /* host order */
	__u16 rport; /* host order */
	__u8 laddr[16];
	__u8 raddr[16];
	__u64 rd_bytes; /* CLOSE: bytes read and written over the connection's life */
	__u64 wr_bytes;
};

/* PL_EV_PROC_EXEC / PL_EV_PROC_EXIT / PL_EV_PROC_FORK / PL_EV_LISTEN: 48 bytes. */
struct pl_proc_event {
	struct pl_event_header hdr;
	__u32 parent_tid; /* FORK: the forking thread; tid in hdr is the child */
	__u32 port;       /* LISTEN: the local port */
};

/* Load-time settings: the only .rodata member of the object, written by the loader before load. 16 bytes. */
struct pl_config {
	__u32 self_tgid;    /* never traced */
	__u32 capture_size; /* bytes copied per syscall, at most PL_CAPTURE_MAX */
	__u64 wakeup_bytes; /* wake user space once this much is queued (0: on every event) */
};

#endif
