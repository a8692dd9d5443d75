using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Web;

/// <summary>
/// One check for every state-changing console request: a POST must carry the antiforgery form field matching its
/// antiforgery cookie (and, once signed in, the session). Anything else is refused with 400 and nothing is done.
/// </summary>
internal sealed class ConsoleAntiforgeryFilter : IEndpointFilter
{
    private readonly IAntiforgery _antiforgery;
    private readonly ILogger _logger;

    public ConsoleAntiforgeryFilter(IAntiforgery antiforgery, ILogger<ConsoleAntiforgeryFilter> logger)
    {
        _antiforgery = antiforgery;
        _logger = logger;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            return await next(context).ConfigureAwait(false);
        }

        bool valid;
        try
        {
            valid = http.Request.HasFormContentType && await _antiforgery.IsRequestValidAsync(http).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AntiforgeryValidationException or InvalidDataException or IOException)
        {
            valid = false;
        }

        if (!valid)
        {
            Log.ConsoleAntiforgeryRefused(_logger, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "?");
            var view = new ConsoleView(http, _antiforgery);
            return view.Message(StatusCodes.Status400BadRequest, "Request refused",
                "This form did not come from this console session (its antiforgery token is missing or stale). Nothing was changed; reload the page and try again.");
        }

        return await next(context).ConfigureAwait(false);
    }
}
