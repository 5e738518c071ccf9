// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Socket traffic of traced processes from syscall tracepoints only (no kprobes, fentry or iterators): the kernel
 * line we target has no kprobes. See bpf/README.md for the design and receivers/Pipeline.Receivers.Ebpf for the
 * user side. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "pipeline/event.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define EINPROGRESS 115
#define TCP_LISTEN 10
#define MSG_PEEK 2
#define IOV_MAX_WALK 16
#define PAYLOAD_MASK (PL_CAPTURE_MAX * 2 - 1)

/* Keeps clang from folding a bounds check away before the verifier sees it. */
#define bound(v) asm volatile("" : "+r"(v))

/* Set by the loader before load. */
const volatile struct pl_config pl_config = { .self_tgid = 0, .capture_size = 4096, .wakeup_bytes = 0 };
#define self_tgid pl_config.self_tgid
#define capture_size pl_config.capture_size
#define wakeup_bytes pl_config.wakeup_bytes

/* Host tgids to trace (filled by user-space discovery) → 1. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} pid_filter SEC(".maps");

/* TCP ports whose connections are never traced (host order → 1): the collector's own listen ports (its OTLP
 * receivers) and its local exporter destinations, so a traced program's OTLP exports to us make no spans. A
 * connection is matched on either end's port; user space keeps the set in sync with the collector. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, __u8);
} excluded_ports SEC(".maps");

/* Bumped by user space after every change of excluded_ports: a connection checked under an older epoch is checked
 * again on its next data event (one array read per event instead of two hash lookups). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} excluded_epoch SEC(".maps");

#define ARG_PLAIN 0
#define ARG_IOV 1
#define ARG_NONE 2
#define ARG_MSG 3

/* One tracked TCP connection of a traced process, keyed by (tgid << 32 | fd). */
struct conn_info {
	__u64 gen;
	__u64 rd_pos;
	__u64 wr_pos;
	__u32 ns_tgid;      /* the owner's pid in its namespace, read once when the connection was first seen */
	__u32 excl_epoch;   /* excluded_epoch under which the ports were last checked */
	__u8 role;
	__u8 has_addr; /* the addresses below were read when the connection was first seen */
	__u16 family;
	__u16 lport;
	__u16 rport;
	__u8 laddr[16];
	__u8 raddr[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 131072);
	__type(key, __u64);
	__type(value, struct conn_info);
} conns SEC(".maps");

/* fds known not to be TCP sockets (files, pipes, UDP, unix), so they are inspected once; close() forgets them. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u8);
} nonsock SEC(".maps");

/* A DATA event and room for its payload; twice the capture so masked offsets stay in bounds for the verifier. */
struct data_scratch {
	struct pl_data_event ev;
	__u8 payload[PL_CAPTURE_MAX * 2];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct data_scratch);
} scratch SEC(".maps");

/* Ring buffer; the loader sets its size from config before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PL_STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void count(__u32 index)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &index);
	if (v)
		*v += 1;
}

/* Wake-up flag for a record of `size` bytes; `queued` is what the ring holds besides that record. The reader is woken
 * when the record makes the backlog cross a multiple of wakeup_bytes, not on every record above the threshold: each
 * wake-up is an irq_work (a self-IPI, a VM exit under KVM) on the traced program's CPU, and while the reader was
 * behind, every record raised one (measured on nginx: the largest kernel cost after the copies). A crossing missed by
 * a race between CPUs costs at most one more multiple, or the reader's poll timeout. */
static __always_inline __u64 rb_flags_for(__u64 queued, __u64 size)
{
	if (wakeup_bytes == 0)
		return 0;
	return (queued + size) / wakeup_bytes != queued / wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* For bpf_ringbuf_output: the record is not in the ring yet. */
static __always_inline __u64 rb_output_flags(__u64 size)
{
	if (wakeup_bytes == 0)
		return 0;
	return rb_flags_for(bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA), size);
}

/* For bpf_ringbuf_submit: reserving the record already counted it in the ring's available data. */
static __always_inline __u64 rb_submit_flags(__u64 size)
{
	if (wakeup_bytes == 0)
		return 0;
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	return rb_flags_for(avail >= size ? avail - size : 0, size);
}

static __always_inline __u64 conn_key(__u32 tgid, __s32 fd)
{
	return ((__u64)tgid << 32) | (__u32)fd;
}

static __always_inline __u32 current_excluded_epoch(void)
{
	__u32 zero = 0;
	__u32 *e = bpf_map_lookup_elem(&excluded_epoch, &zero);
	return e ? *e : 0;
}

static __always_inline int port_excluded(__u16 lport, __u16 rport)
{
	return bpf_map_lookup_elem(&excluded_ports, &lport) != NULL || bpf_map_lookup_elem(&excluded_ports, &rport) != NULL;
}

/* A socket on an excluded port: remembered like a non-socket fd (skipped at syscall entry until close). */
static __always_inline int exclude_sock(__u64 key, struct sock *sk)
{
	__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (!port_excluded(lport, rport))
		return 0;
	__u8 one = 1;
	bpf_map_update_elem(&nonsock, &key, &one, BPF_ANY);
	count(PL_STAT_EXCLUDED);
	return 1;
}

/* Traced and not us. */
static __always_inline int traced(__u32 tgid)
{
	if (tgid == self_tgid)
		return 0;
	return bpf_map_lookup_elem(&pid_filter, &tgid) != NULL;
}

static __always_inline __u32 ns_tgid_of(struct task_struct *task)
{
	struct pid *p = BPF_CORE_READ(task, group_leader, thread_pid);
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid up = {};
	bpf_probe_read_kernel(&up, sizeof(up), &p->numbers[level & 31]);
	return up.nr;
}

static __always_inline __u32 current_ns_tgid(void)
{
	return ns_tgid_of((struct task_struct *)bpf_get_current_task());
}

static __always_inline void fill_header(struct pl_event_header *h, __u8 kind, __u64 pid_tgid, __u32 ns_tgid, __s32 fd, __u64 gen, __u64 ts)
{
	h->kind = kind;
	h->flags = 0;
	h->version = PL_EVENT_VERSION;
	h->tgid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->ns_tgid = ns_tgid;
	h->fd = fd;
	h->_pad0 = 0;
	h->conn_gen = gen;
	h->ts_ns = ts;
}

/* fd → struct file → S_ISSOCK → struct socket; NULL for anything that is not a socket. */
static __always_inline struct socket *socket_of_fd(__s32 fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	if (fd < 0 || (unsigned int)fd >= max)
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f)
		return NULL;
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & S_IFMT) != S_IFSOCK)
		return NULL;
	return (struct socket *)BPF_CORE_READ(f, private_data);
}

/* A TCP (stream, inet) socket's sock, else NULL. */
static __always_inline struct sock *tcp_sock_of_fd(__s32 fd)
{
	struct socket *sock = socket_of_fd(fd);
	if (!sock)
		return NULL;
	if (BPF_CORE_READ(sock, type) != SOCK_STREAM)
		return NULL;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return NULL;
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return NULL;
	return sk;
}

static __always_inline void fill_addresses(struct pl_conn_event *e, struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->family = family;
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	__builtin_memset(e->laddr, 0, sizeof(e->laddr));
	__builtin_memset(e->raddr, 0, sizeof(e->raddr));
	if (family == AF_INET) {
		__u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		e->laddr[10] = 0xff;
		e->laddr[11] = 0xff;
		e->raddr[10] = 0xff;
		e->raddr[11] = 0xff;
		__builtin_memcpy(&e->laddr[12], &l, 4);
		__builtin_memcpy(&e->raddr[12], &r, 4);
	} else {
		BPF_CORE_READ_INTO(&e->laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&e->raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
}

static __always_inline void emit_conn(__u8 kind, __u8 flags, __u64 pid_tgid, __s32 fd, struct conn_info *ci, struct sock *sk)
{
	struct pl_conn_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(PL_STAT_RINGBUF_FAIL);
		return;
	}
	fill_header(&e->hdr, kind, pid_tgid, ci->ns_tgid, fd, ci->gen, bpf_ktime_get_ns());
	e->hdr.flags = flags;
	e->role = ci->role;
	e->_pad1 = 0;
	e->rd_bytes = ci->rd_pos;
	e->wr_bytes = ci->wr_pos;
	if (sk) {
		fill_addresses(e, sk);
	} else {
		e->family = 0;
		e->lport = 0;
		e->rport = 0;
		__builtin_memset(e->laddr, 0, sizeof(e->laddr));
		__builtin_memset(e->raddr, 0, sizeof(e->raddr));
	}
	/* A socket that reached TCP_CLOSE has given its port back (inet_num = 0), and a closed fd has no socket: a
	 * CLOSE then names the connection with the addresses remembered when it was first seen. */
	if (e->lport != 0) {
		ci->has_addr = 1;
		ci->family = e->family;
		ci->lport = e->lport;
		ci->rport = e->rport;
		__builtin_memcpy(ci->laddr, e->laddr, sizeof(ci->laddr));
		__builtin_memcpy(ci->raddr, e->raddr, sizeof(ci->raddr));
	} else if (ci->has_addr) {
		e->family = ci->family;
		e->lport = ci->lport;
		e->rport = ci->rport;
		__builtin_memcpy(e->laddr, ci->laddr, sizeof(e->laddr));
		__builtin_memcpy(e->raddr, ci->raddr, sizeof(e->raddr));
	}
	bpf_ringbuf_submit(e, rb_submit_flags(sizeof(*e)));
	count(PL_STAT_RINGBUF_OK);
}

/* A new connection from accept/connect: replaces whatever an unclosed earlier fd with this number left behind. */
static __always_inline void open_conn(__u64 pid_tgid, __s32 fd, __u8 role)
{
	struct sock *sk = tcp_sock_of_fd(fd);
	if (!sk)
		return;
	__u64 key = conn_key(pid_tgid >> 32, fd);
	if (exclude_sock(key, sk)) {
		bpf_map_delete_elem(&conns, &key);
		return;
	}
	struct conn_info ci = { .gen = bpf_ktime_get_ns(), .role = role, .ns_tgid = current_ns_tgid(), .excl_epoch = current_excluded_epoch() };
	emit_conn(PL_EV_CONN_OPEN, 0, pid_tgid, fd, &ci, sk); /* also records the addresses in ci */
	bpf_map_update_elem(&conns, &key, &ci, BPF_ANY);
	bpf_map_delete_elem(&nonsock, &key);
}

/* The connection for data on fd: known, or first seen mid-stream (then created), or NULL for non-TCP fds. */
static __always_inline struct conn_info *conn_for_data(__u64 pid_tgid, __s32 fd)
{
	__u64 key = conn_key(pid_tgid >> 32, fd);
	struct conn_info *ci = bpf_map_lookup_elem(&conns, &key);
	if (ci)
		return ci;
	if (bpf_map_lookup_elem(&nonsock, &key))
		return NULL;
	struct sock *sk = tcp_sock_of_fd(fd);
	if (!sk) {
		__u8 one = 1;
		bpf_map_update_elem(&nonsock, &key, &one, BPF_ANY);
		count(PL_STAT_NONSOCK);
		return NULL;
	}
	if (exclude_sock(key, sk))
		return NULL;
	struct conn_info fresh = { .gen = bpf_ktime_get_ns(), .role = PL_ROLE_UNKNOWN, .ns_tgid = current_ns_tgid(), .excl_epoch = current_excluded_epoch() };
	bpf_map_update_elem(&conns, &key, &fresh, BPF_NOEXIST);
	ci = bpf_map_lookup_elem(&conns, &key);
	if (ci)
		emit_conn(PL_EV_CONN_OPEN, PL_F_MIDSTREAM, pid_tgid, fd, ci, sk);
	return ci;
}

/* ---- data syscalls: one program at the exit of each ----
 * The arguments are read from the registers the syscall entry saved (task_pt_regs; the kernel leaves the argument
 * registers in place, only the return value is written): no program at the entry, and no per-thread map to carry
 * the arguments from entry to exit. Measured on nginx: the enter programs and the hash map they updated were a
 * third of our per-request cost. The price: a DATA event's entry time is its exit time. */

/* The first four syscall arguments. */
struct sys_args {
	__u64 a[4];
};

/* From the current task's saved registers: bpf_task_pt_regs returns a trusted BTF pointer, so these are plain
 * (fault-checked) loads, not a probe-read helper call each. */
static __always_inline struct sys_args task_sys_args(void)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	struct sys_args a = { .a = { PT_REGS_PARM1_SYSCALL(regs), PT_REGS_PARM2_SYSCALL(regs), PT_REGS_PARM3_SYSCALL(regs), PT_REGS_PARM4_SYSCALL(regs) } };
	return a;
}

/* From a raw tracepoint's untyped pt_regs pointer: probe reads. */
static __always_inline struct sys_args raw_sys_args(struct pt_regs *regs)
{
	struct sys_args a = { .a = { PT_REGS_PARM1_CORE_SYSCALL(regs), PT_REGS_PARM2_CORE_SYSCALL(regs), PT_REGS_PARM3_CORE_SYSCALL(regs), PT_REGS_PARM4_CORE_SYSCALL(regs) } };
	return a;
}

static __always_inline __u32 copy_plain(struct data_scratch *s, __u64 buf, __u32 len)
{
	__u32 n = len;
	if (n > capture_size)
		n = capture_size;
	if (n > PL_CAPTURE_MAX)
		n = PL_CAPTURE_MAX;
	bound(n);
	n &= PAYLOAD_MASK;
	if (n == 0)
		return 0;
	if (bpf_probe_read_user(s->payload, n, (void *)buf) != 0) {
		count(PL_STAT_READ_FAIL);
		return 0;
	}
	return n;
}

static __always_inline __u32 copy_iov(struct data_scratch *s, __u64 iovp, __u32 iovcnt, __u32 len)
{
	__u32 want = len;
	if (want > capture_size)
		want = capture_size;
	if (want > PL_CAPTURE_MAX)
		want = PL_CAPTURE_MAX;
	__u32 copied = 0;
	for (int i = 0; i < IOV_MAX_WALK; i++) {
		if (i >= iovcnt || copied >= want)
			break;
		struct iovec iov = {};
		if (bpf_probe_read_user(&iov, sizeof(iov), (void *)(iovp + i * sizeof(struct iovec))) != 0)
			break;
		__u32 n = want - copied;
		if (iov.iov_len < n)
			n = iov.iov_len;
		__u32 off = copied;
		bound(off);
		off &= (PL_CAPTURE_MAX - 1);
		bound(n);
		n &= PAYLOAD_MASK;
		if (n == 0 || n > PL_CAPTURE_MAX)
			continue;
		if (bpf_probe_read_user(&s->payload[off], n, iov.iov_base) != 0) {
			count(PL_STAT_READ_FAIL);
			break;
		}
		copied += n;
	}
	return copied;
}

static __always_inline int data_exit(struct sys_args args, long ret, __u8 direction, __u8 kind, __u8 source)
{
	/* The caller checked ret > 0 and that the process is traced. */
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__s32 fd = (__s32)args.a[0];
	__u64 buf = 0;
	__u32 iovcnt = 0;
	if (kind == ARG_PLAIN) {
		/* A peek (Kestrel peeks one byte of every new connection) reads the same bytes again later: not stream data. */
		if (source == PL_SRC_RECVFROM && (args.a[3] & MSG_PEEK))
			return 0;
		buf = args.a[1];
	} else if (kind == ARG_IOV) {
		buf = args.a[1];
		iovcnt = (__u32)args.a[2];
	} else if (kind == ARG_MSG) {
		/* recvmsg/sendmsg: the iovec array lives in the user's msghdr. */
		if (source == PL_SRC_RECVMSG && (args.a[2] & MSG_PEEK))
			return 0;
		struct user_msghdr h = {};
		if (bpf_probe_read_user(&h, sizeof(h), (void *)args.a[1]) != 0)
			return 0;
		buf = (__u64)h.msg_iov;
		iovcnt = (__u32)h.msg_iovlen;
		kind = ARG_IOV;
	}

	struct conn_info *ci = conn_for_data(pid_tgid, fd);
	if (!ci)
		return 0;
	/* The exclusion set can grow after the connection was first seen (the collector binds its ports later). */
	__u32 epoch = current_excluded_epoch();
	if (ci->excl_epoch != epoch) {
		if (ci->has_addr && port_excluded(ci->lport, ci->rport))
			return 0;
		ci->excl_epoch = epoch;
	}
	__u64 pos;
	if (direction == PL_DIR_INGRESS) {
		pos = ci->rd_pos;
		ci->rd_pos += ret;
	} else {
		pos = ci->wr_pos;
		ci->wr_pos += ret;
	}

	__u32 zero = 0;
	struct data_scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 0;
	__u32 cap = 0;
	__u8 flags = 0;
	if (kind == ARG_PLAIN)
		cap = copy_plain(s, buf, (__u32)ret);
	else if (kind == ARG_IOV)
		cap = copy_iov(s, buf, iovcnt, (__u32)ret);
	else
		flags |= PL_F_NO_PAYLOAD;
	if (cap < (__u64)ret) {
		flags |= PL_F_TRUNCATED;
		count(PL_STAT_TRUNCATED);
	}

	__u64 now = bpf_ktime_get_ns();
	fill_header(&s->ev.hdr, PL_EV_DATA, pid_tgid, ci->ns_tgid, fd, ci->gen, now);
	s->ev.hdr.flags = flags;
	s->ev.ts_exit_ns = now;
	s->ev.stream_pos = pos;
	s->ev.total_len = (__u32)ret;
	s->ev.cap_len = cap;
	s->ev.direction = direction;
	s->ev.role = ci->role;
	s->ev.source = source;
	s->ev._pad1 = 0;
	s->ev._pad2 = 0;

	bound(cap);
	cap &= PAYLOAD_MASK;
	__u64 size = sizeof(struct pl_data_event) + cap;
	if (size > sizeof(struct data_scratch))
		return 0;
	if (bpf_ringbuf_output(&events, s, size, rb_output_flags(size)) != 0)
		count(PL_STAT_RINGBUF_FAIL);
	else
		count(PL_STAT_RINGBUF_OK);
	return 0;
}

/* ---- connection lifecycle ---- */

static __always_inline int accept_exit(long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (ret < 0 || !traced(pid_tgid >> 32))
		return 0;
	open_conn(pid_tgid, (__s32)ret, PL_ROLE_SERVER);
	return 0;
}

static __always_inline int connect_exit(struct sys_args args, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((ret != 0 && ret != -EINPROGRESS) || !traced(pid_tgid >> 32))
		return 0;
	open_conn(pid_tgid, (__s32)args.a[0], PL_ROLE_CLIENT);
	return 0;
}

static __always_inline int close_enter(__s32 fd)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!traced(pid_tgid >> 32))
		return 0;
	__u64 key = conn_key(pid_tgid >> 32, fd);
	bpf_map_delete_elem(&nonsock, &key);
	struct conn_info *ci = bpf_map_lookup_elem(&conns, &key);
	if (!ci)
		return 0;
	struct conn_info copy = *ci;
	bpf_map_delete_elem(&conns, &key);
	emit_conn(PL_EV_CONN_CLOSE, 0, pid_tgid, fd, &copy, tcp_sock_of_fd(fd));
	return 0;
}

/* A socket entering LISTEN: discovery's open_ports selector may now match this process. */
static __always_inline int listen_state(int newstate, int protocol, __u16 sport)
{
	if (newstate != TCP_LISTEN || protocol != 6 /* IPPROTO_TCP */)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((pid_tgid >> 32) == self_tgid)
		return 0;
	struct pl_proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(PL_STAT_RINGBUF_FAIL);
		return 0;
	}
	fill_header(&e->hdr, PL_EV_LISTEN, pid_tgid, current_ns_tgid(), -1, 0, bpf_ktime_get_ns());
	e->parent_tid = 0;
	e->port = sport;
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	count(PL_STAT_RINGBUF_OK);
	return 0;
}

/* ---- processes ---- */

static __always_inline void emit_proc(__u8 kind, __u8 flags, __u64 pid_tgid, __u32 parent_tid)
{
	struct pl_proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(PL_STAT_RINGBUF_FAIL);
		return;
	}
	fill_header(&e->hdr, kind, pid_tgid, current_ns_tgid(), -1, 0, bpf_ktime_get_ns());
	e->hdr.flags = flags;
	e->parent_tid = parent_tid;
	e->port = 0;
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	count(PL_STAT_RINGBUF_OK);
}

/* Every exec is reported (rare, and discovery needs to see new programs). */
static __always_inline int on_exec(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((pid_tgid >> 32) == self_tgid)
		return 0;
	emit_proc(PL_EV_PROC_EXEC, 0, pid_tgid, 0);
	return 0;
}

static __always_inline int on_exit(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (!traced(tgid))
		return 0;
	emit_proc(PL_EV_PROC_EXIT, tgid == (__u32)pid_tgid ? PL_F_GROUP_EXIT : 0, pid_tgid, 0);
	return 0;
}

/* Runs in the parent: the child is a new thread of this process or a new process (then user space decides). */
static __always_inline int on_fork(__u32 parent_pid, __u32 child_pid)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!traced(pid_tgid >> 32))
		return 0;
	__u64 child_pid_tgid = (pid_tgid & 0xffffffff00000000ULL) | child_pid;
	emit_proc(PL_EV_PROC_FORK, 0, child_pid_tgid, parent_pid);
	return 0;
}

/* ==== Attachment set 1: syscall tracepoints (need tracefs for their ids). The loader loads this set by default. ==== */

/* Every process's reads and writes reach these programs: leave after the pid check, before touching anything else. */
static __always_inline int tp_data_exit(long ret, __u8 direction, __u8 kind, __u8 source)
{
	if (ret <= 0 || !traced(bpf_get_current_pid_tgid() >> 32))
		return 0;
	return data_exit(task_sys_args(), ret, direction, kind, source);
}

SEC("tracepoint/syscalls/sys_exit_read")
int exit_read(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_INGRESS, ARG_PLAIN, PL_SRC_READ);
}

SEC("tracepoint/syscalls/sys_exit_readv")
int exit_readv(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_INGRESS, ARG_IOV, PL_SRC_READV);
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int exit_recvfrom(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_INGRESS, ARG_PLAIN, PL_SRC_RECVFROM);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_INGRESS, ARG_MSG, PL_SRC_RECVMSG);
}

SEC("tracepoint/syscalls/sys_exit_write")
int exit_write(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_EGRESS, ARG_PLAIN, PL_SRC_WRITE);
}

SEC("tracepoint/syscalls/sys_exit_writev")
int exit_writev(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_EGRESS, ARG_IOV, PL_SRC_WRITEV);
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int exit_sendto(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_EGRESS, ARG_PLAIN, PL_SRC_SENDTO);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int exit_sendmsg(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_EGRESS, ARG_MSG, PL_SRC_SENDMSG);
}

/* sendfile(out_fd, in_fd, offset, count): file bytes go to the socket; counted, never copied. */
SEC("tracepoint/syscalls/sys_exit_sendfile64")
int exit_sendfile(struct trace_event_raw_sys_exit *ctx)
{
	return tp_data_exit(ctx->ret, PL_DIR_EGRESS, ARG_NONE, PL_SRC_SENDFILE);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return accept_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return accept_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_connect")
int exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	return connect_exit(task_sys_args(), ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_close")
int enter_close(struct trace_event_raw_sys_enter *ctx)
{
	return close_enter((__s32)ctx->args[0]);
}

SEC("tracepoint/sock/inet_sock_set_state")
int sock_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	return listen_state(ctx->newstate, ctx->protocol, ctx->sport);
}

SEC("tracepoint/sched/sched_process_exec")
int proc_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	return on_exec();
}

SEC("tracepoint/sched/sched_process_exit")
int proc_exit(struct trace_event_raw_sched_process_template *ctx)
{
	return on_exit();
}

SEC("tracepoint/sched/sched_process_fork")
int proc_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	return on_fork((__u32)ctx->parent_pid, (__u32)ctx->child_pid);
}

/* ==== Attachment set 2: raw tracepoints (attached by name through BPF_RAW_TRACEPOINT_OPEN, no tracefs needed).
 * The loader loads this set instead when tracefs is missing and cannot be mounted. sys_enter/sys_exit fire for every
 * syscall on the machine, so they dispatch on the syscall number before anything else. ==== */

#if defined(__TARGET_ARCH_x86)
#define NR_read 0
#define NR_write 1
#define NR_close 3
#define NR_readv 19
#define NR_writev 20
#define NR_sendfile 40
#define NR_connect 42
#define NR_accept 43
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_accept4 288
/* sys_exit's regs: the syscall number survives in orig_ax. */
#define SYSCALL_NR(regs) BPF_CORE_READ((struct pt_regs *)(regs), orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define NR_close 57
#define NR_read 63
#define NR_write 64
#define NR_readv 65
#define NR_writev 66
#define NR_sendfile 71
#define NR_accept 202
#define NR_connect 203
#define NR_sendto 206
#define NR_recvfrom 207
#define NR_sendmsg 211
#define NR_recvmsg 212
#define NR_accept4 242
#define SYSCALL_NR(regs) BPF_CORE_READ((struct pt_regs *)(regs), syscallno)
#else
#error "raw syscall tracepoints: add this architecture's syscall numbers"
#endif

/* sys_enter(struct pt_regs *regs, long id): only close() needs its entry (its fd is free for reuse at exit). */
SEC("raw_tracepoint/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if ((long)ctx->args[1] != NR_close)
		return 0;
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	return close_enter((__s32)PT_REGS_PARM1_CORE_SYSCALL(regs));
}

/* sys_exit(struct pt_regs *regs, long ret) */
static __always_inline int raw_data_exit(struct pt_regs *regs, long ret, __u8 direction, __u8 kind, __u8 source)
{
	if (ret <= 0 || !traced(bpf_get_current_pid_tgid() >> 32))
		return 0;
	return data_exit(raw_sys_args(regs), ret, direction, kind, source);
}

SEC("raw_tracepoint/sys_exit")
int raw_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long ret = (long)ctx->args[1];
	__u8 direction = PL_DIR_INGRESS, kind = ARG_PLAIN, source;
	/* One call site for the data handler (inlined once: nine copies exceed the verifier's program size). */
	switch (SYSCALL_NR(regs)) {
	case NR_read: source = PL_SRC_READ; break;
	case NR_readv: kind = ARG_IOV; source = PL_SRC_READV; break;
	case NR_recvfrom: source = PL_SRC_RECVFROM; break;
	case NR_recvmsg: kind = ARG_MSG; source = PL_SRC_RECVMSG; break;
	case NR_write: direction = PL_DIR_EGRESS; source = PL_SRC_WRITE; break;
	case NR_writev: direction = PL_DIR_EGRESS; kind = ARG_IOV; source = PL_SRC_WRITEV; break;
	case NR_sendto: direction = PL_DIR_EGRESS; source = PL_SRC_SENDTO; break;
	case NR_sendmsg: direction = PL_DIR_EGRESS; kind = ARG_MSG; source = PL_SRC_SENDMSG; break;
	case NR_sendfile: direction = PL_DIR_EGRESS; kind = ARG_NONE; source = PL_SRC_SENDFILE; break;
	case NR_accept:
	case NR_accept4:
		return accept_exit(ret);
	case NR_connect:
		return connect_exit(raw_sys_args(regs), ret);
	default:
		return 0;
	}
	return raw_data_exit(regs, ret, direction, kind, source);
}

/* inet_sock_set_state(const struct sock *sk, int oldstate, int newstate) */
SEC("raw_tp/inet_sock_set_state")
int raw_sock_state(struct bpf_raw_tracepoint_args *ctx)
{
	struct sock *sk = (struct sock *)ctx->args[0];
	return listen_state((int)ctx->args[2], BPF_CORE_READ(sk, sk_protocol), BPF_CORE_READ(sk, __sk_common.skc_num));
}

/* sched_process_exec(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) */
SEC("raw_tp/sched_process_exec")
int raw_proc_exec(struct bpf_raw_tracepoint_args *ctx)
{
	return on_exec();
}

/* sched_process_exit(struct task_struct *p, ...) */
SEC("raw_tp/sched_process_exit")
int raw_proc_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return on_exit();
}

/* sched_process_fork(struct task_struct *parent, struct task_struct *child) */
SEC("raw_tp/sched_process_fork")
int raw_proc_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	return on_fork(BPF_CORE_READ(parent, pid), BPF_CORE_READ(child, pid));
}
