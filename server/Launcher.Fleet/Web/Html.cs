using System.Text.Encodings.Web;

namespace Launcher.Fleet.Web;

/// <summary>
/// A fragment of markup. The only ways to make one are <see cref="Of"/> (an interpolated string whose holes are
/// HTML-encoded, unless a hole is itself an <see cref="Html"/>), <see cref="Text"/> and <see cref="Join"/>: a value
/// from a machine, a token or the database cannot reach the page unencoded.
/// </summary>
internal readonly struct Html
{
    private readonly string? _value;

    private Html(string value)
    {
        _value = value;
    }

    public static Html Empty => new(string.Empty);

    public static Html Of(HtmlInterpolation markup) => new(markup.ToStringAndClear());

    public static Html Text(string? text) => new(Encode(text));

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.ToString())));

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    /// <summary>Encodes for element content and double-quoted attribute values (quotes, ampersands, angle brackets and non-ASCII).</summary>
    public static string Encode(string? text) => string.IsNullOrEmpty(text) ? string.Empty : HtmlEncoder.Default.Encode(text);

    internal static Html Trusted(string markup) => new(markup);

    public override string ToString() => _value ?? string.Empty;
}
