namespace CommitmentTracker.Web.Tests.Features.Calendar;

/// <summary>One content line of an iCalendar file: name, parameters and value (RFC 5545 section 3.1).</summary>
public sealed record IcsLine(string Name, IReadOnlyDictionary<string, string> Parameters, string Value);

/// <summary>
/// A deliberately small, independent RFC 5545 reader for tests (not Ical.Net): checks CRLF line endings and the 75-octet
/// fold limit, unfolds continuation lines, splits name, parameters and value, and collects the VEVENT components.
/// </summary>
public static class MiniIcsParser
{
    public static IReadOnlyList<IcsLine> Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Replace("\r\n", "", StringComparison.Ordinal).Contains('\n', StringComparison.Ordinal))
            throw new FormatException("Lines must end with CRLF.");
        var physical = text.Split("\r\n");
        var logical = new List<string>();
        foreach (var line in physical)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(line) > 75)
                throw new FormatException($"A line is longer than 75 octets: {line}");
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (logical.Count == 0)
                    throw new FormatException("A continuation line comes first.");
                logical[^1] += line[1..];
            }
            else if (line.Length > 0)
            {
                logical.Add(line);
            }
        }
        return logical.Select(Parse).ToList();
    }

    private static IcsLine Parse(string line)
    {
        // The value starts at the first colon outside a quoted parameter value.
        var quoted = false;
        var colon = -1;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
                quoted = !quoted;
            else if (line[i] == ':' && !quoted)
            {
                colon = i;
                break;
            }
        }
        if (colon < 1)
            throw new FormatException($"No name and value: {line}");
        var head = line[..colon].Split(';');
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in head.Skip(1))
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq < 1)
                throw new FormatException($"A parameter without a value: {line}");
            parameters[p[..eq]] = p[(eq + 1)..].Trim('"');
        }
        return new IcsLine(head[0].ToUpperInvariant(), parameters, line[(colon + 1)..]);
    }

    /// <summary>The properties of each VEVENT, by name (the last of a name wins), checking BEGIN/END nesting.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, IcsLine>> Events(string text)
    {
        var events = new List<IReadOnlyDictionary<string, IcsLine>>();
        var stack = new Stack<string>();
        Dictionary<string, IcsLine>? current = null;
        foreach (var line in Lines(text))
        {
            if (line.Name == "BEGIN")
            {
                stack.Push(line.Value);
                if (line.Value == "VEVENT")
                    current = new Dictionary<string, IcsLine>(StringComparer.OrdinalIgnoreCase);
            }
            else if (line.Name == "END")
            {
                if (stack.Count == 0 || stack.Pop() != line.Value)
                    throw new FormatException($"END:{line.Value} does not close the open component.");
                if (line.Value == "VEVENT")
                {
                    events.Add(current!);
                    current = null;
                }
            }
            else if (current is not null)
            {
                current[line.Name] = line;
            }
        }
        if (stack.Count != 0)
            throw new FormatException("A component is not closed.");
        return events;
    }

    /// <summary>Undoes the TEXT escapes (backslash before , ; \ and n).</summary>
    public static string Text(string value) =>
        value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\N", "\n", StringComparison.Ordinal)
            .Replace("\\,", ",", StringComparison.Ordinal).Replace("\\;", ";", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
