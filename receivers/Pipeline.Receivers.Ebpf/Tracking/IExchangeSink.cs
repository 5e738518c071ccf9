using Pipeline.Receivers.Ebpf.Http;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>Where parsers report what they found on a connection (span assembly implements it).</summary>
internal interface IExchangeSink
{
    /// <summary>A request's head is complete (its start time, thread and context are known): ids are assigned now,
    /// so client→server joins and in-process parents can be found before either side completes.</summary>
    void OnRequestStarted(Connection connection, HttpRequest request);

    /// <summary>A request is finished: <paramref name="response"/> is null when the connection ended without one.</summary>
    void OnExchangeCompleted(Connection connection, HttpRequest request, HttpResponse? response);

    /// <summary>A request that was started will never complete (its response was lost in a gap): forget it.</summary>
    void OnRequestDropped(Connection connection, HttpRequest request);
}
