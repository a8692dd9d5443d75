namespace Launcher.Daemon.Tests.Fleet;

/// <summary>What the in-test fleet server does with a connection.</summary>
public enum FakeFleetBehaviour
{
    /// <summary>Speaks the protocol.</summary>
    Normal,

    /// <summary>Answers the upgrade with HTTP 503 and Retry-After.</summary>
    Busy,

    /// <summary>Upgrades, then sends text that is not JSON.</summary>
    Garbage,

    /// <summary>Upgrades, then sends a 2 MiB text message.</summary>
    Huge,

    /// <summary>Answers fleet/challenge with a nonce that is a number.</summary>
    WrongTypes,

    /// <summary>Answers fleet/authenticate with <see cref="FakeFleetServer.AuthenticateError"/>.</summary>
    RefuseAuthenticate,
}
