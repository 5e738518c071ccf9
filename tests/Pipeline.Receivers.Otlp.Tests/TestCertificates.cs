using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Receivers.Otlp.Tests;

/// <summary>Self-signed certificates for 127.0.0.1, written to temporary PEM files.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("otlp-tls-").FullName;

    public TestCertificates()
    {
        (Server, ServerCertFile, ServerKeyFile) = Create("server", serverAuth: true);
        (Client, ClientCertFile, ClientKeyFile) = Create("client", serverAuth: false);
    }

    public X509Certificate2 Server { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public X509Certificate2 Client { get; }

    public string ClientCertFile { get; }

    public string ClientKeyFile { get; }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private (X509Certificate2 Certificate, string CertFile, string KeyFile) Create(string name, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: !serverAuth, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string certFile = Path.Combine(_directory, name + ".crt");
        string keyFile = Path.Combine(_directory, name + ".key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        var withKey = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        return (withKey, certFile, keyFile);
    }
}
