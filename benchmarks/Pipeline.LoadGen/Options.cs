using System.Globalization;

namespace Pipeline.LoadGen;

/// <summary>Command-line options; every one has a default so <c>loadgen</c> alone sends 10 s of traces over gRPC.</summary>
internal sealed class Options
{
    public string Endpoint { get; set; } = "http://127.0.0.1:4317";
    public string Protocol { get; set; } = "grpc";           // grpc | http
    public string Signal { get; set; } = "traces";            // traces | metrics | logs
    public int Connections { get; set; } = 2;
    public int Concurrency { get; set; } = 16;                // requests in flight in total
    public double Seconds { get; set; } = 10;
    public double Rate { get; set; }                          // items/s in total; 0 = flat out
    public int ItemsPerRequest { get; set; } = 100;
    public int AttributesPerItem { get; set; } = 10;
    public int AttributeSize { get; set; } = 16;
    public int Resources { get; set; } = 1;                   // resources per request
    public int Scopes { get; set; } = 1;                      // scopes per resource
    public int Distinct { get; set; } = 16;                   // distinct pre-built requests cycled through
    public string? Dump { get; set; }                          // write the first request to this file and exit

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double NextDouble() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (a)
            {
                case "--endpoint": o.Endpoint = Next(); break;
                case "--protocol": o.Protocol = Next(); break;
                case "--signal": o.Signal = Next(); break;
                case "--connections": o.Connections = NextInt(); break;
                case "--concurrency": o.Concurrency = NextInt(); break;
                case "--seconds": o.Seconds = NextDouble(); break;
                case "--rate": o.Rate = NextDouble(); break;
                case "--items": o.ItemsPerRequest = NextInt(); break;
                case "--attributes": o.AttributesPerItem = NextInt(); break;
                case "--attribute-size": o.AttributeSize = NextInt(); break;
                case "--resources": o.Resources = NextInt(); break;
                case "--scopes": o.Scopes = NextInt(); break;
                case "--distinct": o.Distinct = NextInt(); break;
                case "--dump": o.Dump = Next(); break;
                case "-h" or "--help": throw new HelpRequested();
                default: throw new ArgumentException($"Unknown option {a}; see --help.");
            }
        }

        if (o.Protocol is not ("grpc" or "http"))
        {
            throw new ArgumentException($"--protocol must be grpc or http, got {o.Protocol}.");
        }

        if (o.Signal is not ("traces" or "metrics" or "logs"))
        {
            throw new ArgumentException($"--signal must be traces, metrics or logs, got {o.Signal}.");
        }

        if (o.Seconds <= 0 || o.Seconds > 3600)
        {
            throw new ArgumentException("--seconds must be in (0, 3600]: load runs are bounded.");
        }

        return o;
    }

    public const string Usage = """
        loadgen — OTLP load generator
          --endpoint URL        http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318 (HTTP; /v1/<signal> is appended)
          --protocol grpc|http  default grpc
          --signal traces|metrics|logs
          --connections N       HTTP/2 connections (gRPC) or HTTP/1.1 connections, default 2
          --concurrency N       requests in flight in total, default 16
          --seconds S           run time (bounded, default 10)
          --rate R              target items/s in total (0 = flat out, default)
          --items N             spans / data points / log records per request, default 100
          --attributes N        attributes per item, default 10
          --attribute-size N    bytes per string attribute value, default 16
          --resources N, --scopes N   resource and scope mix per request, default 1 and 1
          --dump FILE           write the first request gRPC-framed to FILE and as bare protobuf to FILE.pb
                                (bodies for h2load), then exit without sending
        Prints accepted items/s, refused and failed counts, and client-side latency p50/p99/p999.
        """;
}

/// <summary>Thrown for --help.</summary>
internal sealed class HelpRequested : Exception
{
}
