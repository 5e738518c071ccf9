using System.Globalization;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Processors.Ottl;

namespace Pipeline.Connectors.Routing;

/// <summary>The <c>routing</c> connector's config (otelcol-contrib <c>connector/routingconnector/config.go</c>).</summary>
public sealed class RoutingConfig : IComponentConfig
{
    /// <summary><c>error_mode</c>. Default <see cref="RoutingErrorMode.Propagate"/>.</summary>
    public RoutingErrorMode ErrorMode { get; set; } = RoutingErrorMode.Propagate;

    /// <summary><c>default_pipelines</c>: where items no route matches go. Default empty (they are dropped).</summary>
    public List<string> DefaultPipelines { get; set; } = [];

    /// <summary><c>table</c>: the routes, tried in order. Required, at least one.</summary>
    public List<RouteConfig> Table { get; set; } = [];

    /// <summary>The compiled routes, set by <see cref="Validate"/> when the config is valid.</summary>
    internal CompiledRoute[]? Compiled { get; private set; }

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section.GetNode("error_mode") is not null)
        {
            string mode = section.GetString("error_mode", "propagate");
            if (ParseErrorMode(mode) is { } parsed)
            {
                ErrorMode = parsed;
            }
            else
            {
                section.Error("error_mode", $"unknown error mode {mode}.");
            }
        }

        DefaultPipelines = section.GetStringList("default_pipelines", DefaultPipelines);
        if (section.GetSectionList("table") is { } table)
        {
            Table = [];
            foreach (var entry in table)
            {
                var route = new RouteConfig
                {
                    Context = entry.GetString("context", string.Empty),
                    Condition = entry.GetString("condition", string.Empty),
                    Statement = entry.GetString("statement", string.Empty),
                    Pipelines = entry.GetStringList("pipelines", []),
                };
                if (entry.Has("match_once"))
                {
                    entry.Error("match_once", "match_once was removed in otelcol v0.120.0: each item goes to the first route that matches it.");
                    entry.GetBool("match_once", false);
                }

                entry.Finish();
                Table.Add(route);
            }
        }

        if (section.Has("match_once"))
        {
            section.Error("match_once", "match_once was removed in otelcol v0.120.0: each item goes to the first route that matches it.");
            section.GetBool("match_once", false);
        }

        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Compiled = null;
        var messages = new List<(string Key, string Message)>();
        var compiled = Compile(messages);
        foreach (var (key, message) in messages)
        {
            errors.Add(key, message.EndsWith('.') ? message : message + ".");
        }

        Compiled = messages.Count == 0 ? compiled : null;
    }

    /// <summary>The compiled routes (compiling now if <see cref="Validate"/> did not run).</summary>
    /// <exception cref="InvalidOperationException">The config is invalid.</exception>
    internal CompiledRoute[] GetCompiled()
    {
        if (Compiled is not null)
        {
            return Compiled;
        }

        var messages = new List<(string Key, string Message)>();
        var compiled = Compile(messages);
        if (messages.Count > 0)
        {
            var (key, message) = messages[0];
            throw new InvalidOperationException(key.Length == 0 ? message : key + ": " + message);
        }

        return compiled;
    }

    internal static RoutingErrorMode? ParseErrorMode(string text) => text.ToLowerInvariant() switch
    {
        "propagate" => RoutingErrorMode.Propagate,
        "ignore" => RoutingErrorMode.Ignore,
        "silent" => RoutingErrorMode.Silent,
        _ => null,
    };

    private CompiledRoute[] Compile(List<(string Key, string Message)> messages)
    {
        // otelcol's texts (config.go): checked in this order, table first.
        if (Table.Count == 0)
        {
            messages.Add(("table", "invalid routing table: the routing table is empty"));
            return [];
        }

        CheckPipelineIds(DefaultPipelines, "default_pipelines", messages);
        var routes = new CompiledRoute[Table.Count];
        for (int i = 0; i < Table.Count; i++)
        {
            var item = Table[i];
            string key = "table::" + i.ToString(CultureInfo.InvariantCulture);
            if (item.Statement.Length == 0 && item.Condition.Length == 0)
            {
                messages.Add((key, "invalid route: no condition or statement provided"));
                continue;
            }

            if (item.Statement.Length != 0 && item.Condition.Length != 0)
            {
                messages.Add((key, "invalid route: both condition and statement provided"));
                continue;
            }

            if (item.Pipelines.Count == 0)
            {
                messages.Add((key, "invalid route: no pipelines defined"));
                continue;
            }

            if (!CheckPipelineIds(item.Pipelines, key + "::pipelines", messages))
            {
                continue;
            }

            if (Compile(item, key, messages) is { } route)
            {
                routes[i] = route;
            }
        }

        return routes;
    }

    private static CompiledRoute? Compile(RouteConfig item, string key, List<(string Key, string Message)> messages)
    {
        var pipelines = new PipelineId[item.Pipelines.Count];
        for (int p = 0; p < pipelines.Length; p++)
        {
            PipelineId.TryParse(item.Pipelines[p], out pipelines[p], out _);
        }

        switch (item.Context)
        {
            case "request":
                if (item.Statement.Length != 0 || item.Condition.Length == 0)
                {
                    messages.Add((key, "\"request\" context requires a 'condition'"));
                    return null;
                }

                if (!RequestCondition.TryParse(item.Condition, out var request, out string? error))
                {
                    messages.Add((key + "::condition", error));
                    return null;
                }

                return new CompiledRoute(RouteContext.Request, null, request, item.Condition, pipelines);
            case "" or "resource" or "span" or "metric" or "datapoint" or "log":
                break;
            default:
                messages.Add((key + "::context", "invalid context: " + item.Context));
                return null;
        }

        string conditionKey = key + (item.Condition.Length != 0 ? "::condition" : "::statement");
        string condition = item.Condition;
        if (condition.Length == 0 && !StatementParser.TryGetCondition(item.Statement, out condition, out string? statementError))
        {
            messages.Add((conditionKey, statementError));
            return null;
        }

        try
        {
            var context = item.Context.Length == 0 ? InferContext(condition) : ToOttl(item.Context);
            var compiled = OttlCondition.Parse(condition, context);
            return new CompiledRoute(FromOttl(context), compiled, null, item.Condition.Length != 0 ? item.Condition : item.Statement, pipelines);
        }
        catch (OttlParseException e)
        {
            messages.Add((conditionKey, e.Message));
            return null;
        }
    }

    /// <summary>otelcol infers the context from what the condition names (<c>span.name</c> → span) and falls back to
    /// <c>resource</c> when it names none. Naming scope or spanevent is an error: routing has no such context.</summary>
    private static OttlContext InferContext(string condition)
    {
        OttlContext[] all = [OttlContext.Resource, OttlContext.Span, OttlContext.Metric, OttlContext.DataPoint, OttlContext.Log];
        return OttlInference.NamedContext(condition) is null ? OttlContext.Resource : OttlCondition.InferContext([condition], all);
    }

    private static OttlContext ToOttl(string context) => context switch
    {
        "span" => OttlContext.Span,
        "metric" => OttlContext.Metric,
        "datapoint" => OttlContext.DataPoint,
        "log" => OttlContext.Log,
        _ => OttlContext.Resource,
    };

    private static RouteContext FromOttl(OttlContext context) => context switch
    {
        OttlContext.Span => RouteContext.Span,
        OttlContext.Metric => RouteContext.Metric,
        OttlContext.DataPoint => RouteContext.DataPoint,
        OttlContext.Log => RouteContext.Log,
        _ => RouteContext.Resource,
    };

    private static bool CheckPipelineIds(List<string> ids, string key, List<(string Key, string Message)> messages)
    {
        bool ok = true;
        for (int i = 0; i < ids.Count; i++)
        {
            if (!PipelineId.TryParse(ids[i], out _, out string? error))
            {
                messages.Add((key + "::" + i.ToString(CultureInfo.InvariantCulture), error));
                ok = false;
            }
        }

        return ok;
    }
}
