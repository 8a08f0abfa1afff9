using System.Net;
using System.Text;
using MimeKit.Text;

namespace CommitmentTracker.Web.Features.InboundMail;

/// <summary>The readable text of an HTML mail body: the words, with line breaks where blocks end; scripts and styles dropped.</summary>
public static class HtmlText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "hr",
    };

    public static string ToText(string html)
    {
        var text = new StringBuilder();
        var skipping = 0;
        using var reader = new StringReader(html ?? "");
        var tokenizer = new HtmlTokenizer(reader);
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Name is "script" or "style" or "head":
                    skipping += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skipping = Math.Max(0, skipping);
                    break;
                case HtmlTagToken tag when Blocks.Contains(tag.Name):
                    if (text.Length > 0 && text[^1] != '\n')
                        text.Append('\n');
                    if (!tag.IsEndTag && tag.Name is "p" or "div" or "blockquote" && text.Length > 1 && text[^2] != '\n')
                        text.Append('\n');
                    break;
                case HtmlDataToken data when skipping == 0:
                    var words = WebUtility.HtmlDecode(data.Data).Replace('\u00a0', ' ');
                    text.Append(System.Text.RegularExpressions.Regex.Replace(words, @"[ \t\r\n]+", " "));
                    break;
            }
        }
        return System.Text.RegularExpressions.Regex.Replace(text.ToString(), @" *\n *", "\n").Trim();
    }
}
