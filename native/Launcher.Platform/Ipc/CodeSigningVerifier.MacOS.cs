using System.Runtime.Versioning;

namespace Launcher.Platform.Ipc;

/// <summary>
/// Checks a peer's code signature against a requirement through Security.framework, identifying the peer by the
/// audit token of its connection (pid plus pid version), so a process that exits and whose pid is reused cannot
/// pass for the one that connected.
/// </summary>
[SupportedOSPlatform("macos")]
internal sealed class CodeSigningVerifier : ICodeSigningVerifier
{
    private readonly CoreFoundationHandle _requirement;
    private readonly string _requirementText;

    /// <summary>Compiles <paramref name="requirement"/> once; throws <see cref="ArgumentException"/> when it does not compile.</summary>
    public CodeSigningVerifier(string requirement)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requirement);
        _requirementText = requirement;
        IntPtr text = CoreFoundation.CreateString(requirement);
        try
        {
            int status = SecurityFramework.SecRequirementCreateWithString(text, SecurityFramework.DefaultFlags, out IntPtr compiled);
            if (status != SecurityFramework.Success || compiled == IntPtr.Zero)
            {
                CoreFoundation.Release(compiled);
                throw new ArgumentException(
                    $"The code-signing requirement does not compile: {SecurityFramework.Describe(status)}.", nameof(requirement));
            }

            _requirement = new CoreFoundationHandle(compiled);
        }
        finally
        {
            CoreFoundation.Release(text);
        }
    }

    public bool IsEnforced => true;

    public bool Satisfies(PeerCredentials peer, out string reason)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.AuditToken.Length != PeerCredentials.AuditTokenSize)
        {
            reason = "the connection has no audit token, so its code cannot be identified";
            return false;
        }

        IntPtr tokenData = IntPtr.Zero;
        IntPtr attributes = IntPtr.Zero;
        IntPtr code = IntPtr.Zero;
        bool addedReference = false;
        try
        {
            tokenData = CoreFoundation.CreateData(peer.AuditToken.Span);
            attributes = CoreFoundation.CreateDictionary(SecurityFramework.GuestAttributeAudit, tokenData);
            int status = SecurityFramework.SecCodeCopyGuestWithAttributes(IntPtr.Zero, attributes, SecurityFramework.DefaultFlags, out code);
            if (status != SecurityFramework.Success || code == IntPtr.Zero)
            {
                reason = $"pid {peer.Pid}: its code could not be identified: {SecurityFramework.Describe(status)}";
                return false;
            }

            _requirement.DangerousAddRef(ref addedReference);
            status = SecurityFramework.SecCodeCheckValidity(code, SecurityFramework.DefaultFlags, _requirement.DangerousGetHandle());
            if (status != SecurityFramework.Success)
            {
                reason = $"pid {peer.Pid} does not satisfy the requirement '{_requirementText}': {SecurityFramework.Describe(status)}";
                return false;
            }

            reason = $"pid {peer.Pid} satisfies the requirement '{_requirementText}'";
            return true;
        }
        finally
        {
            if (addedReference)
            {
                _requirement.DangerousRelease();
            }

            CoreFoundation.Release(code);
            CoreFoundation.Release(attributes);
            CoreFoundation.Release(tokenData);
        }
    }
}
