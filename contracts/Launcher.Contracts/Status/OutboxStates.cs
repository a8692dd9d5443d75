namespace Launcher.Contracts.Status;

/// <summary>The values of <see cref="OutboxHealth.State"/>.</summary>
public static class OutboxStates
{
    /// <summary>Every notification the daemon committed is in the outbox.</summary>
    public const string Ok = "ok";

    /// <summary>The outbox was damaged (committed notifications vanished, or the database was broken and replaced);
    /// the daemon recovered and works, and <see cref="OutboxHealth"/> says what was lost.</summary>
    public const string RecoveredWithLoss = "recovered-with-loss";
}
