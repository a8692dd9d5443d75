using System.Net;
using Launcher.Fleet.Api;
using Launcher.Fleet.Link;
using Launcher.Fleet.Pki;
using Launcher.Fleet.Policy;
using Launcher.Fleet.Push;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Launcher.Fleet.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet;

/// <summary>
/// One running instance of launcher-fleet: Kestrel (HTTPS only) serving the machines' WebSocket endpoint and the
/// HTTP API, over SQLite or PostgreSQL. <c>launcher-fleet run</c> starts one; tests start several.
/// </summary>
internal sealed class FleetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FleetDatabase _database;
    private readonly FleetPki _pki;

    private FleetServer(WebApplication app, FleetDatabase database, FleetPki pki, FleetContext context, Uri url)
    {
        _app = app;
        _database = database;
        _pki = pki;
        Context = context;
        Url = url;
    }

    /// <summary>The URL as bound (the real port when the listen URL said 0).</summary>
    public Uri Url { get; }

    public FleetContext Context { get; }

    public FleetPki Pki => _pki;

    public IServiceProvider Services => _app.Services;

    public static async Task<FleetServer> StartAsync(FleetServerOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        Uri listen = options.Listen;
        if (listen.Scheme != Uri.UriSchemeHttps || listen.AbsolutePath is not ("/" or ""))
        {
            throw new FleetConfigurationException("--listen must be an https:// URL without a path (launcher-fleet serves HTTPS only).");
        }

        IPAddress? address = listen.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 ? IPAddress.Parse(listen.Host.Trim('[', ']')) : null;
        if (address is null && !listen.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new FleetConfigurationException("--listen must name an IP address or localhost; give the DNS name machines use with --public-url.");
        }

        if (!SpiffeId.IsValidTrustDomain(options.TrustDomain))
        {
            throw new FleetConfigurationException("--trust-domain must be lower-case letters, digits, dots, dashes and underscores.");
        }

        if (options.PublicUrl is not null && FleetAudience.Normalise(options.PublicUrl.ToString()) is null)
        {
            throw new FleetConfigurationException("--public-url must be https://host[:port] without a path.");
        }

        SecureFiles.CreatePrivateDirectory(options.DataDirectory);
        PolicyEngine policy = PolicyEngine.Load(options.PolicyFile);
        var names = new List<string>();
        AddName(names, address is null || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "localhost" : address.ToString());
        if (address is not null && IPAddress.IsLoopback(address))
        {
            AddName(names, "localhost");
        }

        if (options.PublicUrl is not null)
        {
            AddName(names, options.PublicUrl.Host.Trim('[', ']'));
        }

        FleetPki pki = FleetPki.LoadOrCreate(options.DataDirectory, names);
        FleetDatabase database = FleetDatabase.Open(options.Database, options.DataDirectory);
        try
        {
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            WebApplication app = Build(options, pki, database, policy, address, logging);
            var context = app.Services.GetRequiredService<FleetContext>();
            await ConsoleDataProtection.PrepareAsync(app.Services, database, options.DataDirectory, cancellationToken).ConfigureAwait(false);
            _ = app.Services.GetRequiredService<PushService>();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var url = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal));
            context.Audience = FleetAudience.Normalise((options.PublicUrl ?? url).ToString())!;
            await app.Services.GetRequiredService<WakeBus>().Listening.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            Log.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<FleetServer>(), url.ToString(), context.Audience, context.InstanceId, database.Description);
            return new FleetServer(app, database, pki, context, url);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            pki.Dispose();
            throw;
        }
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
        _pki.Dispose();
    }

    private static WebApplication Build(FleetServerOptions options, FleetPki pki, FleetDatabase database, PolicyEngine policy, IPAddress? address, Action<ILoggingBuilder>? logging)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "launcher-fleet",
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.Services.AddRoutingCore();
        builder.Services.AddProblemDetails();
        builder.Services.AddLogging(logs =>
        {
            if (logging is null)
            {
                logs.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    console.UseUtcTimestamp = true;
                });
                logs.SetMinimumLevel(LogLevel.Information);
                logs.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

                // Keys at rest in the fleet database, unencrypted by design (there is no key-encryption key to use
                // here; the database's access control guards them, docs/threat-model.md).
                logs.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
            }
            else
            {
                logging(logs);
            }
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            int port = options.Listen.Port;
            if (address is null)
            {
                kestrel.ListenLocalhost(port, listen => listen.UseHttps(pki.TlsCertificate));
            }
            else
            {
                kestrel.Listen(address, port, listen => listen.UseHttps(pki.TlsCertificate));
            }
        });

        IServiceCollection services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options.Limits);
        services.AddSingleton(database);
        services.AddSingleton(pki);
        services.AddSingleton(policy);
        services.AddSingleton(options);
        services.AddSingleton(sp => new FleetContext(database, pki, policy, options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ProofVerifier>();
        services.AddSingleton<CertificateService>();
        services.AddSingleton<EnrolmentService>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<AckWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AckWriter>());
        services.AddSingleton<WakeBus>();
        services.AddHostedService(sp => sp.GetRequiredService<WakeBus>());
        services.AddSingleton<PushService>();
        services.AddHostedService<FleetSweeper>();
        services.AddSingleton<LinkHandlers>();
        services.AddSingleton<DaemonEndpoint>();
        services.AddSingleton<FleetQueries>();
        services.AddSingleton<VerifyService>();
        services.AddSingleton<AppleAttestationService>();
        services.AddSingleton<LivenessService>();
        services.AddSingleton<AdminTokenUsage>();
        services.AddSingleton<SignInThrottle>();

        // The web console: antiforgery tokens and their cookie are protected with keys kept in the database, so a
        // restart, or any other instance on the same database, accepts forms rendered before it.
        ConsoleDataProtection.Add(services, options.Limits);
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = ConsoleCookies.Antiforgery;
            antiforgery.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.Path = "/";
            antiforgery.FormFieldName = ConsoleCookies.AntiforgeryField;
            antiforgery.HeaderName = null;
            antiforgery.SuppressXFrameOptionsHeader = true;
        });

        WebApplication app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleExceptionAsync });

        // Errors produced without a body (a query value that does not bind, say) become problem objects too.
        app.UseStatusCodePages();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = options.Limits.KeepAliveInterval, KeepAliveTimeout = options.Limits.KeepAliveTimeout });
        app.Use((http, next) => ConsoleSecurityHeaders.ApplyAsync(http, () => next(http)));
        app.UseRouting();
        DaemonEndpoint daemon = app.Services.GetRequiredService<DaemonEndpoint>();
        app.Map("/v1/daemon", daemon.HandleAsync);
        FleetApi.Map(app);
        ConsoleEndpoints.Map(app);
        app.MapFallback(http => Problems.Write(http, StatusCodes.Status404NotFound, "Not found", "No such endpoint (docs/fleet-api.md lists them)."));
        return app;
    }

    private static async Task HandleExceptionAsync(HttpContext http)
    {
        Exception? error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        string incident = Guid.NewGuid().ToString("N")[..12];
        ILogger logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<FleetServer>();
        if (error is not null)
        {
            Log.RequestFailed(logger, error, http.Request.Method, http.Request.Path, incident);
        }

        await Problems.Write(http, StatusCodes.Status500InternalServerError, "Internal error", $"The server failed; incident {incident} is in its log.").ConfigureAwait(false);
    }

    private static void AddName(List<string> names, string name)
    {
        if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            names.Add(name);
        }
    }
}
