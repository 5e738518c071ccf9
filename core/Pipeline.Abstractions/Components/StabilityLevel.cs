namespace Pipeline.Abstractions;

/// <summary>Stability of a component for one signal, as otelcol's <c>components</c> command lists it.</summary>
public enum StabilityLevel
{
    /// <summary>The signal is not supported.</summary>
    Undefined,

    /// <summary>Kept but not maintained.</summary>
    Unmaintained,

    /// <summary>Will be removed.</summary>
    Deprecated,

    /// <summary>Being built; may change or go.</summary>
    Development,

    /// <summary>Usable; config may change.</summary>
    Alpha,

    /// <summary>Config stable; behaviour may still change.</summary>
    Beta,

    /// <summary>Stable.</summary>
    Stable,
}
