namespace Launcher.Ctl;

/// <summary>ANSI emphasis for a terminal; plain text when colour is off (pipes, NO_COLOR, tests).</summary>
internal sealed class TextStyle
{
    public static readonly TextStyle Plain = new(false);
    public static readonly TextStyle Color = new(true);

    private readonly bool _color;

    private TextStyle(bool color)
    {
        _color = color;
    }

    /// <summary>Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org).</summary>
    public static TextStyle ForConsole() =>
        Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) ? Plain : Color;

    public string Warning(string text) => _color ? $"\u001b[1;33m{text}\u001b[0m" : text;

    public string Bad(string text) => _color ? $"\u001b[1;31m{text}\u001b[0m" : text;

    public string Good(string text) => _color ? $"\u001b[32m{text}\u001b[0m" : text;

    public string Bold(string text) => _color ? $"\u001b[1m{text}\u001b[0m" : text;
}
