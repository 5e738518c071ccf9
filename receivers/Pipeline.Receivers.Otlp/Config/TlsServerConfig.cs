using System.Net.Security;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Otlp.Config;

/// <summary>Server TLS settings (otelcol's <c>configtls.ServerConfig</c>): the server's certificate and key, and the
/// CA that client certificates must chain to for mutual TLS.</summary>
public sealed class TlsServerConfig
{
    /// <summary>The TLS versions <c>min_version</c>/<c>max_version</c> accept.</summary>
    internal static readonly string[] Versions = ["1.0", "1.1", "1.2", "1.3"];

    /// <summary>PEM file with the server certificate (and any intermediates). Required with <see cref="KeyFile"/>.</summary>
    public string CertFile { get; set; } = string.Empty;

    /// <summary>The server certificate as inline PEM, instead of <see cref="CertFile"/>.</summary>
    public string CertPem { get; set; } = string.Empty;

    /// <summary>PEM file with the server's private key.</summary>
    public string KeyFile { get; set; } = string.Empty;

    /// <summary>The private key as inline PEM, instead of <see cref="KeyFile"/>.</summary>
    public string KeyPem { get; set; } = string.Empty;

    /// <summary>CA file; on a server otelcol uses it only for clients, so it is accepted and unused. Default empty.</summary>
    public string CaFile { get; set; } = string.Empty;

    /// <summary>CA as inline PEM; accepted and unused on a server, like <see cref="CaFile"/>.</summary>
    public string CaPem { get; set; } = string.Empty;

    /// <summary>Whether the system roots join the CA pool; accepted, unused on a server. Default false.</summary>
    public bool IncludeSystemCaCertsPool { get; set; }

    /// <summary>CA file that client certificates must chain to; set, it turns on mutual TLS. Default empty.</summary>
    public string ClientCaFile { get; set; } = string.Empty;

    /// <summary>Reload <see cref="ClientCaFile"/> when it changes. Default false.</summary>
    public bool ClientCaFileReload { get; set; }

    /// <summary>Lowest TLS version accepted: 1.0, 1.1, 1.2 or 1.3. Default 1.2.</summary>
    public string MinVersion { get; set; } = "1.2";

    /// <summary>Highest TLS version accepted; empty means the newest the system supports. Default empty.</summary>
    public string MaxVersion { get; set; } = string.Empty;

    /// <summary>Allowed cipher suites by IANA name (e.g. <c>TLS_AES_128_GCM_SHA256</c>); empty means the system's. Default empty.</summary>
    public List<string> CipherSuites { get; set; } = [];

    /// <summary>Key exchange curves; accepted and not applied (.NET has no per-server API). Default empty.</summary>
    public List<string> CurvePreferences { get; set; } = [];

    /// <summary>How often the certificate and key files are re-read; zero never. Default 0.</summary>
    public TimeSpan ReloadInterval { get; set; }

    /// <summary>Reads the keys of a <c>tls</c> section.</summary>
    public void Bind(ConfigSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        CertFile = s.GetString("cert_file", CertFile);
        CertPem = s.GetString("cert_pem", CertPem);
        KeyFile = s.GetString("key_file", KeyFile);
        KeyPem = s.GetString("key_pem", KeyPem);
        CaFile = s.GetString("ca_file", CaFile);
        CaPem = s.GetString("ca_pem", CaPem);
        IncludeSystemCaCertsPool = s.GetBool("include_system_ca_certs_pool", IncludeSystemCaCertsPool);
        ClientCaFile = s.GetString("client_ca_file", ClientCaFile);
        ClientCaFileReload = s.GetBool("client_ca_file_reload", ClientCaFileReload);
        MinVersion = s.GetString("min_version", MinVersion);
        MaxVersion = s.GetString("max_version", MaxVersion);
        CipherSuites = s.GetStringList("cipher_suites", CipherSuites);
        CurvePreferences = s.GetStringList("curve_preferences", CurvePreferences);
        ReloadInterval = s.GetDuration("reload_interval", ReloadInterval);
        s.Finish();
    }

    /// <summary>Checks cross-field rules with otelcol's messages.</summary>
    public void Validate(ValidationErrors e)
    {
        ArgumentNullException.ThrowIfNull(e);
        bool hasCert = CertFile.Length > 0 || CertPem.Length > 0;
        bool hasKey = KeyFile.Length > 0 || KeyPem.Length > 0;
        if (hasCert != hasKey)
        {
            e.Add(string.Empty, "for auth via TLS, provide both certificate and key, or neither.");
        }
        else if (!hasCert)
        {
            e.Add(string.Empty, "a TLS server needs a certificate and a key: set cert_file and key_file (or cert_pem and key_pem).");
        }

        if (CertFile.Length > 0 && CertPem.Length > 0)
        {
            e.Add(string.Empty, "for auth via TLS, provide the certificate either as cert_file or as cert_pem, not both.");
        }

        if (KeyFile.Length > 0 && KeyPem.Length > 0)
        {
            e.Add(string.Empty, "for auth via TLS, provide the key either as key_file or as key_pem, not both.");
        }

        if (CaFile.Length > 0 && CaPem.Length > 0)
        {
            e.Add(string.Empty, "provide either a CA file or the PEM-encoded string, but not both.");
        }

        int min = Array.IndexOf(Versions, MinVersion);
        int max = MaxVersion.Length == 0 ? Versions.Length - 1 : Array.IndexOf(Versions, MaxVersion);
        if (MinVersion.Length > 0 && min < 0)
        {
            e.Add("min_version", $"invalid TLS min_version: unsupported TLS version: \"{MinVersion}\"; use 1.0, 1.1, 1.2 or 1.3.");
        }

        if (max < 0)
        {
            e.Add("max_version", $"invalid TLS max_version: unsupported TLS version: \"{MaxVersion}\"; use 1.0, 1.1, 1.2 or 1.3.");
        }

        if (min >= 0 && max >= 0 && min > max)
        {
            e.Add(string.Empty, $"invalid TLS configuration: min_version ({MinVersion}) cannot be greater than max_version ({MaxVersion}).");
        }

        foreach (string suite in CipherSuites)
        {
            if (!Enum.TryParse<TlsCipherSuite>(suite, ignoreCase: false, out _) || int.TryParse(suite, out _))
            {
                e.Add("cipher_suites", $"invalid TLS cipher suite: \"{suite}\"; use an IANA name such as TLS_AES_128_GCM_SHA256.");
            }
        }
    }
}
