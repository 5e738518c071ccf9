// Minimal Kestrel app for the eBPF overhead benchmark: GET / answers 200 "ok" (text/plain), like the nginx row's
// `return 200 "ok"`. usage: kestrel-app PORT (listens on 127.0.0.1:PORT, HTTP/1.1 only).
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

int port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 18081;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1);
});
var app = builder.Build();
app.MapGet("/", () => Results.Text("ok"));
app.Run();
