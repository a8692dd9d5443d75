using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Launcher.Platform.Ipc;

internal sealed partial record PeerCredentials
{
    // <sys/un.h> on Darwin: the options live at level SOL_LOCAL (0), not SOL_SOCKET (0xffff there).
    private const int SolLocal = 0;
    private const int LocalPeerCred = 1;
    private const int LocalPeerPid = 2;
    private const int LocalPeerToken = 6;

    // <sys/ucred.h>: struct xucred { u_int cr_version; uid_t cr_uid; short cr_ngroups; gid_t cr_groups[NGROUPS]; }
    // with NGROUPS 16; the short is padded to 4 bytes, so the groups start at offset 12 and the struct is 76 bytes.
    internal const int XucredSize = 76;
    private const uint XucredVersion = 0;
    private const int XucredMaxGroups = 16;
    private const int XucredGroupsOffset = 12;

    // <bsm/audit.h>: audit_token_t is unsigned int val[8]; audit_token_to_au32 reads val[1] as the effective uid
    // and val[5] as the pid.
    internal const int AuditTokenSize = 32;
    private const int AuditTokenEuidIndex = 1;
    private const int AuditTokenPidIndex = 5;

    [SupportedOSPlatform("macos")]
    private static PeerCredentials GetMacOS(Socket socket)
    {
        Span<byte> xucred = stackalloc byte[XucredSize];
        int length = socket.GetRawSocketOption(SolLocal, LocalPeerCred, xucred);
        (uint uid, uint gid) = ParseXucred(xucred[..length]);

        Span<byte> pidBytes = stackalloc byte[sizeof(int)];
        if (socket.GetRawSocketOption(SolLocal, LocalPeerPid, pidBytes) != sizeof(int))
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }

        int pid = BinaryPrimitives.ReadInt32LittleEndian(pidBytes);

        byte[] token = new byte[AuditTokenSize];
        if (socket.GetRawSocketOption(SolLocal, LocalPeerToken, token) != AuditTokenSize)
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }

        // LOCAL_PEERCRED is captured at connect(); the token describes the process now. If they disagree the peer
        // changed its identity or exited (and its pid may be reused): refuse rather than guess which one to trust.
        (uint tokenUid, int tokenPid) = ParseAuditToken(token);
        if (tokenUid != uid || tokenPid != pid)
        {
            throw new UnauthorizedAccessException(
                $"The peer's audit token (uid {tokenUid}, pid {tokenPid}) does not match its socket credentials (uid {uid}, pid {pid}).");
        }

        return new PeerCredentials(pid, uid, gid, token);
    }

    /// <summary>
    /// Reads uid and primary gid from a Darwin <c>struct xucred</c> as LOCAL_PEERCRED returns it. Throws
    /// <see cref="InvalidDataException"/> for a short buffer, an unknown layout version or an impossible group count.
    /// </summary>
    internal static (uint Uid, uint Gid) ParseXucred(ReadOnlySpan<byte> xucred)
    {
        if (xucred.Length < XucredSize)
        {
            throw new InvalidDataException($"xucred is {xucred.Length} bytes, expected {XucredSize}.");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(xucred);
        if (version != XucredVersion)
        {
            throw new InvalidDataException($"xucred version {version} is not XUCRED_VERSION {XucredVersion}.");
        }

        uint uid = BinaryPrimitives.ReadUInt32LittleEndian(xucred[4..]);
        short groupCount = BinaryPrimitives.ReadInt16LittleEndian(xucred[8..]);

        // The kernel always reports at least the effective gid as cr_groups[0]; zero groups means garbage.
        if (groupCount < 1 || groupCount > XucredMaxGroups)
        {
            throw new InvalidDataException($"xucred reports {groupCount} groups, expected 1 to {XucredMaxGroups}.");
        }

        uint gid = BinaryPrimitives.ReadUInt32LittleEndian(xucred[XucredGroupsOffset..]);
        return (uid, gid);
    }

    /// <summary>Reads the effective uid and the pid from a 32-byte <c>audit_token_t</c>.</summary>
    internal static (uint Euid, int Pid) ParseAuditToken(ReadOnlySpan<byte> token)
    {
        if (token.Length != AuditTokenSize)
        {
            throw new InvalidDataException($"audit_token_t is {token.Length} bytes, expected {AuditTokenSize}.");
        }

        uint euid = BinaryPrimitives.ReadUInt32LittleEndian(token[(AuditTokenEuidIndex * sizeof(uint))..]);
        int pid = BinaryPrimitives.ReadInt32LittleEndian(token[(AuditTokenPidIndex * sizeof(uint))..]);
        return (euid, pid);
    }
}
