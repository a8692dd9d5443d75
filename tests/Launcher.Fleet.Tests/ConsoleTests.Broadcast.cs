using System.Net;
using System.Text.Json;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>The console's "Notify" page: a broadcast to a group from a real browser, and its aggregate outcome.</summary>
public sealed partial class ConsoleTests
{
    [BrowserFact(Timeout = T)]
    public async Task BroadcastToAGroup_FromTheConsole_ReachesItsMachines_AndThePageCountsTheirOutcomes()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine eng1 = await fleet.EnrolAsync(group: "eng");
        await using TestMachine eng2 = await fleet.EnrolAsync(group: "eng");
        await using TestMachine ops = await fleet.EnrolAsync(group: "ops");
        using ConsoleBrowser browser = ConsoleBrowser.Start(fleet.Url);
        await browser.SignInAsync(fleet.AdminToken);

        await browser.ClickAndWaitAsync("header nav a[href='/console/notifications']");
        browser.Find("#machines-target option[value='group']").Click();
        browser.Find("#group").SendKeys("eng");
        browser.Find("#target option[value='uid']").Click();
        browser.Find("#uid").Clear();
        browser.Find("#uid").SendKeys("501");
        browser.Find("#title").SendKeys("<b>Maintenance</b>");
        browser.Find("#body").SendKeys("Tonight at 22:00");
        await browser.ClickAndWaitAsync("#broadcast");

        Assert.StartsWith("/console/notifications/b_", browser.CurrentPath);
        string id = browser.CurrentPath["/console/notifications/".Length..];
        Assert.Equal("<b>Maintenance</b>", browser.Text("#n-title"));
        Assert.Equal("2", browser.Text("#b-machines"));
        Assert.Contains("group eng", browser.Text("#b-target"));
        FleetNotificationParams one = await eng1.NextNotificationAsync();
        FleetNotificationParams two = await eng2.NextNotificationAsync();
        Assert.Equal("<b>Maintenance</b>", one.Title);
        await Assert.ThrowsAsync<TimeoutException>(() => ops.NextNotificationAsync(TimeSpan.FromSeconds(1)));

        await eng1.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = one.Id, Uid = 501, Outcome = "clicked", Action = "open", At = 1 });
        await eng2.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = two.Id, Uid = 501, Outcome = "dismissed", At = 2 });

        // Nobody reloads: the page refreshes itself while machines may still change state.
        await browser.WaitUntilAsync(() => browser.Text("#states tr[data-state='clicked'] .count") == "1" && browser.Text("#states tr[data-state='dismissed'] .count") == "1", "the counts");
        Assert.Equal("0", browser.Text("#states tr[data-state='pending'] .count"));
        Assert.Equal("1", browser.Text("#user-outcomes tr[data-outcome='clicked'] .count"));
        Assert.Contains("clicked", browser.Text($"#broadcast-machines tr[data-machine='{eng1.MachineId}'] .state"));
        Assert.Equal("Final, or older than an hour.", browser.Text("#watching"));
        browser.Screenshot("broadcast");

        // A machine's copy is an ordinary notification page that links back to the broadcast.
        browser.Go($"/console/notifications/{one.Id}");
        Assert.Equal(id, browser.Text("#broadcast-link"));
        await browser.ClickAndWaitAsync("#broadcast-link");
        Assert.Equal($"/console/notifications/{id}", browser.CurrentPath);

        // The state filter lists only the machines in that state.
        await browser.ClickAndWaitAsync("#states tr[data-state='dismissed'] a");
        Assert.Single(browser.FindAll("#broadcast-machines tr[data-machine]"));
        Assert.Contains(eng2.MachineId!, browser.Text("#broadcast-machines"));

        // The Notify page lists it; a form without the antiforgery token changes nothing.
        browser.Go("/console/notifications");
        Assert.Contains(id, browser.Text("#broadcasts"));
        string session = browser.Driver.Manage().Cookies.GetCookieNamed("__Host-lf_console")!.Value;
        string antiforgery = browser.Driver.Manage().Cookies.GetCookieNamed("__Host-lf_af")!.Value;
        using HttpClient client = Client(fleet, session, antiforgery);
        using HttpResponseMessage forged = await client.PostAsync("/console/notifications", new FormUrlEncodedContent([new("machines", "all"), new("target", "all"), new("title", "t"), new("body", "b")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty((await fleet.GetJsonAsync($"/api/v1/machines/{ops.MachineId}/notifications")).GetProperty("notifications").EnumerateArray());

        // An empty group is refused with the reason, nothing stored.
        browser.Find("#machines-target option[value='group']").Click();
        browser.Find("#group").SendKeys("nobody");
        browser.Find("#title").SendKeys("t");
        browser.Find("#body").SendKeys("b");
        await browser.ClickAndWaitAsync("#broadcast");
        Assert.Contains("nobody", browser.Find("main").Text);
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit?limit=500");
        Assert.Equal(1, audit.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "broadcast.created"));
    }
}
