using System.Text.Json;
using System.Threading.Channels;
using Launcher.Agent.Presenters;
using Launcher.Agent.Tests.DBus;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Agent.Tests;

/// <summary>
/// The C# side of the macOS notifier app, against a stand-in script that speaks the app's line protocol (the app
/// itself is Swift over UNUserNotificationCenter and runs on a Mac only). Real child processes and pipes.
/// </summary>
public sealed class NotifierAppPresenterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 30000)]
    public async Task Posted_AndListed_IsShown_ThenAClickIsClickedAndOpensTheUrl()
    {
        await using var context = new Context(this, "authorized", """
            printf '{"event":"posted","id":"%s","delivered":true}\n' "$id"
            printf '{"event":"clicked","id":"%s","actionId":null}\n' "$id"
            """);

        PresentationResult result = await context.Presenter.PresentAsync(Make("n_mac", url: "https://example.com/x"), CancellationToken.None);

        Assert.Equal(NotificationOutcomes.Shown, result.Outcome);
        NotificationInteraction interaction = await context.NextAsync();
        Assert.Equal(new NotificationInteraction("n_mac", NotificationOutcomes.Clicked, null, "the user clicked it"), interaction);
        Assert.Equal(new Uri("https://example.com/x"), await context.Opener.FirstAsync);
        using JsonDocument request = JsonDocument.Parse(File.ReadLines(context.RequestLog).Single());
        Assert.Equal("post", request.RootElement.GetProperty("op").GetString());
        Assert.Equal("Title n_mac", request.RootElement.GetProperty("title").GetString());
        Assert.Equal("approve", request.RootElement.GetProperty("actions")[0].GetProperty("id").GetString());
        Assert.Equal(new PresenterCapabilities { Clicks = true, Actions = true, TruthfulDelivery = true }, context.Presenter.Capabilities);
    }

    [Fact(Timeout = 30000)]
    public async Task ActionAndDismissal_AreReported()
    {
        await using var context = new Context(this, "authorized", """
            printf '{"event":"posted","id":"%s","delivered":true}\n' "$id"
            if [ "$id" = "n_a" ]; then printf '{"event":"clicked","id":"%s","actionId":"approve"}\n' "$id"; else printf '{"event":"dismissed","id":"%s"}\n' "$id"; fi
            """);

        await context.Presenter.PresentAsync(Make("n_a"), CancellationToken.None);
        NotificationInteraction action = await context.NextAsync();
        await context.Presenter.PresentAsync(Make("n_d"), CancellationToken.None);
        NotificationInteraction dismissal = await context.NextAsync();

        Assert.Equal(("n_a", NotificationOutcomes.Clicked, "approve"), (action.Id, action.Outcome, action.ActionId));
        Assert.Equal(("n_d", NotificationOutcomes.Dismissed), (dismissal.Id, dismissal.Outcome));
        Assert.Empty(context.Opener.Opened);
    }

    [Fact(Timeout = 30000)]
    public async Task Posted_ButNotListed_IsSubmitted_AndARefusalIsFailed()
    {
        await using var context = new Context(this, "provisional", """
            if [ "$id" = "n_quiet" ]; then printf '{"event":"posted","id":"%s","delivered":false}\n' "$id"; else printf '{"event":"failed","id":"%s","reason":"UNErrorDomain 1"}\n' "$id"; fi
            """);

        PresentationResult quiet = await context.Presenter.PresentAsync(Make("n_quiet"), CancellationToken.None);
        PresentationResult refused = await context.Presenter.PresentAsync(Make("n_refused"), CancellationToken.None);

        Assert.Equal(NotificationOutcomes.Submitted, quiet.Outcome);
        Assert.Equal(NotificationOutcomes.Failed, refused.Outcome);
        Assert.Contains("UNErrorDomain 1", refused.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30000)]
    public async Task Denied_AdvertisesNothing_AndFailsWithTheReason()
    {
        await using var context = new Context(this, "denied", "true");
        await context.Presenter.StartAsync(CancellationToken.None);

        PresentationResult result = await context.Presenter.PresentAsync(Make("n_denied"), CancellationToken.None);

        Assert.Equal(PresenterCapabilities.None, context.Presenter.Capabilities);
        Assert.Equal(NotificationOutcomes.Failed, result.Outcome);
        Assert.Contains("turned off", result.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30000)]
    public async Task AppExitsMidway_FailsWhatWasInFlight_AndIsStartedAgain()
    {
        string marker = _dir.File("crashed-once");
        await using var context = new Context(this, "authorized", $$"""
            if [ ! -e '{{marker}}' ]; then : > '{{marker}}'; exit 3; fi
            printf '{"event":"posted","id":"%s","delivered":true}\n' "$id"
            """);

        PresentationResult first = await context.Presenter.PresentAsync(Make("n_crash"), CancellationToken.None);
        PresentationResult second = await context.Presenter.PresentAsync(Make("n_again"), CancellationToken.None);

        Assert.Equal(NotificationOutcomes.Failed, first.Outcome);
        Assert.Contains("exited (code 3)", first.Reason, StringComparison.Ordinal);
        Assert.Equal(NotificationOutcomes.Shown, second.Outcome);
    }

    [Fact(Timeout = 30000)]
    public async Task NotInstalled_IsUnsupported_AndFails()
    {
        await using var presenter = new NotifierAppPresenter(_dir.File("missing/launcher-notifier"), new RecordingUrlOpener(), NullLogger.Instance);

        PresentationResult result = await presenter.PresentAsync(Make("n_none"), CancellationToken.None);

        Assert.False(presenter.IsSupported(out string reason));
        Assert.Contains("not installed", reason, StringComparison.Ordinal);
        Assert.Equal(NotificationOutcomes.Failed, result.Outcome);
    }

    private static ShowNotificationParams Make(string id, string? url = null) => new()
    {
        Id = id,
        Title = "Title " + id,
        Body = "Body",
        Url = url,
        Actions = [new NotificationAction { Id = "approve", Label = "Approve" }],
        CreatedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
    };

    /// <summary>A stand-in app: reports <c>authorization</c>, logs each request line, answers with the given shell.</summary>
    private sealed class Context : IAsyncDisposable
    {
        private readonly Channel<NotificationInteraction> _interactions = Channel.CreateUnbounded<NotificationInteraction>();

        public Context(NotifierAppPresenterTests owner, string authorization, string answer)
        {
            string script = owner._dir.File("launcher-notifier-" + Guid.NewGuid().ToString("N")[..8]);
            RequestLog = script + ".requests";
            File.WriteAllText(script, $$"""
                #!/bin/bash
                printf '{"event":"authorization","authorization":"{{authorization}}"}\n'
                while IFS= read -r line; do
                  printf '%s\n' "$line" >> '{{RequestLog}}'
                  id=$(printf '%s' "$line" | sed -n 's/^{"op":"post","id":"\([^"]*\)".*/\1/p')
                {{answer}}
                done
                """.ReplaceLineEndings("\n"));
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Presenter = new NotifierAppPresenter(script, Opener, NullLogger.Instance);
            Presenter.SetInteractionHandler(i => _interactions.Writer.TryWrite(i));
        }

        public string RequestLog { get; }

        public RecordingUrlOpener Opener { get; } = new();

        public NotifierAppPresenter Presenter { get; }

        public async Task<NotificationInteraction> NextAsync() => await _interactions.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        public ValueTask DisposeAsync() => Presenter.DisposeAsync();
    }
}
