// Kestrel on 127.0.0.1:<first argument>, plain HTTP/1.1: /ok, /status/{code}, /big (1 MiB), /echo (POST body back).
using Microsoft.AspNetCore.Server.Kestrel.Core;

int port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
byte[] big = new byte[1 << 20];
Array.Fill(big, (byte)'b');

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1));
var app = builder.Build();

app.MapGet("/ok", () => Results.Text("ok\n"));
app.MapGet("/status/{code:int}", (int code) => Results.Text("status " + code + "\n", statusCode: code));
app.MapGet("/big", () => Results.Bytes(big, "application/octet-stream"));
app.MapPost("/echo", async (HttpRequest request) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body);
    return Results.Bytes(body.ToArray(), "application/octet-stream");
});

app.Run();
