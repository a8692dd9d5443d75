using System.Text.Encodings.Web;
using System.Text.Json;

namespace Launcher.Ctl;

/// <summary>Writes a daemon result for <c>--json</c>: the object as received, indented, for scripts.</summary>
internal static class CtlJson
{
    // Output goes to terminals and scripts, not HTML: keep '+' in base64 and non-ASCII text readable.
    private static readonly JsonWriterOptions s_options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(JsonElement result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            result.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
