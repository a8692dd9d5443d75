using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Launcher.Fleet.Web;

/// <summary>
/// The interpolated string handler behind <see cref="Html.Of"/>: literal parts are the page's own markup, every hole
/// is HTML-encoded (an <see cref="Html"/> hole is already markup and goes in as it is).
/// </summary>
[InterpolatedStringHandler]
internal ref struct HtmlInterpolation
{
    private readonly StringBuilder _builder;

    public HtmlInterpolation(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + (formattedCount * 16));
    }

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted(Html html) => _builder.Append(html.ToString());

    public readonly void AppendFormatted(string? text) => _builder.Append(Html.Encode(text));

    public readonly void AppendFormatted<T>(T value) => _builder.Append(Html.Encode(Convert.ToString(value, CultureInfo.InvariantCulture)));

    public readonly void AppendFormatted<T>(T value, string? format)
        where T : IFormattable => _builder.Append(Html.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    public readonly string ToStringAndClear()
    {
        string value = _builder.ToString();
        _builder.Clear();
        return value;
    }
}
