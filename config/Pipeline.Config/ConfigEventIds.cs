namespace Pipeline.Config;

/// <summary>Event IDs of the config loader's log messages (range 100–199).</summary>
internal static class ConfigEventIds
{
    /// <summary>A <c>${env:VAR}</c> names a variable that is not set and has no default.</summary>
    public const int UnsetEnvironmentVariable = 100;

    /// <summary>A <c>${env:VAR}</c> names a variable that is set but empty.</summary>
    public const int EmptyEnvironmentVariable = 101;

    /// <summary>A component is configured under a deprecated alias of its type.</summary>
    public const int DeprecatedAlias = 102;
}
