using System.Collections;
using System.Reflection;
using CommitmentTracker.Domain;
using CommitmentTracker.Web.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Tests.Reliability;

/// <summary>
/// Every text field the server accepts refuses control characters and broken characters: found by reflection, so a new
/// field or a new form cannot forget it.
/// </summary>
public sealed class TextRulesTests
{
    private static readonly Assembly Web = typeof(ModelValidator<>).Assembly;

    /// <summary>Every form validator of the app, with its model type.</summary>
    public static TheoryData<Type> Validators()
    {
        var data = new TheoryData<Type>();
        foreach (var type in Web.GetTypes().Where(t => !t.IsAbstract && ModelOf(t) is not null).OrderBy(t => t.FullName))
            data.Add(type);
        return data;
    }

    [Theory]
    [MemberData(nameof(Validators))]
    public async Task Every_text_field_of_every_form_refuses_control_characters(Type validatorType)
    {
        var validator = Create(validatorType);
        var model = ModelOf(validatorType)!;
        var paths = TextPaths(model).ToList();
        foreach (var (path, set) in paths)
        {
            foreach (var bad in new[] { "a\0b", "\u001b[31m", "x\u0007", "\u0085", "\uD800 half a pair" })
            {
                var instance = Activator.CreateInstance(model)!;
                set(instance, bad);
                var result = await validator.ValidateAsync(new FluentValidation.ValidationContext<object>(instance), TestContext.Current.CancellationToken);
                Assert.Contains(result.Errors, e => e.PropertyName == path && e.ErrorMessage == TextRules.ControlCharacterMessage);
            }
        }
    }

    [Fact]
    public void Tabs_and_line_breaks_are_text_and_every_other_control_character_is_not()
    {
        for (var c = '\0'; c < '\u00a0'; c++)
        {
            var expected = char.IsControl(c) && c is not ('\t' or '\r' or '\n');
            Assert.Equal(expected, Text.HasForbiddenCharacter($"a{c}b", allowLineBreaks: true));
        }
        Assert.True(Text.HasForbiddenCharacter("one\ntwo", allowLineBreaks: false));
        Assert.False(Text.HasForbiddenCharacter("😀 \u202Eright to left\u202C <script>", allowLineBreaks: false));
        Assert.True(Text.HasForbiddenCharacter("\uDE00", allowLineBreaks: true));
        Assert.Equal("ab😀", Text.WithoutForbiddenCharacters("a\0b\uD800😀"));
    }

    [Fact]
    public void Every_input_model_a_service_takes_has_a_form_validator()
    {
        var validated = Web.GetTypes().Select(ModelOf).Where(t => t is not null).ToHashSet();
        var services = Web.GetTypes().Where(t => t.Namespace?.StartsWith("CommitmentTracker.Web.Features", StringComparison.Ordinal) == true
            && t.Name.EndsWith("Service", StringComparison.Ordinal) && t.IsClass);
        var unvalidated = services
            .SelectMany(s => s.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters().Select(p => (Method: $"{m.DeclaringType!.Name}.{m.Name}", p.ParameterType)))
            .Where(p => p.ParameterType.IsClass && p.ParameterType != typeof(string) && p.ParameterType.Name.EndsWith("Input", StringComparison.Ordinal)
                && TextPaths(p.ParameterType).Any() && !validated.Contains(p.ParameterType))
            .Select(p => $"{p.Method}({p.ParameterType.Name})")
            .ToList();
        Assert.Empty(unvalidated);
    }

    private static Type? ModelOf(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ModelValidator<>))
                return t.GetGenericArguments()[0];
        }
        return null;
    }

    private static FluentValidation.IValidator Create(Type validatorType)
    {
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new Web.Features.Fulfilment.FulfilmentOptions()))
            .BuildServiceProvider();
        return (FluentValidation.IValidator)ActivatorUtilities.CreateInstance(services, validatorType);
    }

    /// <summary>The text fields of a model: its string properties, and those of the items of its lists (one item added).</summary>
    private static IEnumerable<(string Path, Action<object, string> Set)> TextPaths(Type model)
    {
        foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead))
        {
            if (property.PropertyType == typeof(string) && property.CanWrite)
            {
                yield return (property.Name, (o, v) => property.SetValue(o, v));
            }
            else if (property.PropertyType.IsGenericType && typeof(IList).IsAssignableFrom(property.PropertyType)
                     && property.PropertyType.GetGenericArguments()[0] is { IsClass: true } item && item != typeof(string)
                     && item.GetConstructor(Type.EmptyTypes) is not null)
            {
                foreach (var text in item.GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite))
                {
                    yield return ($"{property.Name}[0].{text.Name}", (o, v) =>
                    {
                        var list = (IList?)property.GetValue(o) ?? throw new InvalidOperationException($"{property.Name} is null");
                        var element = Activator.CreateInstance(item)!;
                        text.SetValue(element, v);
                        list.Add(element);
                    });
                }
            }
        }
    }
}
