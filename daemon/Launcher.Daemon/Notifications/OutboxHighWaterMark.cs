using System.Globalization;
using System.Text;
using Launcher.Platform.Files;
using Microsoft.Win32.SafeHandles;

namespace Launcher.Daemon.Notifications;

/// <summary>
/// The count of notifications ever committed to the outbox, kept outside the database in a small root-only file
/// (<c>outbox.committed</c>). It is written and flushed to disk after each commit that stored a notification and
/// before the sender is answered, so it is never behind a notification a sender was told is stored. At start a
/// database whose own count is lower has lost committed work (a deleted WAL, a truncated or replaced file).
/// </summary>
internal sealed class OutboxHighWaterMark : IDisposable
{
    private const string Magic = "launcher-outbox-committed";

    // One fixed-size record rewritten in place: a single sector, so a write is not torn in practice, and one
    // fdatasync per commit instead of a rename and two directory syncs.
    private const int RecordBytes = 64;

    private readonly string _path;
    private SafeFileHandle? _handle;

    public OutboxHighWaterMark(string path)
    {
        _path = path;
    }

    public string Path => _path;

    /// <summary>The recorded count; null when there is no file (a first start, or an outbox from before it existed).</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a record of this kind.</exception>
    public long? Read()
    {
        if (!File.Exists(_path) && !SecureFile.IsSymbolicLink(_path))
        {
            return null;
        }

        string text = Encoding.ASCII.GetString(SecureFile.ReadAllBytes(_path, maxBytes: 4096)).Trim();
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0] != Magic || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
        {
            throw new InvalidDataException($"{_path} is not an outbox count record.");
        }

        return count;
    }

    /// <summary>Records <paramref name="committed"/> durably (written and flushed to disk before this returns).</summary>
    public void Write(long committed)
    {
        byte[] record = Encoding.ASCII.GetBytes($"{Magic} {committed.ToString(CultureInfo.InvariantCulture)}".PadRight(RecordBytes - 1) + "\n");
        if (_handle is null)
        {
            // Created (or replaced) atomically without following links, then kept open for in-place updates.
            SecureFile.WriteAllBytesAtomic(_path, record);
            _handle = File.OpenHandle(_path, FileMode.Open, FileAccess.Write, FileShare.Read);
            return;
        }

        RandomAccess.Write(_handle, record, 0);
        RandomAccess.FlushToDisk(_handle);
    }

    public void Dispose() => _handle?.Dispose();
}
