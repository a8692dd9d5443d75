namespace Launcher.Rpc.Tests.Support;

/// <summary>The wire contracts the tests serve and call.</summary>
internal static class TestMethods
{
    public static readonly RpcMethod<EchoParams, EchoResult> Echo = new("test/echo", TestJsonContext.Default.EchoParams, TestJsonContext.Default.EchoResult);
    public static readonly RpcMethod<AddParams, AddResult> Add = new("test/add", TestJsonContext.Default.AddParams, TestJsonContext.Default.AddResult);
    public static readonly RpcMethod<AddParams, AddResult> AddAsync = new("test/addAsync", TestJsonContext.Default.AddParams, TestJsonContext.Default.AddResult);
    public static readonly RpcMethod<FailParams, EmptyResult> Fail = new("test/fail", TestJsonContext.Default.FailParams, TestJsonContext.Default.EmptyResult);
    public static readonly RpcMethod<EmptyParams, EmptyResult> Throw = new("test/throw", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.EmptyResult);
    public static readonly RpcMethod<EmptyParams, EmptyResult> Wait = new("test/wait", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.EmptyResult);
    public static readonly RpcMethod<RangeParams, EmptyResult> Range = new("test/range", TestJsonContext.Default.RangeParams, TestJsonContext.Default.EmptyResult);
    public static readonly RpcMethod<ExplodingParams, EmptyResult> Exploding = new("test/exploding", TestJsonContext.Default.ExplodingParams, TestJsonContext.Default.EmptyResult);
    public static readonly RpcMethod<CountParams, BlobResult> Blob = new("test/blob", TestJsonContext.Default.CountParams, TestJsonContext.Default.BlobResult);
    public static readonly RpcNotificationMethod<TickParams> Tick = new("test/tick", TestJsonContext.Default.TickParams);
    public static readonly RpcNotificationMethod<TextParams> Ping = new("test/ping", TestJsonContext.Default.TextParams);

    // The vscode-jsonrpc harness's names (tests/interop/harness.js).
    public static readonly RpcMethod<EchoParams, EchoResult> NodeEcho = new("test/echo", TestJsonContext.Default.EchoParams, TestJsonContext.Default.EchoResult);
    public static readonly RpcMethod<FailParams, EmptyResult> NodeFail = new("test/fail", TestJsonContext.Default.FailParams, TestJsonContext.Default.EmptyResult);
    public static readonly RpcMethod<AddParams, AddResult> NodeCallback = new("test/callback", TestJsonContext.Default.AddParams, TestJsonContext.Default.AddResult);
    public static readonly RpcMethod<CountParams, CountResult> NodeNotifyMe = new("test/notifyMe", TestJsonContext.Default.CountParams, TestJsonContext.Default.CountResult);
    public static readonly RpcMethod<SlowParams, DoneResult> NodeSlow = new("test/slow", TestJsonContext.Default.SlowParams, TestJsonContext.Default.DoneResult);
    public static readonly RpcMethod<EmptyParams, CountResult> NodeCancelCount = new("test/cancelCount", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.CountResult);
    public static readonly RpcMethod<EmptyParams, EmptyResult> NodeHangUp = new("test/hangUp", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.EmptyResult);
    public static readonly RpcMethod<AddParams, AddResult> ClientAdd = new("client/add", TestJsonContext.Default.AddParams, TestJsonContext.Default.AddResult);
    public static readonly RpcNotificationMethod<TickParams> ServerTick = new("server/tick", TestJsonContext.Default.TickParams);
    public static readonly RpcNotificationMethod<EmptyParams> ServerStarted = new("server/started", TestJsonContext.Default.EmptyParams);
    public static readonly RpcNotificationMethod<TextParams> ClientPing = new("client/ping", TestJsonContext.Default.TextParams);
    public static readonly RpcNotificationMethod<TextParams> ServerPong = new("server/pong", TestJsonContext.Default.TextParams);
}
