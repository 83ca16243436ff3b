using System.Text;

namespace PdsWorkflow.Benchmarks;

/// <summary>Figures as markdown: printed as they come, and kept for <c>--markdown FILE</c> (scripts/bench.sh writes docs/benchmarks.md from it).</summary>
internal static class Report
{
    private static readonly StringBuilder Text = new();

    public static void Section(string title, string? note = null)
    {
        Write("");
        Write($"## {title}");
        if (note is not null)
        {
            Write("");
            Write(note);
        }

        Write("");
    }

    public static void Table(params string[] header)
    {
        Write("| " + string.Join(" | ", header) + " |");
        Write("|" + string.Concat(header.Select(_ => " --- |")));
    }

    public static void Row(params string[] cells) => Write("| " + string.Join(" | ", cells) + " |");

    public static void Line(string text) => Write(text);

    public static void Save(string file) => File.WriteAllText(file, Text.ToString());

    private static void Write(string line)
    {
        Console.WriteLine(line);
        Text.AppendLine(line);
    }
}
