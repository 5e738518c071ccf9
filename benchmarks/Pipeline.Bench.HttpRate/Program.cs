// httprate — open-loop HTTP/1.1 keep-alive GET client at a fixed total rate, for a bounded time.
//
// usage: httprate URL RATE SECONDS [CONNECTIONS]   e.g. httprate http://127.0.0.1:18080/ 10000 10 16
//
// Each connection has its own thread and blocking socket (TCP_NODELAY). Request k of connection c is due at
// start + (k * CONNECTIONS + c) / RATE; the thread sleeps until then with clock_nanosleep (timer slack set to
// 1 ns), sends, and reads the response (Content-Length or chunked). Two latencies per request:
//   service   = send → last byte of the response (what wrk reports);
//   scheduled = due time → last byte (wrk2's correction for coordinated omission: a late send counts as latency).
// A server that cannot keep up is given 2 s past the schedule; requests still unsent then are counted as not sent.
// Prints one line per figure; the exit code is 1 when any request failed.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipeline.Bench.HttpRate;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: httprate URL RATE SECONDS [CONNECTIONS]");
    return 2;
}

var ci = CultureInfo.InvariantCulture;
var uri = new Uri(args[0]);
double rate = double.Parse(args[1], ci);
double seconds = double.Parse(args[2], ci);
int connections = args.Length > 3 ? int.Parse(args[3], ci) : 16;
if (rate <= 0 || seconds <= 0 || seconds > 3600 || connections < 1)
{
    Console.Error.WriteLine("RATE must be > 0, SECONDS in (0, 3600], CONNECTIONS >= 1.");
    return 2;
}

Native.SetTimerSlack();
byte[] request = Encoding.ASCII.GetBytes($"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\n\r\n");
var endpoint = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
int perConnection = (int)Math.Ceiling(rate * seconds / connections);
var workers = new Worker[connections];
for (int c = 0; c < connections; c++)
{
    workers[c] = new Worker(endpoint, request, perConnection);
}

long startNs = Native.MonotonicNs() + 200_000_000; // connect everything first, then start together
double intervalNs = 1e9 / rate;
var threads = new Thread[connections];
for (int c = 0; c < connections; c++)
{
    var w = workers[c];
    int index = c;
    threads[c] = new Thread(() => w.Run(startNs, index, connections, intervalNs)) { IsBackground = true };
    threads[c].Start();
}

foreach (var t in threads)
{
    t.Join();
}

long endNs = 0, ok = 0, failed = 0, non2xx = 0, notSent = 0;
var service = new List<long>();
var scheduled = new List<long>();
foreach (var w in workers)
{
    endNs = Math.Max(endNs, w.EndNs);
    ok += w.Ok;
    failed += w.Failed;
    non2xx += w.Non2xx;
    notSent += w.NotSent;
    for (int i = 0; i < w.Count; i++)
    {
        service.Add(w.Service[i]);
        scheduled.Add(w.Scheduled[i]);
    }
}

service.Sort();
scheduled.Sort();
double elapsed = (endNs - startNs) / 1e9;
static double P(List<long> l, double q) => l.Count == 0 ? double.NaN : l[Math.Min(l.Count - 1, (int)(q * l.Count))] / 1000.0;
Console.WriteLine(string.Format(ci, "target {0:F0} req/s over {1} connections for {2:F1} s: {3} ok, {4} non-2xx, {5} failed", rate, connections, seconds, ok, non2xx, failed));
Console.WriteLine(string.Format(ci, "achieved {0:F0} req/s ({1} not sent: the server fell more than 2 s behind)", (ok + non2xx) / elapsed, notSent));
Console.WriteLine(string.Format(ci, "service latency us p50 {0:F1} p99 {1:F1} p999 {2:F1} max {3:F1}", P(service, 0.5), P(service, 0.99), P(service, 0.999), P(service, 1)));
Console.WriteLine(string.Format(ci, "scheduled latency us p50 {0:F1} p99 {1:F1} p999 {2:F1} max {3:F1}", P(scheduled, 0.5), P(scheduled, 0.99), P(scheduled, 0.999), P(scheduled, 1)));
return failed > 0 ? 1 : 0;
