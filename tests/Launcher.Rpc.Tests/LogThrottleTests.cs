using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

/// <summary>The peer-caused log budget and the escaping of peer text in log lines.</summary>
public sealed class LogThrottleTests
{
    [Fact]
    public void PerConnectionAndShared_Budgets_BothApply_AndOneSummaryPerIntervalCountsTheRest()
    {
        var time = new ManualTimeProvider();
        var logger = new TestLogger();
        var uid = new RpcLogThrottle("uid 1001", maxPerInterval: 5, TimeSpan.FromSeconds(10), time);
        RpcLogThrottle[] connections = [.. Enumerable.Range(0, 4).Select(_ => new RpcLogThrottle("c", 3, TimeSpan.FromSeconds(10), time, uid))];

        int allowed = 0;
        for (int i = 0; i < 1000; i++)
        {
            allowed += connections[i % connections.Length].Allow(logger) ? 1 : 0;
        }

        Assert.Equal(5, allowed);
        Assert.Empty(logger.Entries);
        time.Advance(TimeSpan.FromSeconds(10));
        LogEntry summary = Assert.Single(logger.Entries);
        Assert.Equal(20, summary.EventId);
        Assert.Contains("Suppressed 995 log messages caused by uid 1001 in the last 10 s", summary.Message, StringComparison.Ordinal);
        Assert.Equal(995, uid.SuppressedTotal);
        Assert.True(connections[0].Allow(logger));
    }

    [Fact]
    public void OwnBudget_FlushOnClose_SummarisesAtOnce()
    {
        var time = new ManualTimeProvider();
        var logger = new TestLogger();
        var own = new RpcLogThrottle("peer", 2, TimeSpan.FromSeconds(10), time);
        for (int i = 0; i < 7; i++)
        {
            own.Allow(logger);
        }

        own.Flush(logger);

        Assert.Contains("Suppressed 5 log messages caused by peer", Assert.Single(logger.Entries).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("line\r\nFORGED", "line\\r\\nFORGED")]
    [InlineData("\u001B[2J\u001B[31mred", "\\u001B[2J\\u001B[31mred")]
    [InlineData("a\u202Eb\u200Bc\u2028d", "a\\u202Eb\\u200Bc\\u2028d")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("tab\there\u007F\u0085", "tab\\there\\u007F\\u0085")]
    [InlineData("emoji \U0001F600 ok", "emoji \U0001F600 ok")]
    [InlineData("tag \U000E0041", "tag \\U000E0041")]
    public void Escape_MakesPeerTextSafeForOneLogLine(string input, string expected)
    {
        Assert.Equal(expected, RpcLogText.Escape(input));
    }

    [Fact]
    public void Escape_CutsLongText()
    {
        string escaped = RpcLogText.Escape(new string('a', 10_000));

        Assert.Equal(RpcLogText.MaxChars + 1, escaped.Length);
        Assert.EndsWith("…", escaped, StringComparison.Ordinal);
    }
}
