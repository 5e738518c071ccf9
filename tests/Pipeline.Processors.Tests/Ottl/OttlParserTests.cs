using Google.Protobuf;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Processors.Ottl;
using Xunit;
using ProtoResource = OpenTelemetry.Proto.Resource.V1.Resource;

namespace Pipeline.Processors.Tests.Ottl;

public sealed class OttlParserTests
{
    [Theory]
    [InlineData("name ==", "expected a value at position 7")]
    [InlineData("== \"a\"", "expected a value at position 0")]
    [InlineData("name \"a\"", "expected a comparison operator at position 5")]
    [InlineData("name == \"a", "unterminated string literal at position 8")]
    [InlineData("(name == \"a\"", "expected \")\" at position 12")]
    [InlineData("name == \"a\" and", "expected a value at position 15")]
    [InlineData("name == \"a\" name", "unexpected token \"name\" at position 12")]
    [InlineData("name = \"a\"", "unexpected character '=' at position 5")]
    [InlineData("", "condition is empty at position 0")]
    [InlineData("attributes[] == 1", "expected a string or integer key at position 11")]
    [InlineData("name == \"\\q\"", "invalid escape sequence \"\\q\" at position 9")]
    public void Parse_InvalidSyntax_NamesConditionAndPosition(string condition, string expected)
    {
        var error = Assert.Throws<OttlParseException>(() => OttlCondition.Parse(condition, OttlContext.Span));

        Assert.Equal($"unable to parse OTTL condition \"{condition}\": {expected}", error.Message);
    }

    [Theory]
    [InlineData("foo == 1", "unknown path \"foo\" for the span context at position 0")]
    [InlineData("status.bogus == 1", "unknown path \"status.bogus\" for the span context at position 0")]
    [InlineData("Nope(name)", "undefined function \"Nope\" at position 0")]
    [InlineData("kind == SPAN_KIND_WHATEVER", "enum symbol \"SPAN_KIND_WHATEVER\" not found at position 8")]
    [InlineData("log.body == \"x\"", "path \"log.body\" is not valid in the span context at position 0")]
    [InlineData("set(name, \"x\")", "\"set\" is an editor; only converters (functions starting with an upper-case letter) can be used in conditions at position 0")]
    [InlineData("IsMatch(name, \"(\")", "the pattern supplied to IsMatch is not a valid regexp pattern: ")]
    [InlineData("IsMatch(name)", "incorrect number of arguments to \"IsMatch\": expected 2, got 1 at position 0")]
    [InlineData("IsMatch(name, name)", "argument 1 of \"IsMatch\" must be a string literal at position 0")]
    public void Parse_UnknownNames_NamesThem(string condition, string expected)
    {
        var error = Assert.Throws<OttlParseException>(() => OttlCondition.Parse(condition, OttlContext.Span));

        Assert.StartsWith($"unable to parse OTTL condition \"{condition}\": {expected}", error.Message);
    }

    [Theory]
    [InlineData("name == \"GET /\"", true)]
    [InlineData("name != \"GET /\"", false)]
    [InlineData("name < \"H\"", true)]
    [InlineData("name <= \"GET /\"", true)]
    [InlineData("name > \"GET /\"", false)]
    [InlineData("name >= \"GET\"", true)]
    [InlineData("kind == SPAN_KIND_SERVER", true)]
    [InlineData("kind == 2", true)]
    [InlineData("kind == 2.0", true)]
    [InlineData("kind < 2.5", true)]
    [InlineData("status.code == STATUS_CODE_ERROR", true)]
    [InlineData("status.message == \"boom\"", true)]
    [InlineData("attributes[\"http.status_code\"] >= 500", true)]
    [InlineData("attributes[\"http.status_code\"] == \"500\"", false)]
    [InlineData("attributes[\"http.status_code\"] != \"500\"", true)]
    [InlineData("attributes[\"http.status_code\"] > \"500\"", false)]
    [InlineData("attributes[\"missing\"] == nil", true)]
    [InlineData("attributes[\"missing\"] != nil", false)]
    [InlineData("attributes[\"missing\"] < 1", false)]
    [InlineData("nil == nil", true)]
    [InlineData("attributes[\"ratio\"] > 0.25", true)]
    [InlineData("attributes[\"ratio\"] == 0.5", true)]
    [InlineData("attributes[\"ok\"] == true", true)]
    [InlineData("attributes[\"ok\"] < true", false)]
    [InlineData("attributes[\"nested\"][\"inner\"] == \"deep\"", true)]
    [InlineData("attributes[\"nested\"][\"absent\"][\"x\"] == nil", true)]
    [InlineData("attributes[\"list\"][1] == \"b\"", true)]
    [InlineData("attributes[\"bin\"] == 0x0aff", true)]
    [InlineData("trace_id.string == \"0102030405060708090a0b0c0d0e0f10\"", true)]
    [InlineData("span_id.string == \"0102030405060708\"", true)]
    [InlineData("parent_span_id.string == \"\"", true)]
    [InlineData("start_time_unix_nano == 1000", true)]
    [InlineData("end_time_unix_nano > start_time_unix_nano", true)]
    [InlineData("trace_state == \"rojo=00f067aa0ba902b7\"", true)]
    [InlineData("dropped_attributes_count == 3", true)]
    [InlineData("dropped_events_count == 0 and dropped_links_count == 0", true)]
    [InlineData("resource.attributes[\"service.name\"] == \"checkout\"", true)]
    [InlineData("instrumentation_scope.name == \"lib\" and scope.version == \"1.2\"", true)]
    [InlineData("span.name == \"GET /\" and span.kind == SPAN_KIND_SERVER", true)]
    [InlineData("span.attributes[\"http.method\"] == \"GET\"", true)]
    [InlineData("attributes[\"x\"] == -1", true)]
    [InlineData("name == \"GET \\u002F\"", true)]
    public void Evaluate_SpanCondition_FollowsOttlComparisonRules(string condition, bool expected)
    {
        var compiled = OttlCondition.Parse(condition, OttlContext.Span);

        bool result = compiled.Evaluate(SpanItem());

        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("true or false and false", true)]
    [InlineData("(true or false) and false", false)]
    [InlineData("not true or true", true)]
    [InlineData("not (true or true)", false)]
    [InlineData("not name == \"x\"", true)]
    [InlineData("false or false or name == \"GET /\"", true)]
    [InlineData("true and true and not false", true)]
    [InlineData("kind == SPAN_KIND_CLIENT or kind == SPAN_KIND_SERVER and name == \"GET /\"", true)]
    [InlineData("(kind == SPAN_KIND_CLIENT or kind == SPAN_KIND_SERVER) and name == \"other\"", false)]
    public void Evaluate_BooleanOperators_AndBindsTighterThanOr(string condition, bool expected)
    {
        var compiled = OttlCondition.Parse(condition, OttlContext.Span);

        Assert.Equal(expected, compiled.Evaluate(SpanItem()));
    }

    [Theory]
    [InlineData("IsMatch(attributes[\"url.path\"], \"^/(health|ready)$\")", true)]
    [InlineData("IsMatch(attributes[\"http.status_code\"], \"^5\")", true)]
    [InlineData("IsMatch(attributes[\"missing\"], \".*\")", false)]
    [InlineData("IsMatch(name, \"(?P<verb>GET)\")", true)]
    [InlineData("IsString(name) and IsInt(kind) and IsDouble(attributes[\"ratio\"]) and IsBool(attributes[\"ok\"])", true)]
    [InlineData("IsMap(attributes[\"nested\"]) and IsList(attributes[\"list\"]) and not IsString(kind)", true)]
    [InlineData("Len(name) == 5", true)]
    [InlineData("Len(attributes[\"list\"]) == 3", true)]
    [InlineData("Len(attributes) == 9", true)]
    [InlineData("Concat([name, \"x\", kind], \"|\") == \"GET /|x|2\"", true)]
    [InlineData("ToLowerCase(attributes[\"http.method\"]) == \"get\"", true)]
    [InlineData("ToUpperCase(\"get\") == attributes[\"http.method\"]", true)]
    [InlineData("Int(\"42\") == 42 and Int(2.9) == 2 and Int(\"x\") == nil", true)]
    [InlineData("Double(\"1.5\") == 1.5 and Double(2) == 2.0", true)]
    [InlineData("String(kind) == \"2\" and String(attributes[\"ok\"]) == \"true\"", true)]
    [InlineData("HasPrefix(attributes[\"url.path\"], \"/he\") and HasSuffix(name, \"/\")", true)]
    [InlineData("IsRootSpan()", true)]
    public void Evaluate_Converters_ComputeValues(string condition, bool expected)
    {
        var compiled = OttlCondition.Parse(condition, OttlContext.Span);

        Assert.Equal(expected, Evaluate(compiled));
    }

    [Theory]
    [InlineData("Len(kind) == 1", "unsupported type provided to Len function: int64")]
    [InlineData("ToLowerCase(kind) == \"x\"", "ToLowerCase: expected string but got int64")]
    [InlineData("attributes[\"list\"][7] == 1", "index 7 out of bounds")]
    [InlineData("name[\"x\"] == 1", "type string does not support indexing")]
    [InlineData("Int(name)", "expected bool but got nil")]
    [InlineData("Concat([\"a\", \"b\"], \"-\")[0] == nil", "type string does not support indexing")]
    [InlineData("attributes[\"nested\"][0] == nil", "map must be indexed by a string key")]
    public void Evaluate_BadTypes_ThrowsEvaluationError(string condition, string expected)
    {
        var compiled = OttlCondition.Parse(condition, OttlContext.Span);

        var error = Assert.Throws<OttlEvaluationException>(() => compiled.Evaluate(SpanItem()));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("SEVERITY_NUMBER_TRACE", 1)]
    [InlineData("SEVERITY_NUMBER_DEBUG4", 8)]
    [InlineData("SEVERITY_NUMBER_INFO", 9)]
    [InlineData("SEVERITY_NUMBER_WARN", 13)]
    [InlineData("SEVERITY_NUMBER_ERROR2", 18)]
    [InlineData("SEVERITY_NUMBER_FATAL4", 24)]
    [InlineData("SPAN_KIND_CONSUMER", 5)]
    [InlineData("STATUS_CODE_OK", 1)]
    [InlineData("METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM", 4)]
    [InlineData("AGGREGATION_TEMPORALITY_CUMULATIVE", 2)]
    public void Enums_HaveOtlpNumbers(string name, long expected)
    {
        Assert.True(OttlEnums.TryGet(name, out long value));

        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("body == \"hello world\"", true)]
    [InlineData("body.string == \"hello world\"", true)]
    [InlineData("log.body == \"hello world\" and log.severity_text == \"WARN\"", true)]
    [InlineData("severity_number < SEVERITY_NUMBER_WARN", false)]
    [InlineData("severity_number >= SEVERITY_NUMBER_WARN", true)]
    [InlineData("attributes[\"k\"] == \"v\"", true)]
    [InlineData("trace_id.string == \"0102030405060708090a0b0c0d0e0f10\" and span_id.string == \"\"", true)]
    [InlineData("time_unix_nano == 5 and observed_time_unix_nano == 6 and flags == 1", true)]
    [InlineData("event_name == \"login\"", true)]
    [InlineData("resource.attributes[\"service.name\"] == \"checkout\"", true)]
    public void Evaluate_LogCondition_ReadsLogPaths(string condition, bool expected)
    {
        var log = new LogRecord
        {
            Body = new AnyValue { StringValue = "hello world" },
            SeverityNumber = SeverityNumber.Warn,
            SeverityText = "WARN",
            TraceId = ByteString.CopyFrom(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray()),
            TimeUnixNano = 5,
            ObservedTimeUnixNano = 6,
            Flags = 1,
            EventName = "login",
        };
        log.Attributes.Add(new KeyValue { Key = "k", Value = new AnyValue { StringValue = "v" } });
        var item = new OttlItem { Resource = Resource(), Log = log };

        Assert.Equal(expected, OttlCondition.Parse(condition, OttlContext.Log).Evaluate(item));
    }

    [Theory]
    [InlineData(OttlContext.Metric, "name == \"http.requests\" and unit == \"1\" and description == \"reqs\"", true)]
    [InlineData(OttlContext.Metric, "type == METRIC_DATA_TYPE_SUM and aggregation_temporality == AGGREGATION_TEMPORALITY_CUMULATIVE", true)]
    [InlineData(OttlContext.Metric, "is_monotonic == true", true)]
    [InlineData(OttlContext.DataPoint, "value_int == 7 and value_double == 0.0 and attributes[\"route\"] == \"/a\"", true)]
    [InlineData(OttlContext.DataPoint, "start_time_unix_nano == 1 and time_unix_nano == 2 and flags == 0", true)]
    [InlineData(OttlContext.DataPoint, "metric.name == \"http.requests\" and datapoint.attributes[\"route\"] == \"/a\"", true)]
    [InlineData(OttlContext.DataPoint, "count == nil and sum == nil", true)]
    public void Evaluate_MetricAndDataPoint_ReadPaths(OttlContext context, string condition, bool expected)
    {
        var point = new NumberDataPoint { AsInt = 7, StartTimeUnixNano = 1, TimeUnixNano = 2 };
        point.Attributes.Add(new KeyValue { Key = "route", Value = new AnyValue { StringValue = "/a" } });
        var metric = new Metric
        {
            Name = "http.requests",
            Unit = "1",
            Description = "reqs",
            Sum = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative },
        };
        metric.Sum.DataPoints.Add(point);
        var item = new OttlItem { Metric = metric, DataPoint = point };

        Assert.Equal(expected, OttlCondition.Parse(condition, context).Evaluate(item));
    }

    [Fact]
    public void Evaluate_HistogramPoint_ReadsCountAndSum()
    {
        var item = new OttlItem { DataPoint = new HistogramDataPoint { Count = 4, Sum = 10.5 } };

        Assert.True(OttlCondition.Parse("count == 4 and sum > 10", OttlContext.DataPoint).Evaluate(item));
    }

    [Theory]
    [InlineData("histogram")]
    [InlineData("exponential_histogram")]
    [InlineData("summary")]
    public void Evaluate_DistributionPoints_ReadSharedFields(string type)
    {
        var attributes = new KeyValue { Key = "route", Value = new AnyValue { StringValue = "/a" } };
        IMessage point;
        switch (type)
        {
            case "histogram":
                var h = new HistogramDataPoint { Count = 4, Sum = 10.5, StartTimeUnixNano = 1, TimeUnixNano = 2, Flags = 1 };
                h.Attributes.Add(attributes);
                point = h;
                break;
            case "exponential_histogram":
                var x = new ExponentialHistogramDataPoint { Count = 4, Sum = 10.5, StartTimeUnixNano = 1, TimeUnixNano = 2, Flags = 1 };
                x.Attributes.Add(attributes);
                point = x;
                break;
            default:
                var s = new SummaryDataPoint { Count = 4, Sum = 10.5, StartTimeUnixNano = 1, TimeUnixNano = 2, Flags = 1 };
                s.Attributes.Add(attributes);
                point = s;
                break;
        }

        var item = new OttlItem { DataPoint = point };

        Assert.True(OttlCondition.Parse(
            "count == 4 and sum == 10.5 and attributes[\"route\"] == \"/a\" and start_time_unix_nano == 1 and time_unix_nano == 2 and flags == 1 and value_int == nil and value_double == nil",
            OttlContext.DataPoint).Evaluate(item));
    }

    [Fact]
    public void Evaluate_SpanEvent_ReadsEventAndParentSpan()
    {
        var item = SpanItem();
        item.SpanEvent = new Span.Types.Event { Name = "exception", TimeUnixNano = 9 };
        item.SpanEvent.Attributes.Add(new KeyValue { Key = "exception.type", Value = new AnyValue { StringValue = "IOError" } });

        var compiled = OttlCondition.Parse("name == \"exception\" and time_unix_nano == 9 and attributes[\"exception.type\"] == \"IOError\" and span.name == \"GET /\"", OttlContext.SpanEvent);

        Assert.True(compiled.Evaluate(item));
    }

    [Theory]
    [InlineData("span.name == \"a\"", OttlContext.Span)]
    [InlineData("resource.attributes[\"a\"] == \"b\"", OttlContext.Resource)]
    [InlineData("resource.attributes[\"a\"] == \"b\" and spanevent.name == \"e\"", OttlContext.SpanEvent)]
    [InlineData("scope.name == \"x\"", OttlContext.Scope)]
    [InlineData("name == \"a\"", OttlContext.Span)]
    [InlineData("kind == SPAN_KIND_SERVER", OttlContext.Span)]
    public void InferContext_Traces_PicksDeepestNamedContext(string condition, OttlContext expected)
    {
        var context = OttlCondition.InferContext([condition], [OttlContext.Span, OttlContext.SpanEvent, OttlContext.Scope, OttlContext.Resource]);

        Assert.Equal(expected, context);
    }

    [Fact]
    public void InferContext_WrongSignal_Throws()
    {
        var error = Assert.Throws<OttlParseException>(() => OttlCondition.InferContext(["log.body == \"x\""], [OttlContext.Span, OttlContext.Resource]));

        Assert.Equal("unable to parse OTTL condition \"log.body == \"x\"\": context \"log\" is not valid for this signal at position 0", error.Message);
    }

    [Fact]
    public void InferContext_UnprefixedDataPointPath_FallsBackToDataPoint()
    {
        var context = OttlCondition.InferContext(["value_int > 5"], [OttlContext.Metric, OttlContext.DataPoint, OttlContext.Scope, OttlContext.Resource]);

        Assert.Equal(OttlContext.DataPoint, context);
    }

    private static bool Evaluate(OttlCondition condition) => condition.Evaluate(SpanItem());

    private static ProtoResource Resource()
    {
        var resource = new ProtoResource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "checkout" } });
        return resource;
    }

    private static OttlItem SpanItem()
    {
        var span = new Span
        {
            Name = "GET /",
            Kind = Span.Types.SpanKind.Server,
            Status = new Status { Code = Status.Types.StatusCode.Error, Message = "boom" },
            TraceId = ByteString.CopyFrom(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray()),
            SpanId = ByteString.CopyFrom(Enumerable.Range(1, 8).Select(i => (byte)i).ToArray()),
            StartTimeUnixNano = 1000,
            EndTimeUnixNano = 2000,
            TraceState = "rojo=00f067aa0ba902b7",
            DroppedAttributesCount = 3,
        };
        var nested = new KeyValueList();
        nested.Values.Add(new KeyValue { Key = "inner", Value = new AnyValue { StringValue = "deep" } });
        var list = new ArrayValue();
        list.Values.Add(new AnyValue { StringValue = "a" });
        list.Values.Add(new AnyValue { StringValue = "b" });
        list.Values.Add(new AnyValue { IntValue = 3 });
        span.Attributes.Add(new KeyValue { Key = "http.status_code", Value = new AnyValue { IntValue = 500 } });
        span.Attributes.Add(new KeyValue { Key = "ratio", Value = new AnyValue { DoubleValue = 0.5 } });
        span.Attributes.Add(new KeyValue { Key = "ok", Value = new AnyValue { BoolValue = true } });
        span.Attributes.Add(new KeyValue { Key = "nested", Value = new AnyValue { KvlistValue = nested } });
        span.Attributes.Add(new KeyValue { Key = "list", Value = new AnyValue { ArrayValue = list } });
        span.Attributes.Add(new KeyValue { Key = "bin", Value = new AnyValue { BytesValue = ByteString.CopyFrom(0x0a, 0xff) } });
        span.Attributes.Add(new KeyValue { Key = "url.path", Value = new AnyValue { StringValue = "/health" } });
        span.Attributes.Add(new KeyValue { Key = "http.method", Value = new AnyValue { StringValue = "GET" } });
        span.Attributes.Add(new KeyValue { Key = "x", Value = new AnyValue { IntValue = -1 } });
        var scope = new InstrumentationScope { Name = "lib", Version = "1.2" };
        return new OttlItem { Resource = Resource(), Scope = scope, Span = span };
    }
}
