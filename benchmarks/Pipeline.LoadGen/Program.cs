using System.Diagnostics;
using System.Globalization;
using Pipeline.LoadGen;

Options o;
try
{
    o = Options.Parse(args);
}
catch (HelpRequested)
{
    Console.WriteLine(Options.Usage);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine("Error: " + e.Message);
    return 2;
}

var bodies = RequestFactory.Build(o);
if (o.Dump is not null)
{
    // gRPC length-prefixed message: 1 byte compressed flag (0), 4 bytes big-endian length, then the protobuf.
    var framed = new byte[bodies[0].Length + 5];
    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), bodies[0].Length);
    bodies[0].CopyTo(framed, 5);
    File.WriteAllBytes(o.Dump, framed);
    File.WriteAllBytes(o.Dump + ".pb", bodies[0]);
    return 0;
}

using ISender sender = o.Protocol == "grpc" ? new GrpcSender(o) : new HttpSender(o);
long accepted = 0, refused = 0, failed = 0, requests = 0;
var latencies = new List<double>[o.Concurrency];
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(o.Seconds));
var clock = Stopwatch.StartNew();

// Rate limiting: each worker owns an equal share of the target rate and paces itself against the clock.
double requestsPerSecondPerWorker = o.Rate > 0 ? o.Rate / o.ItemsPerRequest / o.Concurrency : 0;

async Task Worker(int w)
{
    var mine = latencies[w] = new List<double>(1 << 16);
    long sent = 0;
    while (!stop.IsCancellationRequested)
    {
        if (requestsPerSecondPerWorker > 0)
        {
            double due = sent / requestsPerSecondPerWorker;
            double wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        var body = bodies[(w + sent) % bodies.Length];
        long t0 = Stopwatch.GetTimestamp();
        Outcome outcome;
        try
        {
            outcome = await sender.SendAsync(body, CancellationToken.None);
        }
        catch (Exception)
        {
            outcome = Outcome.Failed;
        }

        mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        sent++;
        Interlocked.Increment(ref requests);
        switch (outcome)
        {
            case Outcome.Accepted: Interlocked.Add(ref accepted, o.ItemsPerRequest); break;
            case Outcome.Refused: Interlocked.Add(ref refused, o.ItemsPerRequest); break;
            default: Interlocked.Add(ref failed, o.ItemsPerRequest); break;
        }
    }
}

var workers = new Task[o.Concurrency];
for (int w = 0; w < workers.Length; w++)
{
    int id = w;
    workers[w] = Task.Run(() => Worker(id));
}

await Task.WhenAll(workers);
double elapsed = clock.Elapsed.TotalSeconds;
var all = new List<double>();
foreach (var l in latencies)
{
    all.AddRange(l);
}

all.Sort();
double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
var ci = CultureInfo.InvariantCulture;
Console.WriteLine(string.Format(ci, "{0} {1} over {2}: {3} requests of {4} items in {5:F1} s", o.Signal, o.Protocol, o.Endpoint, requests, o.ItemsPerRequest, elapsed));
Console.WriteLine(string.Format(ci, "accepted {0:F0} items/s ({1} items), refused {2}, failed {3}", accepted / elapsed, accepted, refused, failed));
Console.WriteLine(string.Format(ci, "latency ms p50 {0:F3} p99 {1:F3} p999 {2:F3}", P(0.5), P(0.99), P(0.999)));
return failed > 0 ? 1 : 0;
