using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// Headless Chromium driven by chromedriver (both Debian's, never downloaded), with a fresh profile per browser. The
/// fleet's self-made TLS certificate is accepted through the acceptInsecureCerts capability, in tests only.
/// </summary>
internal sealed class ConsoleBrowser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";
    private readonly string _profile;

    private ConsoleBrowser(ChromeDriver driver, string profile, Uri baseUrl)
    {
        Driver = driver;
        _profile = profile;
        BaseUrl = baseUrl;
    }

    public ChromeDriver Driver { get; }

    public Uri BaseUrl { get; }

    public static string? MissingReason() =>
        !File.Exists(ChromiumPath) ? $"chromium is not installed ({ChromiumPath})"
        : !File.Exists(DriverPath) ? $"chromium-driver is not installed ({DriverPath})"
        : null;

    public static ConsoleBrowser Start(Uri baseUrl)
    {
        if (MissingReason() is string reason)
        {
            throw new InvalidOperationException(reason + " (CI=true: scripts/setup.sh must install it)");
        }

        string profile = Path.Combine(Path.GetTempPath(), "lfleet-chromium-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(profile);
        var options = new ChromeOptions { BinaryLocation = ChromiumPath, AcceptInsecureCertificates = true };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1360,900", "--user-data-dir=" + profile);
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        return new ConsoleBrowser(driver, profile, baseUrl);
    }

    public void Go(string path) => Driver.Navigate().GoToUrl(new Uri(BaseUrl, path));

    public string CurrentPath => new Uri(Driver.Url).AbsolutePath;

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyCollection<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    public string Text(string css) => Find(css).Text;

    public async Task SignInAsync(string token)
    {
        Go("/console/login");
        Find("#token").SendKeys(token);
        await ClickAndWaitAsync(Find("#sign-in"));
    }

    public Task ClickAndWaitAsync(string css) => ClickAndWaitAsync(Find(css));

    /// <summary>Clicks a link or submit button and waits until the next page has replaced this one and has loaded.</summary>
    public async Task ClickAndWaitAsync(IWebElement element)
    {
        IWebElement page = Find("html");
        element.Click();
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (Replaced(page) && IsLoaded())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No new page after the click; still at {Driver.Url}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Whether <paramref name="page"/> (the old document's root) has left the browser's document. Chromium
    /// says so as "stale element", or, while the new document is being attached, as an inspector error that the node
    /// "does not belong to the document".</summary>
    private static bool Replaced(IWebElement page)
    {
        try
        {
            _ = page.TagName;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
        catch (UnknownErrorException ex) when (ex.Message.Contains("does not belong to the document", StringComparison.Ordinal))
        {
            return true;
        }
    }

    /// <summary>Whether the current document has finished loading (false while a navigation is still under way).</summary>
    private bool IsLoaded()
    {
        try
        {
            return Equals(Driver.ExecuteScript("return document.readyState;"), "complete");
        }
        catch (WebDriverException)
        {
            return false;
        }
    }

    /// <summary>Polls the page (it may reload itself) until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (WebDriverException)
            {
                // The page was replaced under us (a refresh); look again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; page {Driver.Url}:\n{Driver.PageSource}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Saves a screenshot under artifacts/console/ of the repository (not committed).</summary>
    public string Screenshot(string name)
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Launcher.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        string folder = Path.Combine(directory ?? Path.GetTempPath(), "artifacts", "console");
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, name + ".png");

        // The whole page, not just the first screenful: grow the window to the document's height for the shot.
        System.Drawing.Size window = Driver.Manage().Window.Size;
        long height = Convert.ToInt64(Driver.ExecuteScript("return document.documentElement.scrollHeight;"), System.Globalization.CultureInfo.InvariantCulture);
        Driver.Manage().Window.Size = new System.Drawing.Size(window.Width, (int)Math.Clamp(height + 140, window.Height, 6000));
        Driver.GetScreenshot().SaveAsFile(file);
        Driver.Manage().Window.Size = window;
        return file;
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
