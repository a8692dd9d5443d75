using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;
using OpenQA.Selenium;

namespace Launcher.Fleet.Tests;

/// <summary>The admin web console in a real browser (headless Chromium) against a real launcher-fleet on loopback.</summary>
public sealed partial class ConsoleTests
{
    private const int T = 120_000;

    [BrowserFact(Timeout = T)]
    public async Task SignIn_RefusesAWrongToken_ThenListsTheEnrolledMachineOnline_AndSignOutEndsTheSession()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync(group: "lab");
        using ConsoleBrowser browser = ConsoleBrowser.Start(fleet.Url);

        browser.Go("/console/machines");
        Assert.Equal("/console/login", browser.CurrentPath);
        await browser.SignInAsync("lfa_not-a-token");
        Assert.Contains("not valid", browser.Text("#error"));
        Assert.Null(browser.Driver.Manage().Cookies.GetCookieNamed("__Host-lf_console"));

        await browser.SignInAsync(fleet.AdminToken);
        Assert.Equal("/console/machines", browser.CurrentPath);
        IWebElement row = browser.Find($"tr[data-machine='{machine.MachineId}']");
        Assert.Equal("online", row.FindElement(By.CssSelector(".state")).Text);
        Assert.Contains("software", row.Text);
        Assert.Contains("lab", row.Text);
        Assert.Contains("test-host", row.Text);
        OpenQA.Selenium.Cookie session = browser.Driver.Manage().Cookies.GetCookieNamed("__Host-lf_console")!;
        Assert.True(session.IsHttpOnly);
        Assert.True(session.Secure);
        Assert.Equal("Strict", session.SameSite);
        Assert.StartsWith("lfs_", session.Value);
        Assert.DoesNotContain(fleet.AdminToken, session.Value);
        browser.Screenshot("machines");

        await browser.ClickAndWaitAsync("#logout");
        Assert.Equal("/console/login", browser.CurrentPath);
        Assert.Contains("signed out", browser.Text("#info"));
        browser.Go("/console/machines");
        Assert.Equal("/console/login", browser.CurrentPath);

        // The session is gone on the server, not just in the browser: its old cookie opens nothing.
        using HttpClient replay = Client(fleet, session.Value);
        using HttpResponseMessage response = await replay.GetAsync("/console/machines");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/login", response.Headers.Location?.OriginalString);
    }

    [BrowserFact(Timeout = T)]
    public async Task MachinePage_ShowsTheMachine_AndANotificationSentFromIt_ShowsItsOutcomeChangeToClicked()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync();
        string id = machine.MachineId!;
        using ConsoleBrowser browser = ConsoleBrowser.Start(fleet.Url);
        await browser.SignInAsync(fleet.AdminToken);

        await browser.ClickAndWaitAsync($"tr[data-machine='{id}'] a");
        Assert.Equal($"/console/machines/{id}", browser.CurrentPath);
        Assert.Equal(machine.PublicKey.Thumbprint, browser.Text("#thumbprint"));
        Assert.Equal($"spiffe://test.example/machine/{id}", browser.Text("#spiffe"));
        Assert.Equal("Test", browser.Text("#fact-model"));
        Assert.Contains("online", browser.Text("#state"));
        JsonElement api = await fleet.GetJsonAsync($"/api/v1/machines/{id}");
        Assert.Contains(api.GetProperty("certificate").GetProperty("notAfter").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), browser.Text("#cert-expiry"));
        foreach (JsonElement grant in api.GetProperty("grants").EnumerateArray())
        {
            Assert.Contains(grant.GetProperty("grant").GetString()!, browser.Text("#grants"));
        }

        browser.Screenshot("machine");

        await browser.ClickAndWaitAsync("#check");
        Assert.Contains("verified against the enrolled key", browser.Text("#check-result"));
        browser.Go($"/console/machines/{id}");

        browser.Find("#uid").Clear();
        browser.Find("#uid").SendKeys("501");
        browser.Find("#title").SendKeys("Update ready");
        browser.Find("#body").SendKeys("Please restart today");
        await browser.ClickAndWaitAsync("#send");
        Assert.StartsWith("/console/notifications/", browser.CurrentPath);
        string notificationId = browser.CurrentPath["/console/notifications/".Length..];

        FleetNotificationParams delivered = await machine.NextNotificationAsync();
        Assert.Equal(notificationId, delivered.Id);
        Assert.Equal("Please restart today", delivered.Body);
        await browser.WaitUntilAsync(() => browser.Text("tr[data-uid='501'] .outcome") == "pending", "the pending outcome");

        await machine.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = notificationId, Uid = 501, Outcome = "clicked", Action = "open", At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });

        // Nobody reloads: the page refreshes itself while an outcome may change.
        await browser.WaitUntilAsync(() => browser.Text("tr[data-uid='501'] .outcome") == "clicked", "the clicked outcome");
        Assert.Equal("Final.", browser.Text("#watching"));
        browser.Screenshot("notification");
        browser.Go($"/console/machines/{id}");
        Assert.Contains("clicked", browser.Text("#notifications"));
    }

    [BrowserFact(Timeout = T)]
    public async Task RevokeFromThePage_ClosesTheMachinesConnection_CreatedTokenIsListed_AndTheAuditLogShowsBoth()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync();
        string id = machine.MachineId!;
        using ConsoleBrowser browser = ConsoleBrowser.Start(fleet.Url);
        await browser.SignInAsync(fleet.AdminToken);

        browser.Go($"/console/machines/{id}");
        await browser.ClickAndWaitAsync("#revoke-link");
        Assert.Equal($"/console/machines/{id}/revoke", browser.CurrentPath);
        await browser.ClickAndWaitAsync("#confirm-revoke");

        Assert.Equal($"/console/machines/{id}", browser.CurrentPath);
        Assert.Equal("revoked", browser.Text("#state"));
        await machine.WaitClosedAsync();
        Assert.True((await fleet.GetJsonAsync($"/api/v1/machines/{id}")).GetProperty("revoked").GetBoolean());

        browser.Go("/console/tokens");
        browser.Find("#uses").Clear();
        browser.Find("#uses").SendKeys("3");
        browser.Find("#expires").Clear();
        browser.Find("#expires").SendKeys("2h");
        browser.Find("#group").SendKeys("kiosks");
        browser.Find("#min-level option[value='software']").Click();
        await browser.ClickAndWaitAsync("#create-token");
        string secret = browser.Text("#new-token");
        browser.Screenshot("token-created");
        Assert.StartsWith("lfe_", secret);
        IWebElement row = Assert.Single(browser.FindAll("#tokens tbody tr"), r => r.Text.Contains("kiosks", StringComparison.Ordinal));
        Assert.Contains("active", row.Text);
        Assert.Contains(" 3 ", " " + row.Text.Replace('\n', ' ') + " ");
        Assert.Equal("software", row.FindElement(By.CssSelector(".min-level")).Text);

        // Shown once: the list never has it again, and it enrols a machine.
        browser.Go("/console/tokens");
        Assert.DoesNotContain(secret, browser.Driver.PageSource);
        await using TestMachine kiosk = await fleet.ConnectAsync();
        await kiosk.EnrollAsync(secret);
        Assert.Equal("kiosks", (await fleet.GetJsonAsync($"/api/v1/machines/{kiosk.MachineId}")).GetProperty("group").GetString());

        // Revoked from the list: it shows as revoked and enrols nothing more.
        await browser.ClickAndWaitAsync(Assert.Single(browser.FindAll("#tokens tbody tr"), r => r.Text.Contains("kiosks", StringComparison.Ordinal)).FindElement(By.CssSelector(".revoke-token")));
        Assert.Equal("/console/tokens", browser.CurrentPath);
        Assert.Contains("revoked", Assert.Single(browser.FindAll("#tokens tbody tr"), r => r.Text.Contains("kiosks", StringComparison.Ordinal)).Text);
        await using TestMachine late = await fleet.ConnectAsync();
        await Assert.ThrowsAsync<Launcher.Rpc.RpcException>(() => late.EnrollAsync(secret));

        browser.Go("/console/audit");
        browser.Screenshot("audit");
        string[] actions = browser.FindAll("#audit tr[data-action]").Select(r => r.GetAttribute("data-action")!).ToArray();
        Assert.Contains("console.signed-in", actions);
        Assert.Contains("machine.revoked", actions);
        Assert.Contains("token.created", actions);
        Assert.Contains("token.revoked", actions);
        IWebElement revoked = browser.Find("#audit tr[data-action='machine.revoked']");
        Assert.Contains(id, revoked.Text);
        Assert.Contains("admin:", revoked.Text);
    }

    [BrowserFact(Timeout = T)]
    public async Task MachineFactsAndNotificationText_WithMarkup_RenderAsText()
    {
        const string Model = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";
        const string Hostname = "<b id=\"injected\">bold</b>";
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.ConnectAsync();
        machine.Facts = new FleetFacts { Serial = "\"><svg onload=alert(1)>", HardwareUuid = Guid.NewGuid().ToString(), Model = Model, OsName = "Linux", OsVersion = "6", Hostname = Hostname };
        await machine.EnrollAsync(await fleet.CreateTokenAsync());
        string notification = await fleet.NotifyAsync(machine.MachineId!, new { uid = 1, title = "<i id=\"t\">hi</i>", body = "</dd><script>x()</script>" });
        using ConsoleBrowser browser = ConsoleBrowser.Start(fleet.Url);
        await browser.SignInAsync(fleet.AdminToken);

        foreach (string path in new[] { "/console/machines", $"/console/machines/{machine.MachineId}", $"/console/machines/{machine.MachineId}/revoke", $"/console/notifications/{notification}" })
        {
            browser.Go(path);
            Assert.Empty(browser.FindAll("script"));
            Assert.Empty(browser.FindAll("img"));
            Assert.Empty(browser.FindAll("svg"));
            Assert.Empty(browser.FindAll("#injected"));
            Assert.Empty(browser.FindAll("i#t"));
            Assert.DoesNotContain("pwned", browser.Driver.Title);
        }

        browser.Go("/console/machines");
        Assert.Contains(Hostname, browser.Find($"tr[data-machine='{machine.MachineId}']").Text);
        browser.Go($"/console/machines/{machine.MachineId}");
        Assert.Equal(Model, browser.Text("#fact-model"));
        browser.Go($"/console/notifications/{notification}");
        Assert.Equal("<i id=\"t\">hi</i>", browser.Text("#n-title"));
    }

    [BrowserFact(Timeout = T)]
    public async Task PostsWithoutTheAntiforgeryToken_AreRefused_AndChangeNothing()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync();
        string id = machine.MachineId!;
        using ConsoleBrowser browser = ConsoleBrowser.Start(fleet.Url);
        await browser.SignInAsync(fleet.AdminToken);
        browser.Go("/console/tokens");
        string session = browser.Driver.Manage().Cookies.GetCookieNamed("__Host-lf_console")!.Value;
        string antiforgery = browser.Driver.Manage().Cookies.GetCookieNamed("__Host-lf_af")!.Value;
        int tokensBefore = (await fleet.Server.Context.Tokens.ListEnrolmentTokensAsync(CancellationToken.None)).Count;

        // A signed-in browser tricked into posting (same cookies, no form token, or a made-up one).
        using HttpClient client = Client(fleet, session, antiforgery);
        using HttpResponseMessage noToken = await client.PostAsync($"/console/machines/{id}/revoke", new FormUrlEncodedContent([]));
        using HttpResponseMessage madeUp = await client.PostAsync($"/console/machines/{id}/revoke", new FormUrlEncodedContent([new("__af", "CfDJ8forged")]));
        using HttpResponseMessage token = await client.PostAsync("/console/tokens", new FormUrlEncodedContent([new("uses", "5"), new("expires", "1d")]));
        using HttpResponseMessage json = await client.PostAsync($"/console/machines/{id}/notifications", new StringContent("{\"uid\":1,\"title\":\"t\",\"body\":\"b\"}", System.Text.Encoding.UTF8, "application/json"));

        foreach (HttpResponseMessage response in new[] { noToken, madeUp, token, json })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync());
        }

        Assert.False((await fleet.GetJsonAsync($"/api/v1/machines/{id}")).GetProperty("revoked").GetBoolean());
        Assert.Empty((await fleet.GetJsonAsync($"/api/v1/machines/{id}/notifications")).GetProperty("notifications").EnumerateArray());
        Assert.Equal(tokensBefore, (await fleet.Server.Context.Tokens.ListEnrolmentTokensAsync(CancellationToken.None)).Count);

        // The form's own token from this session works (the same request, as the page sends it).
        browser.Go($"/console/machines/{id}/revoke");
        string field = browser.Find("input[name='__af']").GetAttribute("value")!;
        using HttpResponseMessage real = await client.PostAsync($"/console/machines/{id}/revoke", new FormUrlEncodedContent([new("__af", field)]));
        Assert.Equal(HttpStatusCode.Redirect, real.StatusCode);
        Assert.True((await fleet.GetJsonAsync($"/api/v1/machines/{id}")).GetProperty("revoked").GetBoolean());
    }

    [Fact(Timeout = T)]
    public async Task ConsoleResponses_CarryStrictSecurityHeaders_AndSignInSetsOnlyASessionCookie()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync();
        using HttpClient client = Client(fleet, null);

        using HttpResponseMessage login = await client.GetAsync("/console/login");
        string page = await login.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string csp = string.Join(";", login.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("DENY", Assert.Single(login.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(login.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("no-store", login.Headers.CacheControl!.ToString());
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        string antiforgeryCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-lf_af=", StringComparison.Ordinal));
        AssertStrictCookie(antiforgeryCookie);

        using HttpResponseMessage anonymous = await client.GetAsync($"/console/machines/{machine.MachineId}");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/console/login", anonymous.Headers.Location?.OriginalString);
        using HttpResponseMessage css = await client.GetAsync("/console/console.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);

        string field = HiddenField().Match(page).Groups[1].Value;
        string cookie = antiforgeryCookie.Split(';')[0];
        using HttpResponseMessage signIn = await PostFormAsync(client, "/console/login", cookie, [new("__af", field), new("token", fleet.AdminToken)]);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        string sessionCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-lf_console=", StringComparison.Ordinal));
        AssertStrictCookie(sessionCookie);
        Assert.DoesNotContain(fleet.AdminToken, sessionCookie);
        Assert.DoesNotContain(fleet.AdminToken, string.Join('\n', signIn.Headers.SelectMany(h => h.Value)));

        using HttpResponseMessage wrong = await PostFormAsync(client, "/console/login", cookie, [new("__af", field), new("token", "lfa_" + new string('x', 43))]);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set) && set.Any(c => c.StartsWith("__Host-lf_console=", StringComparison.Ordinal)));
    }

    [Fact(Timeout = T)]
    public async Task TokenForm_StoresTheMinimumLevel_AndRefusesAnUnknownOne()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        using HttpClient client = Client(fleet, null);
        using HttpResponseMessage login = await client.GetAsync("/console/login");
        string antiforgery = login.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__Host-lf_af=", StringComparison.Ordinal)).Split(';')[0];
        using HttpResponseMessage signIn = await PostFormAsync(client, "/console/login", antiforgery, [new("__af", HiddenField().Match(await login.Content.ReadAsStringAsync()).Groups[1].Value), new("token", fleet.AdminToken)]);
        string cookies = antiforgery + "; " + signIn.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__Host-lf_console=", StringComparison.Ordinal)).Split(';')[0];
        string field = HiddenField().Match(await GetPageAsync(client, "/console/tokens", cookies)).Groups[1].Value;

        using HttpResponseMessage unknown = await PostFormAsync(client, "/console/tokens", cookies, [new("__af", field), new("uses", "1"), new("expires", "1h"), new("group", ""), new("minLevel", "tpm")]);
        using HttpResponseMessage created = await PostFormAsync(client, "/console/tokens", cookies, [new("__af", field), new("uses", "1"), new("expires", "1h"), new("group", ""), new("minLevel", "tpm-ek-verified")]);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("must be one of tpm-ek-verified, tpm-ek-allowlisted, tpm-unverified, secure-enclave-reported, software", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("<td class=\"min-level\">tpm-ek-verified</td>", await created.Content.ReadAsStringAsync());
        Launcher.Fleet.Store.EnrolmentTokenRow row = Assert.Single(await fleet.Server.Context.Tokens.ListEnrolmentTokensAsync(CancellationToken.None));
        Assert.Equal("tpm-ek-verified", row.MinLevel);
    }

    [Fact(Timeout = T)]
    public async Task AuditLog_IsPaged_NewestFirst()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        for (int i = 0; i < 60; i++)
        {
            await fleet.Server.Context.Audit.AppendAsync(i, "test", "test.entry", null, "entry " + i, CancellationToken.None);
        }

        using HttpClient client = Client(fleet, null);
        string session = await SignInAsync(client, fleet.AdminToken);
        string first = await GetPageAsync(client, "/console/audit", session);
        string older = OlderLink().Match(first).Groups[1].Value;
        Assert.NotEmpty(older);
        string second = await GetPageAsync(client, "/console/audit?before=" + older, session);

        // 61 entries (60 and the sign-in): 50 on the first page, 11 on the second, no overlap, no further page.
        Assert.Equal(50, EntryRow().Matches(first).Count);
        Assert.Equal(11, EntryRow().Matches(second).Count);
        Assert.Contains("console.signed-in", first);
        Assert.Contains("entry 0<", second);
        Assert.DoesNotContain("entry 0<", first);
        Assert.DoesNotContain("id=\"older\"", second);
    }

    private static async Task<string> SignInAsync(HttpClient client, string adminToken)
    {
        using HttpResponseMessage login = await client.GetAsync("/console/login");
        string field = HiddenField().Match(await login.Content.ReadAsStringAsync()).Groups[1].Value;
        string antiforgery = login.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__Host-lf_af=", StringComparison.Ordinal)).Split(';')[0];
        using HttpResponseMessage signIn = await PostFormAsync(client, "/console/login", antiforgery, [new("__af", field), new("token", adminToken)]);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return signIn.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__Host-lf_console=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static async Task<string> GetPageAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("href=\"/console/audit\\?before=([0-9]+)\" id=\"older\"")]
    private static partial Regex OlderLink();

    [GeneratedRegex("<tr data-action=")]
    private static partial Regex EntryRow();

    private static void AssertStrictCookie(string setCookie)
    {
        string lower = setCookie.ToLowerInvariant();
        Assert.Contains("; secure", lower);
        Assert.Contains("; httponly", lower);
        Assert.Contains("; samesite=strict", lower);
        Assert.Contains("; path=/", lower);
        Assert.DoesNotContain("domain=", lower);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string cookie, KeyValuePair<string, string>[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    /// <summary>A client that sends the given console cookies itself and does not follow redirects.</summary>
    private static HttpClient Client(FleetHarness fleet, string? session, string? antiforgery = null)
    {
        var handler = new HttpClientHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && TestMachine.TrustCa(fleet.Ca)(certificate),
        };
        var client = new HttpClient(handler) { BaseAddress = fleet.Url, Timeout = TimeSpan.FromSeconds(30) };
        var cookies = new List<string>();
        if (session is not null)
        {
            cookies.Add("__Host-lf_console=" + session);
        }

        if (antiforgery is not null)
        {
            cookies.Add("__Host-lf_af=" + antiforgery);
        }

        if (cookies.Count > 0)
        {
            client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
        }

        return client;
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex HiddenField();
}
