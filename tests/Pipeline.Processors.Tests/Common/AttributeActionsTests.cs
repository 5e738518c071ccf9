using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using Pipeline.Abstractions.Configuration;
using Pipeline.Processors.Common;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Processors.Tests.Common;

public sealed class AttributeActionsTests
{
    [Fact]
    public void Apply_Insert_OnlyWhenKeyAbsent()
    {
        var attrs = Attrs(("a", Str("old")));

        Run("- {key: a, value: new, action: insert}\n- {key: b, value: 7, action: INSERT}", attrs);

        Assert.Equal("old", attrs[0].Value.StringValue);
        Assert.Equal(7, attrs[1].Value.IntValue);
    }

    [Fact]
    public void Apply_Update_OnlyWhenKeyPresent()
    {
        var attrs = Attrs(("a", Str("old")));

        Run("- {key: a, value: 1.5, action: update}\n- {key: b, value: x, action: update}", attrs);

        Assert.Single(attrs);
        Assert.Equal(1.5, attrs[0].Value.DoubleValue);
    }

    [Fact]
    public void Apply_UpsertFromAttribute_CopiesValueAndSkipsMissingSource()
    {
        var attrs = Attrs(("src", Str("v")), ("a", Str("old")));

        Run("- {key: a, from_attribute: src, action: upsert}\n- {key: b, from_attribute: src, action: upsert}\n- {key: c, from_attribute: missing, action: upsert}", attrs);

        Assert.Equal(["src", "a", "b"], Keys(attrs));
        Assert.Equal("v", attrs[1].Value.StringValue);
        Assert.Equal("v", attrs[2].Value.StringValue);
        Assert.NotSame(attrs[0].Value, attrs[2].Value);
    }

    [Fact]
    public void Apply_FromContextWithoutClient_MetadataAbsentAndAddressEmpty()
    {
        var attrs = Attrs(("a", Str("old")));

        // As otelcol's clientutil.Address: no address gives "", which is still a value and is inserted.
        Run("- {key: a, from_context: metadata.tenant, action: upsert}\n- {key: b, from_context: client.address, action: insert}", attrs);

        Assert.Equal(["a", "b"], Keys(attrs));
        Assert.Equal("old", attrs[0].Value.StringValue);
        Assert.Equal(string.Empty, attrs[1].Value.StringValue);
    }

    [Fact]
    public void Apply_FromContextMetadata_CopiesValueCaseInsensitively()
    {
        var attrs = Attrs(("tenant", Str("old")));
        var client = new ClientInfo("10.0.0.7", [new("X-Tenant", ["acme"])]);

        Run("- {key: tenant, from_context: metadata.X-TENANT, action: update}\n- {key: t2, from_context: metadata.x-tenant, action: insert}", attrs, client);

        Assert.Equal(["tenant", "t2"], Keys(attrs));
        Assert.Equal("acme", attrs[0].Value.StringValue);
        Assert.Equal("acme", attrs[1].Value.StringValue);
    }

    [Fact]
    public void Apply_FromContextSeveralValues_JoinedWithSemicolon()
    {
        var attrs = Attrs();
        var client = new ClientInfo(null, [new("x-tenant", ["a", "b", "c"])]);

        Run("- {key: tenant, from_context: metadata.x-tenant, action: insert}", attrs, client);

        Assert.Equal("a;b;c", Assert.Single(attrs).Value.StringValue);
    }

    [Fact]
    public void Apply_FromContextBareKey_FallsBackToMetadata()
    {
        var attrs = Attrs();
        var client = new ClientInfo(null, [new("x-tenant", ["acme"])]);

        Run("- {key: tenant, from_context: x-tenant, action: upsert}", attrs, client);

        Assert.Equal("acme", Assert.Single(attrs).Value.StringValue);
    }

    [Fact]
    public void Apply_FromContextClientAddress_CopiesAddress()
    {
        var attrs = Attrs(("client.address", Str("old")));
        var client = new ClientInfo("192.0.2.1");

        Run("- {key: client.address, from_context: client.address, action: upsert}", attrs, client);

        Assert.Equal("192.0.2.1", Assert.Single(attrs).Value.StringValue);
    }

    [Fact]
    public void Apply_FromContextAuthOrMissingKey_LeavesAttributesAlone()
    {
        var attrs = Attrs(("a", Str("old")));
        var client = new ClientInfo("192.0.2.1", [new("auth.subject", ["x"]), new("subject", ["y"])]);

        Run("- {key: a, from_context: auth.subject, action: upsert}\n- {key: b, from_context: metadata.missing, action: upsert}", attrs, client);

        Assert.Equal(["a"], Keys(attrs));
        Assert.Equal("old", attrs[0].Value.StringValue);
    }

    [Theory]
    [InlineData("client.address", "192.0.2.1")]
    [InlineData("metadata.x-multi", "1;2")]
    [InlineData("X-MULTI", "1;2")]
    [InlineData("metadata.missing", null)]
    [InlineData("auth.subject", null)]
    public void ResolveFromContext_AsOtelcol(string key, string? expected)
    {
        var client = new ClientInfo("192.0.2.1", [new("x-multi", ["1", "2"])]);

        string? value = AttributeActions.ResolveFromContext(client, key);

        Assert.Equal(expected, value);
    }

    [Fact]
    public void Apply_ValueTypes_KeepYamlTypes()
    {
        var attrs = new RepeatedField<KeyValue>();

        Run("""
            - {key: b, value: true, action: insert}
            - {key: i, value: -3, action: insert}
            - {key: d, value: 2.25, action: insert}
            - {key: s, value: "42", action: insert}
            - {key: l, value: [1, x], action: insert}
            - {key: m, value: {k: v}, action: insert}
            """, attrs);

        Assert.True(attrs[0].Value.BoolValue);
        Assert.Equal(-3, attrs[1].Value.IntValue);
        Assert.Equal(2.25, attrs[2].Value.DoubleValue);
        Assert.Equal("42", attrs[3].Value.StringValue);
        Assert.Equal(1, attrs[4].Value.ArrayValue.Values[0].IntValue);
        Assert.Equal("x", attrs[4].Value.ArrayValue.Values[1].StringValue);
        Assert.Equal("v", attrs[5].Value.KvlistValue.Values[0].Value.StringValue);
    }

    [Fact]
    public void Apply_DeleteByKeyAndPattern_RemovesAllMatches()
    {
        var attrs = Attrs(("a", Str("1")), ("secret.x", Str("2")), ("b", Str("3")), ("secret.y", Str("4")));

        Run("- {key: a, pattern: ^secret\\., action: delete}", attrs);

        Assert.Equal(["b"], Keys(attrs));
    }

    // Expected digests computed independently: python3 -c "import hashlib,struct; print(hashlib.sha256(<bytes>).hexdigest())"
    // with the bytes otelcol's sha2Hasher feeds in: UTF-8 for strings, 1 byte for bools, 8 little-endian bytes for
    // int64 and for the IEEE-754 bits of a double.
    [Theory]
    [InlineData("\"abc\"", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("\"héllo\"", "3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179")]
    [InlineData("42", "ed049108bc18f2c64369e8d0ea42850bdd1a7d1dd340cfde716315579702a76c")]
    [InlineData("true", "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a")]
    [InlineData("false", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData("1.5", "e163f8cb0f7067a7fc78ca859a77f849aea3214f38fb75b884e4a16be725c905")]
    [InlineData("\"\"", "")]
    [InlineData("[1]", "")]
    public void Apply_Hash_WritesSha256HexOfOtelcolBytes(string yamlValue, string expected)
    {
        var attrs = new RepeatedField<KeyValue>();
        Run($"- {{key: h, value: {yamlValue}, action: insert}}", attrs);

        Run("- {key: h, action: hash}", attrs);

        Assert.Equal(expected, attrs[0].Value.StringValue);
    }

    [Fact]
    public void Apply_HashKeyAlsoMatchedByPattern_HashesTwiceAsOtelcol()
    {
        var attrs = Attrs(("user.email", Str("abc")), ("user.id", Str("abc")));

        Run("- {key: user.email, pattern: ^user\\., action: hash}", attrs);

        Assert.Equal(AttributeValues.Sha256Hex(Str("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")), attrs[0].Value.StringValue);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", attrs[1].Value.StringValue);
    }

    [Fact]
    public void Apply_Extract_WritesNamedGroupsOverwritingExisting()
    {
        var attrs = Attrs(("url", Str("/api/v1/users/123")), ("version", Str("old")));

        Run("- {key: url, pattern: '^/api/(?P<version>v\\d+)/users/(?P<user_id>\\d+)$', action: extract}", attrs);

        Assert.Equal(["url", "version", "user_id"], Keys(attrs));
        Assert.Equal("v1", attrs[1].Value.StringValue);
        Assert.Equal("123", attrs[2].Value.StringValue);
    }

    [Fact]
    public void Apply_ExtractNonString_LeavesAttributes()
    {
        var attrs = Attrs(("url", new AnyValue { IntValue = 5 }));

        Run("- {key: url, pattern: '(?P<x>.*)', action: extract}", attrs);

        Assert.Equal(["url"], Keys(attrs));
    }

    [Theory]
    [InlineData("\"12\"", "int", "Int:12")]
    [InlineData("\"x12\"", "int", "Str:x12")]
    [InlineData("3.9", "int", "Int:3")]
    [InlineData("true", "int", "Int:1")]
    [InlineData("7", "double", "Double:7")]
    [InlineData("\"2.5\"", "double", "Double:2.5")]
    [InlineData("false", "double", "Double:0")]
    [InlineData("7", "string", "Str:7")]
    [InlineData("0.1", "string", "Str:0.1")]
    [InlineData("true", "string", "Str:true")]
    [InlineData("{b: 1, a: [x]}", "string", "Str:{\"a\":[\"x\"],\"b\":1}")]
    public void Apply_Convert_FollowsOtelcol(string yamlValue, string to, string expected)
    {
        var attrs = new RepeatedField<KeyValue>();
        Run($"- {{key: c, value: {yamlValue}, action: insert}}", attrs);

        Run($"- {{key: c, converted_type: {to}, action: convert}}", attrs);

        var v = attrs[0].Value;
        Assert.Equal(expected, AttributeValues.TypeName(v) + ":" + AttributeValues.AsString(v));
    }

    [Theory]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(123456789.125, "123456789.125")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(-0.000001, "-0.000001")]
    [InlineData(0.0, "0")]
    public void FormatDouble_MatchesGoFloat64AsString(double value, string expected)
    {
        string text = AttributeValues.FormatDouble(value);

        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("- {value: x, action: insert}", "error creating AttrProc due to missing required field \"key\" at the 0-th actions")]
    [InlineData("- {key: a, action: insert}", "error creating AttrProc. Either field \"value\", \"from_attribute\" or \"from_context\" setting must be specified for 0-th action")]
    [InlineData("- {key: a, value: 1, from_attribute: b, action: upsert}", "error creating AttrProc due to multiple value sources being set at the 0-th actions")]
    [InlineData("- {key: a, value: 1, pattern: x, action: update}", "error creating AttrProc. Action \"update\" does not use the \"pattern\" field. This must not be specified for 0-th action")]
    [InlineData("- {key: a, value: 1, converted_type: int, action: insert}", "error creating AttrProc. Action \"insert\" does not use the \"converted_type\" field. This must not be specified for 0-th action")]
    [InlineData("- {action: delete}", "error creating AttrProc due to missing required field (at least one of \"key\" and \"pattern\" have to be used) at the 0-th actions")]
    [InlineData("- {key: a, value: 1, action: hash}", "error creating AttrProc. Action \"hash\" does not use \"value\" or \"from_attribute\" field. These must not be specified for 0-th action")]
    [InlineData("- {key: a, pattern: '(', action: delete}", "error creating AttrProc. Field \"pattern\" has invalid pattern: \"(\" to be set at the 0-th actions")]
    [InlineData("- {key: a, action: extract}", "error creating AttrProc due to missing required field \"pattern\" for action \"extract\" at the 0-th action")]
    [InlineData("- {key: a, pattern: 'abc', action: extract}", "error creating AttrProc. Field \"pattern\" contains no named matcher groups at the 0-th actions")]
    [InlineData("- {key: a, pattern: '(?P<x>a)(b)', action: extract}", "error creating AttrProc. Field \"pattern\" contains at least one unnamed matcher group at the 0-th actions")]
    [InlineData("- {key: a, from_attribute: b, pattern: '(?P<x>a)', action: extract}", "error creating AttrProc. Action \"extract\" does not use a value source field. These must not be specified for 0-th action")]
    [InlineData("- {key: a, action: convert}", "error creating AttrProc due to missing required field \"converted_type\" for action \"convert\" at the 0-th action")]
    [InlineData("- {key: a, converted_type: bool, action: convert}", "error creating AttrProc due to invalid value \"bool\" in field \"converted_type\" for action \"convert\" at the 0-th action")]
    [InlineData("- {key: a, value: 1, converted_type: int, action: convert}", "error creating AttrProc. Action \"convert\" does not use value sources or \"pattern\" field. These must not be specified for 0-th action")]
    [InlineData("- {key: a, action: rename}", "error creating AttrProc due to unsupported action \"rename\" at the 0-th actions")]
    public void Create_InvalidAction_ReportsOtelcolMessage(string yaml, string expected)
    {
        var errors = new List<string>();

        var actions = AttributeActions.Create(Bind(yaml), errors);

        Assert.Null(actions);
        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Create_SeveralInvalidActions_ReportsEachWithItsIndex()
    {
        var errors = new List<string>();

        AttributeActions.Create(Bind("- {key: a, value: 1, action: insert}\n- {action: upsert}\n- {key: c, action: nope}"), errors);

        Assert.Equal(
            ["error creating AttrProc due to missing required field \"key\" at the 1-th actions", "error creating AttrProc due to unsupported action \"nope\" at the 2-th actions"],
            errors);
    }

    internal static List<AttributeActionConfig> Bind(string yaml)
    {
        var map = new ConfigMap();
        map.Set("actions", Yaml.Parse(yaml));
        var errors = new ConfigErrorList();
        var result = AttributeActionConfig.BindList(new ConfigSection(map, "p", errors), "actions", []);
        Assert.False(errors.HasErrors, errors.ToString());
        return result;
    }

    private static void Run(string yaml, RepeatedField<KeyValue> attrs, ClientInfo? client = null)
    {
        var errors = new List<string>();
        var actions = AttributeActions.Create(Bind(yaml), errors);
        Assert.Empty(errors);
        if (client is null)
        {
            actions!.Apply(attrs);
        }
        else
        {
            actions!.Apply(attrs, client);
        }
    }

    private static AnyValue Str(string s) => new() { StringValue = s };

    private static RepeatedField<KeyValue> Attrs(params (string Key, AnyValue Value)[] items)
    {
        var attrs = new RepeatedField<KeyValue>();
        foreach (var (key, value) in items)
        {
            attrs.Add(new KeyValue { Key = key, Value = value });
        }

        return attrs;
    }

    private static List<string> Keys(RepeatedField<KeyValue> attrs)
    {
        var keys = new List<string>();
        foreach (var kv in attrs)
        {
            keys.Add(kv.Key);
        }

        return keys;
    }
}
