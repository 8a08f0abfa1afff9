using System.Globalization;
using System.Text;
using CsvHelper;

namespace CommitmentTracker.Web.Features.Csv;

/// <summary>
/// How the app reads and writes CSV, through CsvHelper: quotes, commas and line breaks inside fields, a UTF-8 byte-order
/// mark, and the semicolon (or tab) Excel writes in locales whose decimal separator is a comma. Written files start with a
/// byte-order mark so Excel reads them as UTF-8, and a cell that a spreadsheet would run as a formula is escaped with a
/// leading apostrophe (which reading removes again, so a file round-trips).
/// </summary>
public static class CsvFiles
{
    /// <summary>UTF-8 with a byte-order mark: what Excel needs to read accents and other non-ASCII text correctly.</summary>
    public static readonly Encoding Utf8WithBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>Characters that make a spreadsheet treat a cell as a formula.</summary>
    private static readonly char[] FormulaStarts = ['=', '@', '+', '-', '\t', '\r'];

    public static CsvWriterOptions WriteOptions(bool byteOrderMark = true) => new()
    {
        Injection = CsvInjection.Escape,
        WriteByteOrderMark = byteOrderMark,
    };

    /// <summary>Writes the header, then the rows as they come; the stream is written asynchronously, never blocking on I/O.</summary>
    public static async Task WriteAsync<T>(Stream stream, IReadOnlyList<CsvExportColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken = default)
    {
        await using var csv = CsvWriter.Create(stream, WriteOptions(), true);
        await csv.WriteRecordAsync([.. columns.Select(c => c.Header)], cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
            await csv.WriteRecordAsync([.. columns.Select(c => c.Value(row) ?? "")], cancellationToken);
        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>Writes rows held in memory (templates, tests) to bytes, with the byte-order mark.</summary>
    public static byte[] Write(IEnumerable<string?[]> records)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, WriteOptions(), true))
        {
            foreach (var record in records)
                csv.WriteRecord([.. record.Select(f => f ?? "")]);
            csv.Flush();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Reads a whole file into rows of text. Columns are matched by their header, ignoring case, spaces and punctuation
    /// ("Close date", "close_date" and "CloseDate" are one column); a record with malformed quoting (a stray quote) is
    /// reported with its row. The separator (comma, semicolon, tab) is detected, and Excel's "sep=;" first line honoured.
    /// </summary>
    public static CsvTable Read(Stream stream)
    {
        var badRows = new List<int>();
        var options = new CsvReaderOptions
        {
            TrimWhitespace = true,
            DetectSeparatorHint = true,
            OnMalformedRecord = record => badRows.Add((int)record.RecordNumber),
        };
        using var csv = CsvReader.Create(stream, options, true);
        var headers = csv.Headers.ToArray();
        if (headers.Length == 0)
            return new CsvTable([], [], ",", []);
        var rows = new List<CsvRow>();
        while (csv.Read())
        {
            var values = new string?[headers.Length];
            for (var i = 0; i < headers.Length && i < csv.FieldCount; i++)
                values[i] = Unescape(csv.GetString(i));
            if (values.All(string.IsNullOrWhiteSpace))
                continue;
            // The header is row 1, as a spreadsheet numbers the records.
            rows.Add(new CsvRow((int)csv.RowNumber + 1, values));
        }
        return new CsvTable(headers, rows, csv.Separator.ToString(), badRows.Distinct().ToList());
    }

    /// <summary>A column name reduced to letters and digits, lower case: how headers are matched.</summary>
    public static string Key(string header) =>
        new([.. header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>Takes back the apostrophe written before a formula-like cell, and makes empty cells null.</summary>
    private static string? Unescape(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return value.Length > 1 && value[0] == '\'' && FormulaStarts.Contains(value[1]) ? value[1..] : value;
    }
}

/// <summary>A column of an export: its header and how a row's value is written (invariant culture, dates as year-month-day).</summary>
public sealed record CsvExportColumn<T>(string Header, Func<T, string?> Value);

/// <summary>One record of a file: its row number as a spreadsheet counts them (the header is row 1) and its fields.</summary>
public sealed record CsvRow(int Row, string?[] Values);

/// <summary>A file read into rows of text, with the delimiter found and the rows whose quoting was malformed.</summary>
public sealed record CsvTable(IReadOnlyList<string> Headers, IReadOnlyList<CsvRow> Rows, string Delimiter, IReadOnlyList<int> MalformedRows)
{
    private readonly Dictionary<string, int> _columns = Headers
        .Select((h, i) => (Key: CsvFiles.Key(h), Index: i))
        .Where(c => c.Key.Length > 0)
        .GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.First().Index);

    public bool Has(string column) => _columns.ContainsKey(CsvFiles.Key(column));

    /// <summary>The trimmed text of a column in a row, or null when empty or the file has no such column.</summary>
    public string? Get(CsvRow row, string column) =>
        _columns.TryGetValue(CsvFiles.Key(column), out var index) && index < row.Values.Length ? row.Values[index]?.Trim() : null;
}
