using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Pipeline.Receivers.Otlp.Config;

namespace Pipeline.Receivers.Otlp;

/// <summary>
/// A server's TLS from <see cref="TlsServerConfig"/>: loads the certificate and key (PEM files or inline), re-reads the
/// files every <c>reload_interval</c>, and checks client certificates against <c>client_ca_file</c> when set.
/// </summary>
internal sealed class TlsCertificateSource
{
    private readonly TlsServerConfig _config;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private X509Certificate2 _certificate;
    private DateTimeOffset _loadedAt;
    private X509Certificate2Collection? _clientCas;
    private DateTime _clientCaWritten;

    /// <summary>Loads the certificate now, so a bad file fails the receiver's start.</summary>
    public TlsCertificateSource(TlsServerConfig config, TimeProvider time)
    {
        _config = config;
        _time = time;
        _certificate = LoadCertificate();
        _loadedAt = time.GetUtcNow();
        if (config.ClientCaFile.Length > 0)
        {
            _clientCas = LoadClientCas();
        }
    }

    /// <summary>The Kestrel HTTPS options for a listener.</summary>
    public HttpsConnectionAdapterOptions CreateOptions()
    {
        var options = new HttpsConnectionAdapterOptions
        {
            ServerCertificateSelector = (_, _) => Current,
            SslProtocols = Protocols(_config.MinVersion, _config.MaxVersion),
            ClientCertificateMode = _clientCas is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
        };

        if (_clientCas is not null)
        {
            options.ClientCertificateValidation = ValidateClient;
        }

        if (_config.CipherSuites.Count > 0)
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("tls::cipher_suites cannot be applied on Windows.");
            }

            ApplyCipherSuites(options, _config.CipherSuites);
        }

        return options;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void ApplyCipherSuites(HttpsConnectionAdapterOptions options, List<string> names)
    {
        var suites = new List<TlsCipherSuite>(names.Count);
        foreach (string name in names)
        {
            suites.Add(Enum.Parse<TlsCipherSuite>(name));
        }

        var policy = new CipherSuitesPolicy(suites);
        options.OnAuthenticate = (_, ssl) => ssl.CipherSuitesPolicy = policy;
    }

    /// <summary>The certificate to present, re-read when the reload interval has passed.</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (_config.ReloadInterval <= TimeSpan.Zero)
            {
                return _certificate;
            }

            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (now - _loadedAt >= _config.ReloadInterval)
                {
                    _loadedAt = now;
                    try
                    {
                        _certificate = LoadCertificate();
                    }
                    catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
                    {
                        // A half-written file during rotation: keep serving the previous certificate.
                    }
                }

                return _certificate;
            }
        }
    }

    /// <summary>The protocol set between two configured versions (Go's names).</summary>
    public static SslProtocols Protocols(string min, string max)
    {
        // Values of SslProtocols.Tls and Tls11, written as numbers: the named members are obsolete in .NET.
        SslProtocols[] all = [(SslProtocols)0xC0, (SslProtocols)0x300, SslProtocols.Tls12, SslProtocols.Tls13];
        int lo = Math.Max(0, Array.IndexOf(TlsServerConfig.Versions, min));
        int hi = max.Length == 0 ? all.Length - 1 : Array.IndexOf(TlsServerConfig.Versions, max);
        SslProtocols result = SslProtocols.None;
        for (int i = lo; i <= hi; i++)
        {
            result |= all[i];
        }

        return result;
    }

    private X509Certificate2 LoadCertificate()
    {
        string certPem = _config.CertPem.Length > 0 ? _config.CertPem : File.ReadAllText(_config.CertFile);
        string keyPem = _config.KeyPem.Length > 0 ? _config.KeyPem : File.ReadAllText(_config.KeyFile);
        using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);

        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    private X509Certificate2Collection LoadClientCas()
    {
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile(_config.ClientCaFile);
        _clientCaWritten = File.GetLastWriteTimeUtc(_config.ClientCaFile);
        return cas;
    }

    private bool ValidateClient(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        X509Certificate2Collection cas;
        lock (_gate)
        {
            if (_config.ClientCaFileReload && File.GetLastWriteTimeUtc(_config.ClientCaFile) != _clientCaWritten)
            {
                _clientCas = LoadClientCas();
            }

            cas = _clientCas!;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.DisableCertificateDownloads = true;
        custom.ChainPolicy.CustomTrustStore.AddRange(cas);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(certificate);
    }
}
