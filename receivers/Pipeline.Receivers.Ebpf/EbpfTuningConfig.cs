using Pipeline.Abstractions.Configuration;
using Pipeline.Receivers.Ebpf.Loader;

namespace Pipeline.Receivers.Ebpf;

/// <summary>The <c>ebpf</c> section: kernel-side capture and hand-off knobs (OBI keeps its knobs under <c>ebpf</c> too).</summary>
public sealed class EbpfTuningConfig
{
    /// <summary>Largest <c>capture_size</c>: PL_CAPTURE_MAX in bpf/include/pipeline/event.h (the per-CPU scratch is 32 KiB at most).</summary>
    public const int MaxCaptureSize = 8192;

    /// <summary><c>capture_size</c>: bytes of each read or write copied to user space (request line and headers must
    /// fit; bodies are counted, not needed). Default: 4096; 64 to 8192.</summary>
    public int CaptureSize { get; set; } = 4096;

    /// <summary><c>ringbuf_size</c>: ring buffer bytes shared by all CPUs; a power of two, at least one 4 KiB page.
    /// Default: 16 MiB (peak MB/s × 100 ms stall × 2, see bpf/README.md).</summary>
    public long RingbufSize { get; set; } = 16 * 1024 * 1024;

    /// <summary><c>wakeup_bytes</c>: the reader is woken each time the queued bytes cross another multiple of this
    /// (0 wakes it on every event); it also polls every 100 ms, so quiet traffic is never held back longer. Default: unset, which means
    /// <see cref="DefaultWakeupBytes"/> or an eighth of <c>ringbuf_size</c>, whichever is smaller (see
    /// <see cref="EffectiveWakeupBytes"/>). Waking on every event cost the traced server about a microsecond per
    /// event (the kernel's wake-up) and the collector a thread hand-off per event (BENCHMARKS.md).</summary>
    public long? WakeupBytes { get; set; }

    /// <summary>The wake-up threshold when <c>wakeup_bytes</c> is not set: 64 KiB.</summary>
    public const long DefaultWakeupBytes = 64 * 1024;

    /// <summary>The threshold in force: <see cref="WakeupBytes"/> when set, else the smaller of
    /// <see cref="DefaultWakeupBytes"/> and an eighth of <see cref="RingbufSize"/>.</summary>
    public long EffectiveWakeupBytes => WakeupBytes ?? Math.Min(DefaultWakeupBytes, RingbufSize / 8);

    /// <summary><c>channel_capacity</c>: events queued between the ring-buffer thread and processing; beyond it events
    /// are dropped and counted. Default: 65536.</summary>
    public int ChannelCapacity { get; set; } = 65536;

    /// <summary><c>batch_length</c> (Beyla's key and default): assembled spans are pushed to the traces pipeline as
    /// soon as this many have completed, without waiting for <see cref="BatchTimeout"/>. Default: 100.</summary>
    public int BatchLength { get; set; } = 100;

    /// <summary><c>batch_timeout</c>: the longest a completed span waits before it is pushed to the traces pipeline
    /// when fewer than <see cref="BatchLength"/> are ready. Default: 1s.</summary>
    public TimeSpan BatchTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>metrics_interval</c>: how often the RED histograms are pushed to the metrics pipeline (OBI's
    /// <c>otel_metrics_export.interval</c>). Default: 60s.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>attach_mode</c>: <c>auto</c> attaches syscall tracepoints and falls back to raw tracepoints when
    /// tracefs is missing and cannot be mounted (or a tracepoint cannot be attached for want of it);
    /// <c>tracepoint</c> never falls back; <c>raw_tracepoint</c> always uses raw tracepoints (no tracefs needed; the
    /// sys_enter/sys_exit programs then run on every syscall of the machine). Default: <c>auto</c>.</summary>
    public string AttachMode { get; set; } = AttachModes.Auto;

    /// <summary>Reads the section.</summary>
    public void Bind(ConfigSection section)
    {
        CaptureSize = section.GetInt32("capture_size", CaptureSize);
        RingbufSize = section.GetInt64("ringbuf_size", RingbufSize);
        if (section.Has("wakeup_bytes"))
        {
            WakeupBytes = section.GetInt64("wakeup_bytes", 0, min: 0);
        }

        ChannelCapacity = section.GetInt32("channel_capacity", ChannelCapacity);
        BatchLength = section.GetInt32("batch_length", BatchLength);
        BatchTimeout = section.GetDuration("batch_timeout", BatchTimeout);
        MetricsInterval = section.GetDuration("metrics_interval", MetricsInterval);
        AttachMode = section.GetEnum("attach_mode", AttachMode, AttachModes.All);
        section.Finish();
    }

    /// <summary>Checks ranges.</summary>
    public void Validate(ValidationErrors errors)
    {
        if (CaptureSize < 64 || CaptureSize > MaxCaptureSize)
        {
            errors.Add("capture_size", $"{CaptureSize} must be between 64 and {MaxCaptureSize}.");
        }

        if (RingbufSize < 4096 || RingbufSize > (1L << 30) || (RingbufSize & (RingbufSize - 1)) != 0)
        {
            errors.Add("ringbuf_size", $"{RingbufSize} must be a power of two between 4096 and 1073741824.");
        }

        if (WakeupBytes is { } wakeup && wakeup >= RingbufSize)
        {
            errors.Add("wakeup_bytes", $"{WakeupBytes} must be less than ringbuf_size ({RingbufSize}).");
        }

        if (ChannelCapacity < 1)
        {
            errors.Add("channel_capacity", $"{ChannelCapacity} must be positive.");
        }

        if (BatchLength < 1)
        {
            errors.Add("batch_length", $"{BatchLength} must be at least 1.");
        }

        if (BatchTimeout <= TimeSpan.Zero)
        {
            errors.Add("batch_timeout", $"\"{GoDuration.Format(BatchTimeout)}\" must be positive.");
        }

        if (MetricsInterval <= TimeSpan.Zero)
        {
            errors.Add("metrics_interval", $"\"{GoDuration.Format(MetricsInterval)}\" must be positive.");
        }
    }
}
