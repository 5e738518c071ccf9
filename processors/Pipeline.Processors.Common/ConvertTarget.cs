namespace Pipeline.Processors.Common;

/// <summary>The types the <c>convert</c> action changes a value to.</summary>
public enum ConvertTarget
{
    /// <summary><c>string</c>.</summary>
    String,

    /// <summary><c>int</c>.</summary>
    Int,

    /// <summary><c>double</c>.</summary>
    Double,
}
