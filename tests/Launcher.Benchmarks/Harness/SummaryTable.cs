namespace Launcher.Benchmarks.Harness;

/// <summary>The human summary: each figure, its target, PASS/MISS/SKIP.</summary>
internal static class SummaryTable
{
    public static void Print(TextWriter output, string title, IReadOnlyList<Figure> figures)
    {
        int keyWidth = Math.Max(10, figures.Max(f => f.Key.Length));
        int valueWidth = Math.Max(8, figures.Max(f => f.ValueText.Length));
        int targetWidth = Math.Max(8, figures.Max(f => f.TargetText.Length));
        output.WriteLine();
        output.WriteLine($"== {title} ==");
        output.WriteLine($"{"figure".PadRight(keyWidth)}  {"value".PadLeft(valueWidth)}  {"target".PadRight(targetWidth)}  result");
        output.WriteLine(new string('-', keyWidth + valueWidth + targetWidth + 14));
        foreach (Figure figure in figures)
        {
            output.WriteLine($"{figure.Key.PadRight(keyWidth)}  {figure.ValueText.PadLeft(valueWidth)}  {figure.TargetText.PadRight(targetWidth)}  {figure.Status}");
            if (figure.Note is string note)
            {
                output.WriteLine($"{"".PadRight(keyWidth)}    {note}");
            }
        }
    }
}
