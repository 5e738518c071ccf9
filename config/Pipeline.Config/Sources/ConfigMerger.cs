using Pipeline.Abstractions.Configuration;

namespace Pipeline.Config.Sources;

/// <summary>
/// Merges config trees as otelcol's confmap does: maps are merged key by key (deeply), anything else — lists,
/// scalars, and a null written later — replaces what was there.
/// </summary>
internal static class ConfigMerger
{
    /// <summary>Returns <paramref name="over"/> merged onto <paramref name="under"/>; neither input is changed.</summary>
    public static ConfigNode? Merge(ConfigNode? under, ConfigNode? over)
    {
        if (over is null)
        {
            return under;
        }

        if (under is not ConfigMap underMap || over is not ConfigMap overMap)
        {
            return over;
        }

        var result = new ConfigMap { Location = underMap.Location };
        foreach (var entry in underMap.Entries)
        {
            result.Set(entry.Key, entry.Value, underMap.KeyLocation(entry.Key));
        }

        foreach (var entry in overMap.Entries)
        {
            var merged = result.TryGet(entry.Key, out var existing) ? Merge(existing, entry.Value)! : entry.Value;
            result.Set(entry.Key, merged, overMap.KeyLocation(entry.Key));
        }

        return result;
    }
}
