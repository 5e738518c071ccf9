using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.Helper;

/// <summary>A client's <c>tls</c> section (otelcol's configtls.ClientConfig).</summary>
public sealed class ClientTlsConfig
{
    private static readonly IReadOnlyList<string> Versions = ["1.0", "1.1", "1.2", "1.3"];

    /// <summary>gRPC: true sends plaintext (h2c). Default false. (For HTTP the URL scheme decides.)</summary>
    public bool Insecure { get; set; }

    /// <summary>Accept any server certificate (no chain or name check). Default false.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>PEM file of the CA(s) trusted for the server's certificate, instead of the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate for mutual TLS (with <see cref="KeyFile"/>).</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The name the server's certificate must carry instead of the endpoint's host (SNI uses it too).</summary>
    public string? ServerNameOverride { get; set; }

    /// <summary>Lowest TLS version: 1.0, 1.1, 1.2 (default) or 1.3.</summary>
    public string MinVersion { get; set; } = "1.2";

    /// <summary>Highest TLS version, or empty for the newest.</summary>
    public string MaxVersion { get; set; } = string.Empty;

    /// <summary>Reads the <c>tls</c> section.</summary>
    public void Bind(ConfigSection? section)
    {
        if (section is null)
        {
            return;
        }

        Insecure = section.GetBool("insecure", Insecure);
        InsecureSkipVerify = section.GetBool("insecure_skip_verify", InsecureSkipVerify);
        CaFile = NullIfEmpty(section.GetOptionalString("ca_file", CaFile));
        CertFile = NullIfEmpty(section.GetOptionalString("cert_file", CertFile));
        KeyFile = NullIfEmpty(section.GetOptionalString("key_file", KeyFile));
        ServerNameOverride = NullIfEmpty(section.GetOptionalString("server_name_override", ServerNameOverride));
        MinVersion = section.GetString("min_version", MinVersion);
        MaxVersion = section.GetString("max_version", MaxVersion);
        section.Finish();
    }

    /// <summary>otelcol's TLS rules and messages.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if ((CertFile is null) != (KeyFile is null))
        {
            errors.Add(string.Empty, "for auth via TLS, provide both certificate and key, or neither.");
        }

        if (MinVersion.Length > 0 && !Contains(Versions, MinVersion))
        {
            errors.Add(string.Empty, $"invalid TLS min_version: unsupported TLS version: \"{MinVersion}\"; use 1.0, 1.1, 1.2 or 1.3.");
        }

        if (MaxVersion.Length > 0 && !Contains(Versions, MaxVersion))
        {
            errors.Add(string.Empty, $"invalid TLS max_version: unsupported TLS version: \"{MaxVersion}\"; use 1.0, 1.1, 1.2 or 1.3.");
        }
        else if (MinVersion.Length > 0 && MaxVersion.Length > 0 && string.CompareOrdinal(MinVersion, MaxVersion) > 0)
        {
            errors.Add(string.Empty, $"invalid TLS configuration: min_version ({MinVersion}) cannot be greater than max_version ({MaxVersion}).");
        }
    }

    /// <summary>
    /// Builds the client's TLS options: protocols, client certificate, and a validation callback for a custom CA,
    /// <c>insecure_skip_verify</c> and <c>server_name_override</c>. Files are read now (at Start), so a missing file
    /// fails start.
    /// </summary>
    /// <exception cref="InvalidOperationException">A file cannot be read or parsed; the message names it.</exception>
    public SslClientAuthenticationOptions CreateSslOptions()
    {
        var options = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = Protocols(),
        };
        if (ServerNameOverride is not null)
        {
            options.TargetHost = ServerNameOverride;
        }

        if (CertFile is not null && KeyFile is not null)
        {
            try
            {
                options.ClientCertificates = [X509Certificate2.CreateFromPemFile(CertFile, KeyFile)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidOperationException($"failed to load TLS cert and key from \"{CertFile}\" and \"{KeyFile}\": {e.Message}", e);
            }
        }

        X509Certificate2Collection? roots = null;
        if (CaFile is not null)
        {
            roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPemFile(CaFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidOperationException($"failed to load CA CertPool File \"{CaFile}\": {e.Message}", e);
            }

            if (roots.Count == 0)
            {
                throw new InvalidOperationException($"failed to load CA CertPool File \"{CaFile}\": no PEM certificates found.");
            }
        }

        if (InsecureSkipVerify || roots is not null || ServerNameOverride is not null)
        {
            var validator = new ServerCertificateValidator(InsecureSkipVerify, roots, ServerNameOverride);
            options.RemoteCertificateValidationCallback = validator.Validate;
        }

        return options;
    }

    private SslProtocols Protocols()
    {
        int min = VersionIndex(MinVersion.Length == 0 ? "1.2" : MinVersion);
        int max = VersionIndex(MaxVersion.Length == 0 ? "1.3" : MaxVersion);
        var result = SslProtocols.None;
        for (int i = min; i <= max; i++)
        {
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 only when the user asks for them, as otelcol allows.
            result |= i switch
            {
                0 => SslProtocols.Tls,
                1 => SslProtocols.Tls11,
                2 => SslProtocols.Tls12,
                _ => SslProtocols.Tls13,
            };
#pragma warning restore SYSLIB0039
        }

        return result;
    }

    private static int VersionIndex(string version)
    {
        for (int i = 0; i < Versions.Count; i++)
        {
            if (Versions[i] == version)
            {
                return i;
            }
        }

        return 2;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return true;
            }
        }

        return false;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed class ServerCertificateValidator(bool skipVerify, X509Certificate2Collection? roots, string? serverName)
    {
        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (skipVerify)
            {
                return true;
            }

            if (certificate is null)
            {
                return false;
            }

            var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            if (roots is null)
            {
                // System trust; only the name is checked against the override instead of the endpoint host.
                var rest = errors & ~SslPolicyErrors.RemoteCertificateNameMismatch;
                return rest == SslPolicyErrors.None && (serverName is null ? errors == SslPolicyErrors.None : leaf.MatchesHostname(serverName));
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            if (!custom.Build(leaf))
            {
                return false;
            }

            return serverName is null
                ? (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                : leaf.MatchesHostname(serverName);
        }
    }
}
