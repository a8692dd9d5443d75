using System.Text.Json;

namespace Launcher.Rpc.Tests.Support;

// Small wire types for the tests; grouped in one file because each is a line long.

internal sealed record EchoParams
{
    public required string Text { get; init; }

    public int Count { get; init; }
}

internal sealed record EchoResult(string Text, int Count);

internal sealed record AddParams(int A, int B);

internal sealed record AddResult(int Sum);

internal sealed record FailParams(int Code, string Message, JsonElement? Data);

internal sealed record EmptyParams;

internal sealed record EmptyResult;

internal sealed record TickParams(int N);

internal sealed record TextParams(string Text);

internal sealed record CountParams(int Count);

internal sealed record CountResult(int Count);

internal sealed record SlowParams(int Ms);

internal sealed record DoneResult(bool Done);

internal sealed record BlobResult(string Data);

internal sealed record RangeParams(int Value) : IRpcValidatable
{
    public string? Validate() => Value is >= 1 and <= 10 ? null : "value must be between 1 and 10";
}

internal sealed record ExplodingParams(int Value) : IRpcValidatable
{
    public string? Validate() => throw new InvalidOperationException("secret validator detail");
}

internal sealed record MistypedEchoResult(string Text, string Count);
