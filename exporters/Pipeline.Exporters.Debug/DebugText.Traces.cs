using System.Text;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Debug;

/// <summary>Traces text.</summary>
internal static partial class DebugText
{
    private static string TracesSummary(Traces traces) =>
        $"Traces {{\"resource spans\": {traces.Request.ResourceSpans.Count}, \"spans\": {traces.ItemCount}}}";

    private static string TracesNormal(Traces traces)
    {
        var text = new StringBuilder();
        var resources = traces.Request.ResourceSpans;
        for (int r = 0; r < resources.Count; r++)
        {
            AppendNormalResource(text, "ResourceSpans", r, resources[r].Resource);
            var scopes = resources[r].ScopeSpans;
            for (int s = 0; s < scopes.Count; s++)
            {
                AppendNormalScope(text, "ScopeSpans", s, scopes[s].Scope);
                foreach (var span in scopes[s].Spans)
                {
                    text.Append(span.Name).Append(' ').Append(Hex(span.TraceId)).Append(' ').Append(Hex(span.SpanId));
                    if (span.Attributes.Count > 0)
                    {
                        text.Append(' ');
                        AppendInlineAttributes(text, span.Attributes);
                    }

                    text.Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static string TracesDetailed(Traces traces)
    {
        var text = new StringBuilder();
        var resources = traces.Request.ResourceSpans;
        for (int r = 0; r < resources.Count; r++)
        {
            AppendResource(text, "ResourceSpans", r, resources[r].Resource, resources[r].SchemaUrl);
            var scopes = resources[r].ScopeSpans;
            for (int s = 0; s < scopes.Count; s++)
            {
                AppendScope(text, "ScopeSpans", s, scopes[s].Scope, scopes[s].SchemaUrl);
                var spans = scopes[s].Spans;
                for (int i = 0; i < spans.Count; i++)
                {
                    AppendSpan(text, i, spans[i]);
                }
            }
        }

        return text.ToString();
    }

    private static void AppendSpan(StringBuilder text, int index, Span span)
    {
        text.Append("Span #").Append(index).Append('\n');
        text.Append("    Trace ID       : ").Append(Hex(span.TraceId)).Append('\n');
        text.Append("    Parent ID      : ").Append(Hex(span.ParentSpanId)).Append('\n');
        text.Append("    ID             : ").Append(Hex(span.SpanId)).Append('\n');
        text.Append("    Name           : ").Append(span.Name).Append('\n');
        text.Append("    Kind           : ").Append(KindName(span.Kind)).Append('\n');
        text.Append("    TraceState     : ").Append(span.TraceState).Append('\n');
        text.Append("    Flags          : ").Append(span.Flags).Append('\n');
        text.Append("    Start time     : ").Append(Time(span.StartTimeUnixNano)).Append('\n');
        text.Append("    End time       : ").Append(Time(span.EndTimeUnixNano)).Append('\n');
        text.Append("    Status code    : ").Append(StatusName(span.Status?.Code ?? Status.Types.StatusCode.Unset)).Append('\n');
        text.Append("    Status message : ").Append(span.Status?.Message).Append('\n');
        if (span.DroppedAttributesCount > 0)
        {
            text.Append("    DroppedAttributesCount: ").Append(span.DroppedAttributesCount).Append('\n');
        }

        if (span.DroppedEventsCount > 0)
        {
            text.Append("    DroppedEventsCount: ").Append(span.DroppedEventsCount).Append('\n');
        }

        if (span.DroppedLinksCount > 0)
        {
            text.Append("    DroppedLinksCount: ").Append(span.DroppedLinksCount).Append('\n');
        }

        AppendAttributeBlock(text, "Attributes", span.Attributes);
        if (span.Events.Count > 0)
        {
            text.Append("Events:\n");
            for (int i = 0; i < span.Events.Count; i++)
            {
                var e = span.Events[i];
                text.Append("SpanEvent #").Append(i).Append('\n');
                text.Append("     -> Name: ").Append(e.Name).Append('\n');
                text.Append("     -> Timestamp: ").Append(Time(e.TimeUnixNano)).Append('\n');
                text.Append("     -> DroppedAttributesCount: ").Append(e.DroppedAttributesCount).Append('\n');
                AppendAttributeBlock(text, "-> Attributes", e.Attributes, "     ");
            }
        }

        if (span.Links.Count > 0)
        {
            text.Append("Links:\n");
            for (int i = 0; i < span.Links.Count; i++)
            {
                var l = span.Links[i];
                text.Append("SpanLink #").Append(i).Append('\n');
                text.Append("     -> Trace ID: ").Append(Hex(l.TraceId)).Append('\n');
                text.Append("     -> ID: ").Append(Hex(l.SpanId)).Append('\n');
                text.Append("     -> TraceState: ").Append(l.TraceState).Append('\n');
                text.Append("     -> Flags: ").Append(l.Flags).Append('\n');
                text.Append("     -> DroppedAttributesCount: ").Append(l.DroppedAttributesCount).Append('\n');
                AppendAttributeBlock(text, "-> Attributes", l.Attributes, "     ");
            }
        }
    }

    private static string KindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Internal => "Internal",
        Span.Types.SpanKind.Server => "Server",
        Span.Types.SpanKind.Client => "Client",
        Span.Types.SpanKind.Producer => "Producer",
        Span.Types.SpanKind.Consumer => "Consumer",
        _ => "Unspecified",
    };

    private static string StatusName(Status.Types.StatusCode code) => code switch
    {
        Status.Types.StatusCode.Ok => "Ok",
        Status.Types.StatusCode.Error => "Error",
        _ => "Unset",
    };
}
