using Pipeline.Receivers.Ebpf.Http;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Tests.Tracking;

/// <summary>Records what a parser reports.</summary>
internal sealed class RecordingSink : IExchangeSink
{
    public List<HttpRequest> Started { get; } = [];

    public List<(HttpRequest Request, HttpResponse? Response)> Completed { get; } = [];

    public List<HttpRequest> Dropped { get; } = [];

    public void OnRequestStarted(Connection connection, HttpRequest request) => Started.Add(request);

    public void OnExchangeCompleted(Connection connection, HttpRequest request, HttpResponse? response) => Completed.Add((request, response));

    public void OnRequestDropped(Connection connection, HttpRequest request) => Dropped.Add(request);
}
