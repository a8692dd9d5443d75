namespace Launcher.Agent.Presenters;

/// <summary>Opens a URL in the user's session (the agent runs as that user).</summary>
internal interface IUrlOpener
{
    /// <summary>Opens <paramref name="url"/>, already checked to be absolute http(s); null on success, else why not.</summary>
    Task<string?> OpenAsync(Uri url, CancellationToken cancellationToken);
}
