namespace Pipeline.Abstractions.Configuration;

/// <summary>
/// A component's typed config. The factory creates it with every default; <see cref="Bind"/> overlays what the user
/// wrote, strictly (unknown keys and wrong types are errors); <see cref="Validate"/> checks cross-field rules.
/// No reflection: each config reads its own keys, so the host stays Native AOT compatible.
/// </summary>
public interface IComponentConfig
{
    /// <summary>Reads the user's keys. Every key not read is reported as invalid by the caller.</summary>
    void Bind(ConfigSection section);

    /// <summary>Adds an error for every rule the bound values break. Keys are relative to the component.</summary>
    void Validate(ValidationErrors errors);
}
