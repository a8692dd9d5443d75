using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Launcher.Ctl.Doctor;

/// <summary>doctor's output: a Spectre.Console table for people, a stable JSON object for scripts.</summary>
internal static class DoctorFormatter
{
    /// <summary>Wide enough that a summary and its fix rarely wrap; a terminal narrower than this wraps them.</summary>
    public const int Width = 120;

    public static void WriteTable(DoctorReport report, TextWriter output, bool color)
    {
        ArgumentNullException.ThrowIfNull(report);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = color ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = Width;

        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn(new TableColumn("status").NoWrap());
        table.AddColumn(new TableColumn("check").NoWrap());
        table.AddColumn(new TableColumn("result / fix"));
        foreach (DoctorCheck check in report.Checks)
        {
            IRenderable result = check.Fix is null
                ? new Text(check.Summary)
                : new Rows(new Text(check.Summary), new Markup("[dim]fix:[/] " + Markup.Escape(check.Fix)));
            table.AddRow(Badge(check.Status), new Text(check.Name), result);
        }

        console.Write(table);
        console.MarkupLine($"worst: {Markup.Escape(Name(report.Worst))} (exit {report.ExitCode})");
    }

    public static string Json(DoctorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("worst", Name(report.Worst));
            writer.WriteNumber("exitCode", report.ExitCode);
            writer.WriteStartArray("checks");
            foreach (DoctorCheck check in report.Checks)
            {
                writer.WriteStartObject();
                writer.WriteString("name", check.Name);
                writer.WriteString("status", Name(check.Status));
                writer.WriteString("summary", check.Summary);
                if (check.Fix is null)
                {
                    writer.WriteNull("fix");
                }
                else
                {
                    writer.WriteString("fix", check.Fix);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string Name(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Skip => "skip",
        DoctorStatus.Warn => "warn",
        _ => "fail",
    };

    private static Markup Badge(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => new Markup("[green]ok[/]"),
        DoctorStatus.Skip => new Markup("[grey]skip[/]"),
        DoctorStatus.Warn => new Markup("[yellow bold]warn[/]"),
        _ => new Markup("[red bold]FAIL[/]"),
    };
}
