using System.Security.Cryptography;
using System.Text;

namespace Launcher.Fleet.Link;

/// <summary>
/// The <c>fleet/challenge</c> nonces issued on one connection: single use, valid until their expiry, at most a few
/// outstanding (a new one pushes out the oldest). A nonce is bound to the connection that issued it, so it lives with
/// that connection: no other connection, on this instance or another, could consume it, and issuing and consuming it
/// costs no database write.
/// </summary>
internal sealed class ChallengeNonces
{
    private readonly object _gate = new();
    private readonly List<(byte[] Value, long ExpiresAt)> _issued = [];
    private readonly int _max;

    public ChallengeNonces(int max)
    {
        _max = max;
    }

    /// <summary>A fresh nonce (base64url of 32 random bytes) valid until <paramref name="expiresAt"/> (unix ms).</summary>
    public string Issue(long expiresAt)
    {
        string value = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        lock (_gate)
        {
            if (_issued.Count >= _max)
            {
                _issued.RemoveAt(0);
            }

            _issued.Add((Encoding.ASCII.GetBytes(value), expiresAt));
        }

        return value;
    }

    /// <summary>Consumes <paramref name="value"/>: true once for a nonce issued here and not expired; false otherwise.</summary>
    public bool TryConsume(string value, long now)
    {
        if (value.Length > 64)
        {
            return false;
        }

        byte[] presented = Encoding.ASCII.GetBytes(value);
        lock (_gate)
        {
            for (int i = 0; i < _issued.Count; i++)
            {
                if (CryptographicOperations.FixedTimeEquals(_issued[i].Value, presented))
                {
                    bool fresh = _issued[i].ExpiresAt > now;
                    _issued.RemoveAt(i);
                    return fresh;
                }
            }
        }

        return false;
    }
}
