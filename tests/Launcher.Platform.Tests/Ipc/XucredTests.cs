using System.Buffers.Binary;
using Launcher.Platform.Ipc;

namespace Launcher.Platform.Tests.Ipc;

public sealed class XucredTests
{
    [Fact]
    public void ValidXucred_ReadsUidAndPrimaryGid()
    {
        byte[] xucred = Build(version: 0, uid: 501, groups: [20, 12, 61, 79]);

        (uint uid, uint gid) = PeerCredentials.ParseXucred(xucred);

        Assert.Equal(501u, uid);
        Assert.Equal(20u, gid);
    }

    [Fact]
    public void Root_IsUidZero()
    {
        (uint uid, uint gid) = PeerCredentials.ParseXucred(Build(version: 0, uid: 0, groups: [0, 1]));

        Assert.Equal(0u, uid);
        Assert.Equal(0u, gid);
    }

    [Fact]
    public void Layout_Is76BytesWithGroupsAtOffset12()
    {
        byte[] xucred = Build(version: 0, uid: 7, groups: [99]);

        Assert.Equal(76, xucred.Length);
        Assert.Equal(99u, BinaryPrimitives.ReadUInt32LittleEndian(xucred.AsSpan(12)));
    }

    [Fact]
    public void UnknownVersion_IsRejected()
    {
        Assert.Throws<InvalidDataException>(() => PeerCredentials.ParseXucred(Build(version: 1, uid: 501, groups: [20])));
    }

    [Fact]
    public void ShortBuffer_IsRejected()
    {
        Assert.Throws<InvalidDataException>(() => PeerCredentials.ParseXucred(Build(version: 0, uid: 501, groups: [20]).AsSpan(0, 12)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(-1)]
    public void ImpossibleGroupCount_IsRejected(short count)
    {
        byte[] xucred = Build(version: 0, uid: 501, groups: [20]);
        BinaryPrimitives.WriteInt16LittleEndian(xucred.AsSpan(8), count);

        Assert.Throws<InvalidDataException>(() => PeerCredentials.ParseXucred(xucred));
    }

    [Fact]
    public void AuditToken_ReadsEuidAndPid()
    {
        byte[] token = new byte[32];
        uint[] values = [501, 502, 20, 503, 21, 4242, 100007, 3];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(token.AsSpan(i * 4), values[i]);
        }

        (uint euid, int pid) = PeerCredentials.ParseAuditToken(token);

        Assert.Equal(502u, euid);
        Assert.Equal(4242, pid);
    }

    [Fact]
    public void AuditToken_WrongSize_IsRejected()
    {
        Assert.Throws<InvalidDataException>(() => PeerCredentials.ParseAuditToken(new byte[28]));
    }

    private static byte[] Build(uint version, uint uid, uint[] groups)
    {
        byte[] xucred = new byte[PeerCredentials.XucredSize];
        BinaryPrimitives.WriteUInt32LittleEndian(xucred, version);
        BinaryPrimitives.WriteUInt32LittleEndian(xucred.AsSpan(4), uid);
        BinaryPrimitives.WriteInt16LittleEndian(xucred.AsSpan(8), (short)groups.Length);

        // Bytes 10-11 are padding; fill them so a parser that reads them by mistake fails the tests.
        xucred[10] = 0xEE;
        xucred[11] = 0xEE;
        for (int i = 0; i < groups.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(xucred.AsSpan(12 + (i * 4)), groups[i]);
        }

        return xucred;
    }
}
