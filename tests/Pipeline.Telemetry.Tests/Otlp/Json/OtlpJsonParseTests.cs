using System.Text;
using Google.Protobuf;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Telemetry.Otlp;
using Pipeline.Telemetry.Otlp.Json;
using Xunit;

namespace Pipeline.Telemetry.Tests.Otlp.Json;

public sealed class OtlpJsonParseTests
{
    // The trace example of the OTLP specification repository (examples/trace.json), as a receiver sees it.
    private const string SpecTraceExample = """
        {
          "resourceSpans": [
            {
              "resource": {
                "attributes": [
                  { "key": "service.name", "value": { "stringValue": "my.service" } }
                ]
              },
              "scopeSpans": [
                {
                  "scope": {
                    "name": "my.library",
                    "version": "1.0.0",
                    "attributes": [
                      { "key": "my.scope.attribute", "value": { "stringValue": "some scope attribute" } }
                    ]
                  },
                  "spans": [
                    {
                      "traceId": "5B8EFFF798038103D269B633813FC60C",
                      "spanId": "EEE19B7EC3C1B174",
                      "parentSpanId": "EEE19B7EC3C1B173",
                      "name": "I'm a server span",
                      "startTimeUnixNano": "1544712660000000000",
                      "endTimeUnixNano": "1544712661000000000",
                      "kind": 2,
                      "attributes": [
                        { "key": "my.span.attr", "value": { "stringValue": "some value" } },
                        { "key": "my.int", "value": { "intValue": "123" } },
                        { "key": "my.double", "value": { "doubleValue": 1.5 } },
                        { "key": "my.bool", "value": { "boolValue": true } },
                        { "key": "my.array", "value": { "arrayValue": { "values": [ { "stringValue": "a" }, { "intValue": 7 } ] } } },
                        { "key": "my.map", "value": { "kvlistValue": { "values": [ { "key": "k", "value": { "stringValue": "v" } } ] } } },
                        { "key": "my.bytes", "value": { "bytesValue": "AQID" } }
                      ]
                    }
                  ]
                }
              ]
            }
          ]
        }
        """;

    [Fact]
    public void ParseTraces_SpecExample_DecodesIdsValuesAndKinds()
    {
        var request = OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(SpecTraceExample));

        var rs = Assert.Single(request.ResourceSpans);
        Assert.Equal("my.service", rs.Resource.Attributes[0].Value.StringValue);
        var ss = Assert.Single(rs.ScopeSpans);
        Assert.Equal("my.library", ss.Scope.Name);
        Assert.Equal("1.0.0", ss.Scope.Version);
        var span = Assert.Single(ss.Spans);
        Assert.Equal(SampleData.TraceId, span.TraceId.ToByteArray());
        Assert.Equal(SampleData.SpanId, span.SpanId.ToByteArray());
        Assert.Equal("eee19b7ec3c1b173", Convert.ToHexStringLower(span.ParentSpanId.Span));
        Assert.Equal(Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal(1544712660000000000UL, span.StartTimeUnixNano);
        Assert.Equal(1544712661000000000UL, span.EndTimeUnixNano);
        Assert.Equal("some value", span.Attributes[0].Value.StringValue);
        Assert.Equal(123, span.Attributes[1].Value.IntValue);
        Assert.Equal(1.5, span.Attributes[2].Value.DoubleValue);
        Assert.True(span.Attributes[3].Value.BoolValue);
        Assert.Equal(7, span.Attributes[4].Value.ArrayValue.Values[1].IntValue);
        Assert.Equal("v", span.Attributes[5].Value.KvlistValue.Values[0].Value.StringValue);
        Assert.Equal(new byte[] { 1, 2, 3 }, span.Attributes[6].Value.BytesValue.ToByteArray());
    }

    [Fact]
    public void ParseTraces_SnakeCaseNames_SameAsCamelCase()
    {
        const string Snake = """
            {"resource_spans":[{"schema_url":"u","scope_spans":[{"spans":[{"trace_id":"5b8efff798038103d269b633813fc60c",
            "span_id":"eee19b7ec3c1b174","parent_span_id":"","trace_state":"a=b","start_time_unix_nano":1,"end_time_unix_nano":"2",
            "dropped_attributes_count":1,"dropped_events_count":2,"dropped_links_count":3,
            "attributes":[{"key":"k","value":{"string_value":"s","int_value":null}},{"key":"i","value":{"int_value":"5"}},
            {"key":"d","value":{"double_value":"NaN"}},{"key":"b","value":{"bool_value":false}},{"key":"y","value":{"bytes_value":"AQ=="}},
            {"key":"a","value":{"array_value":{"values":[]}}},{"key":"m","value":{"kvlist_value":{"values":[]}}}],
            "events":[{"time_unix_nano":"3","dropped_attributes_count":4}],
            "links":[{"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","trace_state":"x","dropped_attributes_count":5}],
            "status":{"code":"STATUS_CODE_OK"}}]}]}]}
            """;
        const string Camel = """
            {"resourceSpans":[{"schemaUrl":"u","scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
            "spanId":"eee19b7ec3c1b174","traceState":"a=b","startTimeUnixNano":"1","endTimeUnixNano":"2",
            "droppedAttributesCount":1,"droppedEventsCount":2,"droppedLinksCount":3,
            "attributes":[{"key":"k","value":{"stringValue":"s"}},{"key":"i","value":{"intValue":"5"}},
            {"key":"d","value":{"doubleValue":"NaN"}},{"key":"b","value":{"boolValue":false}},{"key":"y","value":{"bytesValue":"AQ=="}},
            {"key":"a","value":{"arrayValue":{}}},{"key":"m","value":{"kvlistValue":{}}}],
            "events":[{"timeUnixNano":"3","droppedAttributesCount":4}],
            "links":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","traceState":"x","droppedAttributesCount":5}],
            "status":{"code":1}}]}]}]}
            """;

        var snake = OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(Snake));
        var camel = OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(Camel));

        Assert.Equal(camel, snake);
        Assert.Equal(Status.Types.StatusCode.Ok, snake.ResourceSpans[0].ScopeSpans[0].Spans[0].Status.Code);
    }

    [Fact]
    public void ParseMetrics_SnakeCaseAndEnumNames_Accepted()
    {
        const string Json = """
            {"resource_metrics":[{"scope_metrics":[{"metrics":[
              {"name":"s","sum":{"aggregation_temporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","is_monotonic":true,
                "data_points":[{"start_time_unix_nano":"1","time_unix_nano":"2","as_int":"-5","exemplars":[{"as_double":1,"span_id":"eee19b7ec3c1b174","filtered_attributes":[]}]}]}},
              {"name":"h","histogram":{"aggregation_temporality":1,"data_points":[{"count":"3","sum":1.5,"bucket_counts":["1",2],"explicit_bounds":[1,"Infinity"],"min":0,"max":"2"}]}},
              {"name":"e","exponential_histogram":{"data_points":[{"zero_count":"1","scale":"2","zero_threshold":0.5,"positive":{"offset":-1,"bucket_counts":["4"]}}]}},
              {"name":"q","summary":{"data_points":[{"quantile_values":[{"quantile":0.5,"value":"1.25"}]}]}}
            ]}]}]}
            """;

        var request = OtlpJson.ParseMetrics(Encoding.UTF8.GetBytes(Json));

        var metrics = request.ResourceMetrics[0].ScopeMetrics[0].Metrics;
        Assert.Equal(AggregationTemporality.Cumulative, metrics[0].Sum.AggregationTemporality);
        Assert.True(metrics[0].Sum.IsMonotonic);
        Assert.Equal(-5, metrics[0].Sum.DataPoints[0].AsInt);
        Assert.Equal(1.0, metrics[0].Sum.DataPoints[0].Exemplars[0].AsDouble);
        var hdp = metrics[1].Histogram.DataPoints[0];
        Assert.Equal(AggregationTemporality.Delta, metrics[1].Histogram.AggregationTemporality);
        Assert.Equal(3UL, hdp.Count);
        Assert.Equal([1UL, 2UL], hdp.BucketCounts);
        Assert.Equal([1.0, double.PositiveInfinity], hdp.ExplicitBounds);
        Assert.True(hdp.HasMin);
        Assert.Equal(0.0, hdp.Min);
        Assert.Equal(2.0, hdp.Max);
        var edp = metrics[2].ExponentialHistogram.DataPoints[0];
        Assert.Equal(2, edp.Scale);
        Assert.Equal(1UL, edp.ZeroCount);
        Assert.Equal(-1, edp.Positive.Offset);
        Assert.Equal([4UL], edp.Positive.BucketCounts);
        Assert.False(edp.HasSum);
        Assert.Equal(1.25, metrics[3].Summary.DataPoints[0].QuantileValues[0].Value);
    }

    [Fact]
    public void ParseLogs_SeverityNameFlagsAndEventName_Decoded()
    {
        const string Json = """
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","observed_time_unix_nano":2,
            "severityNumber":"SEVERITY_NUMBER_WARN","severityText":"WARN","body":{"stringValue":"hi"},"flags":1,
            "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","event_name":"e.v","dropped_attributes_count":"3"}]}]}]}
            """;

        var log = OtlpJson.ParseLogs(Encoding.UTF8.GetBytes(Json)).ResourceLogs[0].ScopeLogs[0].LogRecords[0];

        Assert.Equal(SeverityNumber.Warn, log.SeverityNumber);
        Assert.Equal(2UL, log.ObservedTimeUnixNano);
        Assert.Equal("hi", log.Body.StringValue);
        Assert.Equal(1U, log.Flags);
        Assert.Equal("e.v", log.EventName);
        Assert.Equal(3U, log.DroppedAttributesCount);
        Assert.Equal(SampleData.SpanId, log.SpanId.ToByteArray());
    }

    [Fact]
    public void Parse_UnknownFieldsOfEveryShape_Ignored()
    {
        const string Json = """
            {"extra":1,"resourceSpans":[{"future":{"a":[1,{"b":null}]},"scopeSpans":[{"spans":[{"name":"s","newField":[[],{}],
            "status":{"code":2,"later":"x"},"attributes":[{"key":"k","value":{"stringValue":"v","unknownKind":{"x":1}},"extra":true}]}]}]}],
            "trailer":"ok"}
            """;

        var request = OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(Json));

        var span = request.ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.Equal("s", span.Name);
        Assert.Equal(Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal("v", span.Attributes[0].Value.StringValue);
    }

    [Fact]
    public void Parse_NullValues_AreAbsent()
    {
        const string Json = """
            {"resourceSpans":[{"resource":null,"scopeSpans":[{"scope":null,"spans":[{"traceId":null,"name":null,"attributes":null,
            "status":null,"events":null,"kind":null,"startTimeUnixNano":null}]}]}]}
            """;

        var span = OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(Json)).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal(new Span(), span);
        Assert.Null(OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(Json)).ResourceSpans[0].Resource);
    }

    [Fact]
    public void Parse_EmptyIdString_IsNoId()
    {
        var span = OtlpJson.ParseTraces("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"","spanId":""}]}]}]}"""u8)
            .ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.True(span.TraceId.IsEmpty);
        Assert.True(span.SpanId.IsEmpty);
    }

    [Fact]
    public void Parse_NumbersInAlternativeForms_Accepted()
    {
        const string Json = """
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[
              {"timeUnixNano":1e3,"asDouble":"-Infinity"},{"asInt":42},{"asDouble":"1.5e2"},{"asInt":"-9223372036854775808"}]}}]}]}]}
            """;

        var points = OtlpJson.ParseMetrics(Encoding.UTF8.GetBytes(Json)).ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Gauge.DataPoints;

        Assert.Equal(1000UL, points[0].TimeUnixNano);
        Assert.Equal(double.NegativeInfinity, points[0].AsDouble);
        Assert.Equal(42, points[1].AsInt);
        Assert.Equal(150.0, points[2].AsDouble);
        Assert.Equal(long.MinValue, points[3].AsInt);
    }

    [Fact]
    public void Parse_UrlSafeUnpaddedBase64_Accepted()
    {
        var log = OtlpJson.ParseLogs("""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"bytesValue":"-_8"}}]}]}]}"""u8)
            .ResourceLogs[0].ScopeLogs[0].LogRecords[0];

        Assert.Equal(new byte[] { 0xFB, 0xFF }, log.Body.BytesValue.ToByteArray());
    }

    [Fact]
    public void Parse_UnknownEnumInteger_Kept()
    {
        var span = OtlpJson.ParseTraces("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":42}]}]}]}"""u8).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal(42, (int)span.Kind);
    }

    [Theory]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc6"}]}]}]}""",
        "Invalid OTLP/JSON at byte 54: Span.traceId must be 32 hex digits for a trace id, got 30 characters.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"eee19b7ec3c1b17"}]}]}]}""",
        "Invalid OTLP/JSON at byte 53: Span.spanId must be 16 hex digits for a span id, got 15 characters.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"eee19b7ec3c1b17g"}]}]}]}""",
        "Invalid OTLP/JSON at byte 53: Span.spanId must be hex digits (0-9, a-f) for a span id.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":123}]}]}]}""",
        "Invalid OTLP/JSON at byte 54: Span.traceId must be a hex string, got a number.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]}""",
        "Invalid OTLP/JSON at byte 51: Span.name must be a string, got a number.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}""",
        "Invalid OTLP/JSON at byte 64: Span.startTimeUnixNano must be an unsigned 64-bit integer (a number or a decimal string), got \"soon\".")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SERVER"}]}]}]}""",
        "Invalid OTLP/JSON at byte 51: Span.kind must be an enum integer or one of its names (SPAN_KIND_UNSPECIFIED..SPAN_KIND_CONSUMER), got \"SERVER\".")]
    [InlineData("""{"resourceSpans":{}}""",
        "Invalid OTLP/JSON at byte 17: ExportTraceServiceRequest.resourceSpans must be an array, got an object.")]
    [InlineData("""{"resourceSpans":[5]}""",
        "Invalid OTLP/JSON at byte 18: ExportTraceServiceRequest.resourceSpans must be an array of objects, got an element that is a number.")]
    [InlineData("""{"resourceSpans":[null]}""",
        "Invalid OTLP/JSON at byte 18: ExportTraceServiceRequest.resourceSpans must not contain null elements.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"intValue":1.5}}]}]}]}]}""",
        "Invalid OTLP/JSON at byte 89: AnyValue.intValue must be a signed 64-bit integer (a number or a decimal string), got 1.5.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"boolValue":"true"}}]}]}]}]}""",
        "Invalid OTLP/JSON at byte 90: AnyValue.boolValue must be true or false, got a string.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"bytesValue":"!!"}}]}]}]}]}""",
        "Invalid OTLP/JSON at byte 91: AnyValue.bytesValue must be base64-encoded bytes.")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"droppedAttributesCount":-1}]}]}]}""",
        "Invalid OTLP/JSON at byte 69: Span.droppedAttributesCount must be an unsigned 32-bit integer, got -1.")]
    [InlineData("""[]""",
        "Invalid OTLP/JSON at byte 0: the body must be a JSON object (ExportTraceServiceRequest).")]
    [InlineData("",
        "Invalid OTLP/JSON: the ExportTraceServiceRequest body is empty.")]
    public void ParseTraces_Invalid_ThrowsNamingFieldAndPosition(string json, string message)
    {
        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void ParseMetrics_WrongTypeForDataPointField_NamesIt()
    {
        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpJson.ParseMetrics(
            """{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"bucketCounts":[true]}]}}]}]}]}"""u8));

        Assert.Equal("Invalid OTLP/JSON at byte 94: HistogramDataPoint.bucketCounts must be an unsigned 64-bit integer (a number or a decimal string), got a boolean.", ex.Message);
    }

    [Fact]
    public void ParseLogs_WrongSeverity_NamesIt()
    {
        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpJson.ParseLogs(
            """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":{}}]}]}]}"""u8));

        Assert.Equal("Invalid OTLP/JSON at byte 64: LogRecord.severityNumber must be an enum integer or one of its names (SEVERITY_NUMBER_UNSPECIFIED..SEVERITY_NUMBER_FATAL4), got an object.", ex.Message);
    }

    [Theory]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"s"}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"s""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":""")]
    [InlineData("""{"resourceSpans":""")]
    [InlineData("""{""")]
    public void ParseTraces_Truncated_Throws(string json)
    {
        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(json)));

        Assert.StartsWith("Invalid OTLP/JSON in ExportTraceServiceRequest: ", ex.Message);
    }

    [Fact]
    public void ParseTraces_InvalidUtf8InString_ThrowsDecodeException()
    {
        byte[] json = [.. "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\""u8, 0xC3, 0x28, .. "\"}]}]}]}"u8];

        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpJson.ParseTraces(json));

        Assert.StartsWith("Invalid OTLP/JSON in ExportTraceServiceRequest: ", ex.Message);
    }

    [Fact]
    public void ParseTraces_TrailingGarbage_Throws()
    {
        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpJson.ParseTraces("""{"resourceSpans":[]} x"""u8));

        Assert.StartsWith("Invalid OTLP/JSON in ExportTraceServiceRequest: ", ex.Message);
    }

    [Fact]
    public void ParseTraces_NestingBeyondLimit_Throws()
    {
        var json = new StringBuilder("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":""");
        for (int i = 0; i < 200; i++)
        {
            json.Append("""{"arrayValue":{"values":[""");
        }

        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(json.ToString())));

        Assert.Contains("maximum configured depth of 128", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseTraces_DeepButAllowedNesting_Parses()
    {
        var value = new OpenTelemetry.Proto.Common.V1.AnyValue { StringValue = "leaf" };
        for (int i = 0; i < 25; i++)
        {
            value = new OpenTelemetry.Proto.Common.V1.AnyValue { ArrayValue = new OpenTelemetry.Proto.Common.V1.ArrayValue { Values = { value } } };
        }

        var request = new OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest
        {
            ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { new Span { Attributes = { SampleData.Kv("deep", value) } } } } } } },
        };

        var parsed = OtlpJson.ParseTraces(OtlpJsonRoundTripTests.WriteBytes(b => OtlpJson.Write(request, b)));

        Assert.Equal(request, parsed);
    }

    [Fact]
    public void ParseTraces_EscapedHexDigits_Decoded()
    {
        var span = OtlpJson.ParseTraces("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"\u0065ee19b7ec3c1b174"}]}]}]}"""u8)
            .ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal(ByteString.CopyFrom(SampleData.SpanId), span.SpanId);
    }
}
