using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using FluentValidation;

namespace CommitmentTracker.Web.Features;

/// <summary>
/// A FluentValidation validator that also feeds MudForm field by field, so the form and the server
/// use the very same rules. Every text field of the model (and of the items of its lists) refuses control characters
/// without the derived validator saying so: a new field cannot forget it. Dates must lie within plausible years and times
/// of day within a day, so no arithmetic on a typing slip (year 1, 9999) overflows.
/// </summary>
public abstract class ModelValidator<T> : AbstractValidator<T>
{
    protected ModelValidator()
    {
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
                continue;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (property.PropertyType == typeof(string))
                RuleFor(Getter<string?>(property)).NoControlCharacters();
            else if (type == typeof(DateTime) || type == typeof(DateOnly))
                RuleFor(Getter<object?>(property)).Must(TextRules.IsPlausibleDate).WithMessage(TextRules.DateMessage);
            else if (type == typeof(TimeSpan))
                RuleFor(Getter<object?>(property)).Must(t => t is not TimeSpan time || TextRules.IsTimeOfDay(time)).WithMessage(TextRules.TimeMessage);
            else if (TextOfItems(property.PropertyType) is { Count: > 0 } itemTexts)
                RuleFor(Getter<object?>(property)).Custom((items, context) => RefuseInItems(items, itemTexts, property.Name, context));
        }
    }

    /// <summary>For MudForm's Validation parameter: validates one property of the model.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<T>.CreateWithOptions((T)model, o => o.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };

    /// <summary>Validates on the server before saving; throws with every message when invalid.</summary>
    public async Task EnsureValidAsync(T model, CancellationToken cancellationToken = default) =>
        await this.ValidateAndThrowAsync(model, cancellationToken);

    private static Expression<Func<T, TValue>> Getter<TValue>(PropertyInfo property)
    {
        var model = Expression.Parameter(typeof(T), "x");
        Expression value = Expression.Property(model, property);
        if (property.PropertyType != typeof(TValue))
            value = Expression.Convert(value, typeof(TValue));
        return Expression.Lambda<Func<T, TValue>>(value, model);
    }

    /// <summary>The text properties of a list's items (a form's contacts, steps, items), or none when it is not such a list.</summary>
    private static List<PropertyInfo>? TextOfItems(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
            return null;
        var item = type.IsArray ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return item is null || !item.IsClass || item == typeof(string)
            ? null
            : item.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string) && p.CanRead).ToList();
    }

    private static void RefuseInItems(object? items, List<PropertyInfo> texts, string listName, ValidationContext<T> context)
    {
        if (items is not IEnumerable list)
            return;
        var index = 0;
        foreach (var item in list)
        {
            foreach (var text in texts)
            {
                if (item is not null && Domain.Text.HasForbiddenCharacter(text.GetValue(item) as string, allowLineBreaks: true))
                    context.AddFailure($"{listName}[{index}].{text.Name}", TextRules.ControlCharacterMessage);
            }
            index++;
        }
    }
}

/// <summary>Rules for text, date and time fields shared by every validator.</summary>
public static class TextRules
{
    /// <summary>The years a date of this business can fall in; outside them a date is a typing slip (and arithmetic on it may overflow).</summary>
    public const int FirstYear = 1900, LastYear = 2199;

    public static readonly string DateMessage = $"Enter a date between {FirstYear} and {LastYear}.";

    public const string TimeMessage = "Enter a time of day, between 00:00 and 23:59.";

    /// <summary>True for no date, or a date within <see cref="FirstYear"/> and <see cref="LastYear"/>.</summary>
    public static bool IsPlausibleDate(object? value) => value switch
    {
        DateTime d => d.Year is >= FirstYear and <= LastYear,
        DateOnly d => d.Year is >= FirstYear and <= LastYear,
        _ => true,
    };

    /// <summary>True for a time from midnight up to (not including) the next midnight.</summary>
    public static bool IsTimeOfDay(TimeSpan time) => time >= TimeSpan.Zero && time < TimeSpan.FromDays(1);

    public const string ControlCharacterMessage =
        "This text contains an invisible control character (such as NUL or escape) or a broken character, usually from pasting: remove it and try again.";

    /// <summary>
    /// Refuses control characters (Unicode category Cc) other than tab and line breaks. Every <see cref="ModelValidator{T}"/>
    /// applies it to each text field of its model; use it directly for text a service takes outside a form model.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => !Domain.Text.HasForbiddenCharacter(text, allowLineBreaks: true)).WithMessage(ControlCharacterMessage);
}
