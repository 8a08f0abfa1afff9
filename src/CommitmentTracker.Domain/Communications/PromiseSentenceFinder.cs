using System.Globalization;
using System.Text.RegularExpressions;
using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Communications;

/// <summary>Who a sentence of an email commits: the one who wrote it, the one it is written to, or unclear.</summary>
public enum Committer { Unknown, Sender, Recipient }

/// <summary>
/// A sentence of an email that commits to something by a date: where it stands in the text (so a page can highlight it),
/// the date it names resolved against the mail's date, a guess of the promise's kind and of who commits.
/// </summary>
public sealed record PromiseSentence(string Sentence, int Start, DateOnly Date, CommitmentKind Kind, Committer Committer)
{
    /// <summary>Whose promise this is, given whether the mail was written by one of our people.</summary>
    public CommitmentDirection? DirectionWhenSentByStaff(bool sentByStaff) => Committer switch
    {
        Committer.Sender => sentByStaff ? CommitmentDirection.Ours : CommitmentDirection.Theirs,
        Committer.Recipient => sentByStaff ? CommitmentDirection.Theirs : CommitmentDirection.Ours,
        _ => null,
    };
}

/// <summary>
/// Finds the sentences of an email that commit to something with a date ("we will deliver the scanners by 12 March",
/// "installation is scheduled for 3/14"). Plain rules, no language model: the text is cut before quoted replies and the
/// signature, split into sentences, and a sentence is flagged when it names a date and a commitment (a future or
/// scheduling phrase) and is not a question, a request, a negation or about the past. The rules favour precision:
/// a missed promise can still be typed in, a wrong highlight wastes the reader's attention.
/// </summary>
public static partial class PromiseSentenceFinder
{
    /// <summary>The flagged sentences of <paramref name="text"/>, in order; dates are resolved against <paramref name="sentOn"/>.</summary>
    public static IReadOnlyList<PromiseSentence> Find(string? text, DateOnly sentOn)
    {
        var found = new List<PromiseSentence>();
        foreach (var (sentence, start) in Sentences(OwnText(text ?? "")))
        {
            if (Assess(sentence, sentOn) is { } promise)
                found.Add(promise with { Start = start });
        }
        return found;
    }

    /// <summary>The one sentence judged alone: a promise, or null.</summary>
    public static PromiseSentence? Assess(string sentence, DateOnly sentOn)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var text = Normalise(sentence);
        if (text.Length < 8 || text.EndsWith('?') || Request().IsMatch(text) || Negated().IsMatch(text))
            return null;
        var marker = CommitmentMarker().Match(text);
        if (!marker.Success)
            return null;
        // "We delivered on 3 March and will invoice later": a past verb with no future after it is about the past.
        if (PastOnly().IsMatch(text) && !FutureMarker().IsMatch(text))
            return null;
        var date = DateAfter(text, marker.Index, sentOn);
        if (date is null)
            return null;
        return new PromiseSentence(sentence.Trim(), 0, date.Value, KindOf(text), CommitterOf(text));
    }

    // --- the text the sender wrote: no quoted reply, no signature ---

    /// <summary>The text up to the signature or quoted reply, quoted lines blanked: positions stay those of the original text.</summary>
    private static string OwnText(string text)
    {
        var lines = text.Replace('\r', ' ').Split('\n');
        var kept = new List<string>();
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed == "--" || EndOfOwnText().IsMatch(trimmed))
                break;
            kept.Add(trimmed.StartsWith('>') ? new string(' ', line.Length) : line);
        }
        return string.Join('\n', kept);
    }

    /// <summary>Sentences with their position in the text; lines wrapped inside a paragraph are joined, list items stand alone.</summary>
    internal static IEnumerable<(string Sentence, int Start)> Sentences(string text)
    {
        var start = 0;
        var position = 0;
        var length = text.Length;
        while (position < length)
        {
            var c = text[position];
            var end = -1;
            if (c is '.' or '!' or '?' && IsSentenceEnd(text, position))
                end = position + 1;
            else if (c == '\n' && BreaksParagraph(text, position))
                end = position;
            if (end >= 0)
            {
                if (Piece(text, start, end) is { } piece)
                    yield return piece;
                start = end;
            }
            position++;
        }
        if (Piece(text, start, length) is { } last)
            yield return last;
    }

    private static (string, int)? Piece(string text, int start, int end)
    {
        var raw = text[start..end];
        var lead = raw.Length - raw.TrimStart().Length;
        var sentence = raw.Trim();
        return sentence.Length == 0 ? null : (sentence, start + lead);
    }

    private static bool IsSentenceEnd(string text, int position)
    {
        var next = position + 1;
        if (next < text.Length && !char.IsWhiteSpace(text[next]))
            return false; // 3.5, e.g., example.com
        if (text[position] != '.')
            return true;
        var wordStart = position;
        while (wordStart > 0 && char.IsLetter(text[wordStart - 1]))
            wordStart--;
        var word = text[wordStart..position];
        return !Abbreviations.Contains(word);
    }

    private static bool BreaksParagraph(string text, int position)
    {
        var rest = text.AsSpan(position + 1);
        var nextLine = rest.IndexOf('\n') is var i and >= 0 ? rest[..i] : rest;
        var trimmed = nextLine.Trim();
        // A blank line, a list item or a greeting ends what came before; a wrapped line continues it.
        if (trimmed.IsEmpty || trimmed[0] is '-' or '*' or '•' || (trimmed.Length > 1 && char.IsDigit(trimmed[0]) && trimmed[1] is '.' or ')'))
            return true;
        var before = text.AsSpan(0, position).TrimEnd();
        return before.Length > 0 && before[^1] is ',' or ':';
    }

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "no", "approx", "ca", "etc", "e", "g", "i", "vs", "incl", "dept", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    };

    private static string Normalise(string sentence) =>
        Whitespace().Replace(sentence.Replace('’', '\'').Replace('‘', '\''), " ").Trim();

    // --- dates ---

    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static int MonthOf(string name)
    {
        var key = name.TrimEnd('.').ToLowerInvariant();
        for (var i = 0; i < MonthNames.Length; i++)
        {
            if (MonthNames[i] == key || (key.Length >= 3 && MonthNames[i].StartsWith(key, StringComparison.Ordinal)))
                return i + 1;
        }
        return 0;
    }

    /// <summary>The date the commitment names: the first after its marker, else the last before it.</summary>
    private static DateOnly? DateAfter(string text, int markerIndex, DateOnly sentOn)
    {
        var dates = Dates(text, sentOn).ToList();
        if (dates.Count == 0)
            return null;
        return dates.Where(d => d.Index >= markerIndex).Select(d => (DateOnly?)d.Date).FirstOrDefault() ?? dates[^1].Date;
    }

    /// <summary>Every date mentioned in the sentence with where it starts; a day and month beat a bare weekday.</summary>
    internal static IEnumerable<(int Index, DateOnly Date)> Dates(string text, DateOnly sentOn)
    {
        var found = new List<(int Index, int Length, DateOnly Date)>();
        void Add(Match m, DateOnly? date)
        {
            if (date is { } d && !found.Any(f => m.Index < f.Index + f.Length && f.Index < m.Index + m.Length))
                found.Add((m.Index, m.Length, d));
        }

        foreach (Match m in IsoDate().Matches(text))
            Add(m, Make(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), Int(m, "m"), Int(m, "d")));
        foreach (Match m in DayMonth().Matches(text))
            Add(m, Resolve(Int(m, "d"), MonthOf(m.Groups["mon"].Value), m.Groups["y"], sentOn));
        foreach (Match m in MonthDay().Matches(text))
            Add(m, Resolve(Int(m, "d"), MonthOf(m.Groups["mon"].Value), m.Groups["y"], sentOn));
        foreach (Match m in SlashDate().Matches(text))
        {
            // Month first as in "3/14"; a first number above 12 can only be a day ("14/3").
            var (a, b) = (Int(m, "a"), Int(m, "b"));
            var (month, day) = a > 12 ? (b, a) : (a, b);
            Add(m, Resolve(day, month, m.Groups["y"], sentOn));
        }
        foreach (Match m in DottedDate().Matches(text))
            Add(m, Resolve(Int(m, "d"), Int(m, "m"), m.Groups["y"], sentOn));
        foreach (Match m in EndOfMonth().Matches(text))
        {
            var month = MonthOf(m.Groups["mon"].Value);
            var edge = m.Groups["edge"].Value.ToLowerInvariant();
            var day = edge.StartsWith("end", StringComparison.Ordinal) ? 31 : edge.StartsWith("mid", StringComparison.Ordinal) ? 15 : 1;
            Add(m, Resolve(day, month, m.Groups["y"], sentOn, clampDay: true));
        }
        foreach (Match m in Relative().Matches(text))
            Add(m, RelativeDate(m.Value.ToLowerInvariant(), sentOn));
        foreach (Match m in Within().Matches(text))
        {
            var n = WordNumber(m.Groups["n"].Value);
            var unit = m.Groups["unit"].Value.ToLowerInvariant();
            Add(m, n is null ? null : unit.StartsWith("week", StringComparison.Ordinal) ? sentOn.AddDays(7 * n.Value)
                : unit.StartsWith("month", StringComparison.Ordinal) ? sentOn.AddMonths(n.Value) : sentOn.AddDays(n.Value));
        }
        foreach (Match m in Weekday().Matches(text))
        {
            var day = Enum.Parse<DayOfWeek>(m.Groups["day"].Value, ignoreCase: true);
            var ahead = ((int)day - (int)sentOn.DayOfWeek + 7) % 7;
            // The coming one ("on Friday" written on a Friday means the next week's).
            if (ahead == 0)
                ahead = 7;
            Add(m, sentOn.AddDays(ahead));
        }
        return found.OrderBy(f => f.Index).Select(f => (f.Index, f.Date));
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static DateOnly? Make(int year, int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;

    /// <summary>A day and month, with the year if given; without one, the next such date on or after the mail's day.</summary>
    private static DateOnly? Resolve(int day, int month, Group year, DateOnly sentOn, bool clampDay = false)
    {
        if (month is < 1 or > 12 || year.Success && year.Value.Length is not (2 or 4))
            return null;
        var y = year.Success ? int.Parse(year.Value, CultureInfo.InvariantCulture) : sentOn.Year;
        if (y < 100)
            y += 2000;
        if (clampDay)
            day = Math.Min(day, DateTime.DaysInMonth(y, month));
        var date = Make(y, month, day);
        if (date is { } d && !year.Success && d < sentOn)
            date = Make(y + 1, month, clampDay ? Math.Min(day, DateTime.DaysInMonth(y + 1, month)) : day);
        return date;
    }

    private static DateOnly? RelativeDate(string phrase, DateOnly sentOn)
    {
        var friday = sentOn.AddDays(((int)DayOfWeek.Friday - (int)sentOn.DayOfWeek + 7) % 7);
        var endOfMonth = new DateOnly(sentOn.Year, sentOn.Month, DateTime.DaysInMonth(sentOn.Year, sentOn.Month));
        return phrase switch
        {
            "tomorrow" => sentOn.AddDays(1),
            "today" or "tonight" => sentOn,
            _ when phrase.Contains("next week", StringComparison.Ordinal) => friday.AddDays(7),
            _ when phrase.Contains("next month", StringComparison.Ordinal) => endOfMonth.AddDays(1).AddMonths(1).AddDays(-1),
            _ when phrase.Contains("week", StringComparison.Ordinal) => friday,
            _ when phrase.Contains("month", StringComparison.Ordinal) => endOfMonth,
            _ when phrase.Contains("year", StringComparison.Ordinal) => new DateOnly(sentOn.Year, 12, 31),
            _ => null,
        };
    }

    private static int? WordNumber(string value) => value.ToLowerInvariant() switch
    {
        "a" or "an" or "one" => 1, "two" => 2, "three" => 3, "four" => 4, "five" => 5, "six" => 6, "ten" => 10,
        var digits when int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 400 => n,
        _ => null,
    };

    // --- what is promised, by whom ---

    private static CommitmentKind KindOf(string text)
    {
        var lower = text.ToLowerInvariant();
        if (TrainingWords().IsMatch(lower))
            return CommitmentKind.Training;
        if (InstallationWords().IsMatch(lower))
            return CommitmentKind.Installation;
        if (OutcomeWords().IsMatch(lower))
            return CommitmentKind.Outcome;
        if (SupportWords().IsMatch(lower))
            return CommitmentKind.Support;
        if (DeliveryWords().IsMatch(lower))
            return CommitmentKind.Delivery;
        return CommitmentKind.Other;
    }

    private static Committer CommitterOf(string text)
    {
        var lower = text.ToLowerInvariant();
        if (SenderCommits().IsMatch(lower))
            return Committer.Sender;
        if (RecipientCommits().IsMatch(lower))
            return Committer.Recipient;
        // "Installation is scheduled for 3/14": arranged by whoever writes about it.
        return Scheduled().IsMatch(lower) ? Committer.Sender : Committer.Unknown;
    }

    private const string Months = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(on .{3,80} wrote:|-{2,}\s*original message\s*-{2,}|from: .+|sent from my .+|(best|kind|warm)( regards)?,?|regards,?|best wishes,?|cheers,?|thanks( again)?,?|many thanks,?|thank you,?|sincerely,?|mit freundlichen grüßen,?)$", RegexOptions.IgnoreCase)]
    private static partial Regex EndOfOwnText();

    [GeneratedRegex(@"^(can|could|would|will|shall) (you|we|i)\b|^(please|kindly) (send|provide|confirm|let|make|give)|\blet (me|us) know\b|\bplease confirm\b", RegexOptions.IgnoreCase)]
    private static partial Regex Request();

    [GeneratedRegex(@"\b(won't|will not|cannot|can't|can not|unable to|not able to|wouldn't|would not|no longer|never|unless we hear)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Negated();

    [GeneratedRegex(@"\b(will|'ll|shall|going to|promise|guarantee|commit(?:ted)? to|is due|are due|due (?:on|by)|(?:is|are) (?:scheduled|planned|booked|confirmed|set)(?: for| to)?|scheduled for|planned for|booked for|expect(?:s)? to|plan to|intend to|aim to|can deliver|ready (?:by|on)|arrives?\b|eta\b|we (?:deliver|ship|install|send|start|finish|complete)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex CommitmentMarker();

    [GeneratedRegex(@"\b(will|'ll|shall|going to|scheduled|planned|due)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FutureMarker();

    [GeneratedRegex(@"\b(was|were|had|did|delivered|shipped|installed|arrived|completed|finished|sent|yesterday|ago|last (?:week|month|year|monday|tuesday|wednesday|thursday|friday))\b", RegexOptions.IgnoreCase)]
    private static partial Regex PastOnly();

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(?<d>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?<mon>" + Months + @")\.?(?:,?\s+(?<y>\d{4}))?\b", RegexOptions.IgnoreCase)]
    private static partial Regex DayMonth();

    [GeneratedRegex(@"\b(?<mon>" + Months + @")\.?\s+(?<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(?<y>\d{4}))?", RegexOptions.IgnoreCase)]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"(?<![\d/])(?<a>\d{1,2})/(?<b>\d{1,2})(?:/(?<y>\d{2}|\d{4}))?(?![\d/])")]
    private static partial Regex SlashDate();

    [GeneratedRegex(@"(?<![\d.])(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4}|\d{2})?(?![\d])")]
    private static partial Regex DottedDate();

    [GeneratedRegex(@"\b(?<edge>end|beginning|start|middle|mid)(?:\s+of\s+(?:the\s+)?|-|\s+)(?<mon>" + Months + @")\b(?:\s+(?<y>\d{4}))?", RegexOptions.IgnoreCase)]
    private static partial Regex EndOfMonth();

    [GeneratedRegex(@"\b(tomorrow|today|tonight|(?:the )?end of (?:the |this |next )?(?:week|month|year)|next week|next month)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Relative();

    [GeneratedRegex(@"\b(?:within|in)\s+(?<n>\d+|a|an|one|two|three|four|five|six|ten)\s+(?:working\s+|business\s+)?(?<unit>days?|weeks?|months?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Within();

    [GeneratedRegex(@"\b(?:(?<next>next|this|on|by|before|until|till)\s+)?(?<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!,?\s+(?:the\s+)?\d|,?\s+(?:" + Months + @")\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b(train(?:ing|ed|er|ers)?|workshop|course|onboarding|teach|instruct)\b")]
    private static partial Regex TrainingWords();

    [GeneratedRegex(@"\b(install(?:ation|ed|ing)?|set ?up|mount(?:ed|ing)?|commission(?:ing|ed)?|integrat(?:e|ion))\b")]
    private static partial Regex InstallationWords();

    [GeneratedRegex(@"\b(go(?:es)? live|go-live|live in production|throughput|capacity|(?:per|a|an) (?:minute|hour)|acceptance|achieve|reach(?:ed)? the target|results?)\b")]
    private static partial Regex OutcomeWords();

    [GeneratedRegex(@"\b(support|fix(?:ed)?|patch|hotline|maintenance|repair|service visit|respond|response|resolve)\b")]
    private static partial Regex SupportWords();

    [GeneratedRegex(@"\b(deliver(?:y|ed|ing)?|ship(?:ment|ped|ping)?|dispatch(?:ed)?|arriv(?:e|es|al)|units?|scanners?|parts?|hardware|goods|eta)\b")]
    private static partial Regex DeliveryWords();

    [GeneratedRegex(@"^(we|i|our [a-z]+|my [a-z]+)\b|\b(we|i)('ll| will| shall| are going to| am going to| plan to| expect to| intend to| promise| commit| guarantee| can deliver| deliver| ship| install| send)\b|\byou('ll| will) (have|receive|get|see|be able)\b")]
    private static partial Regex SenderCommits();

    [GeneratedRegex(@"^(you|your [a-z]+)\b|\byou('ll| will| shall| are going to| plan to| promised| committed)\b")]
    private static partial Regex RecipientCommits();

    [GeneratedRegex(@"\b(scheduled|planned|booked|confirmed|set for)\b")]
    private static partial Regex Scheduled();
}
