using System.Reflection;
using CommitmentTracker.Domain;
using CommitmentTracker.Web.Persistence;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;
using ArchResult = NetArchTest.Rules.TestResult;

namespace CommitmentTracker.Web.Tests.Architecture;

/// <summary>Layering rules: storage knows no feature, the domain knows only the BCL, pages reach data through services.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly WebAssembly = typeof(AppDbContext).Assembly;
    private static readonly Assembly DomainAssembly = typeof(DomainException).Assembly;

    [Fact]
    public void Persistence_does_not_depend_on_features()
    {
        // NetArchTest reads the IL: a call inside a method body, lambda or async method counts against its type, not only signatures.
        var result = Types.InAssembly(WebAssembly)
            .That().ResideInNamespaceMatching(@"^CommitmentTracker\.Web\.Persistence(\.|$)")
            .ShouldNot().HaveDependencyOn("CommitmentTracker.Web.Features")
            .GetResult();

        AssertNone(FailingTypeNames(result),
            "Persistence must not reference CommitmentTracker.Web.Features (a feature may use storage, never the reverse); these Persistence types do:");
    }

    [Fact]
    public void Domain_references_only_the_base_class_library()
    {
        AssertNone(NonBclReferences(DomainAssembly.GetReferencedAssemblies()),
            "CommitmentTracker.Domain must reference only the BCL; it references:");
    }

    [Fact]
    public void Domain_types_do_not_depend_on_frameworks_or_the_web_project()
    {
        var result = Types.InAssembly(DomainAssembly)
            .ShouldNot().HaveDependencyOnAny(
                "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.AspNetCore", "Microsoft.Extensions",
                "FluentValidation", "MudBlazor", "CommitmentTracker.Web")
            .GetResult();

        AssertNone(FailingTypeNames(result),
            "Domain types must not use EF Core, ASP.NET, FluentValidation, MudBlazor or Web types; these do:");
    }

    [Fact]
    public void Components_do_not_inject_the_db_context()
    {
        AssertNone(DbContextInjections(WebAssembly.GetTypes()),
            "Pages, dialogs and sections call a feature service, never the DbContext; these components inject it:");
    }

    [Fact]
    public void The_injection_check_finds_a_db_context_in_an_inject_property_or_a_constructor()
    {
        var offenders = DbContextInjections([typeof(FactoryPage), typeof(ContextDialog), typeof(ServicePage)]);

        Assert.Equal(
        [
            $"{typeof(ContextDialog).FullName} takes AppDbContext db in its constructor",
            $"{typeof(FactoryPage).FullName} injects IDbContextFactory<AppDbContext> Db",
        ], offenders);
    }

    [Fact]
    public void The_reference_check_names_assemblies_outside_the_base_class_library()
    {
        AssemblyName[] references =
        [
            new("System.Runtime"), new("System.Collections"), new("netstandard"), new("mscorlib"),
            new("Microsoft.CSharp"), new("Microsoft.EntityFrameworkCore"), new("FluentValidation"),
            new("CommitmentTracker.Web"), new("SystemX"),
        ];

        Assert.Equal(["CommitmentTracker.Web", "FluentValidation", "Microsoft.EntityFrameworkCore", "SystemX"],
            NonBclReferences(references));
    }

    private static List<string> NonBclReferences(IEnumerable<AssemblyName> references) =>
        references.Select(reference => reference.Name ?? "")
            .Where(name => !(name == "System" || name.StartsWith("System.", StringComparison.Ordinal)
                             || name is "mscorlib" or "netstandard" or "Microsoft.CSharp"))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<string> DbContextInjections(IEnumerable<Type> types)
    {
        var offenders = new List<string>();
        foreach (var component in types.Where(type => typeof(ComponentBase).IsAssignableFrom(type)))
        {
            const BindingFlags declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            offenders.AddRange(component.GetProperties(declared)
                .Where(property => property.IsDefined(typeof(InjectAttribute), inherit: true) && IsDbContext(property.PropertyType))
                .Select(property => $"{component.FullName} injects {Display(property.PropertyType)} {property.Name}"));
            offenders.AddRange(component.GetConstructors(declared)
                .SelectMany(constructor => constructor.GetParameters())
                .Where(parameter => IsDbContext(parameter.ParameterType))
                .Select(parameter => $"{component.FullName} takes {Display(parameter.ParameterType)} {parameter.Name} in its constructor"));
        }
        return [.. offenders.Order(StringComparer.Ordinal)];
    }

    private static bool IsDbContext(Type type) =>
        typeof(DbContext).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDbContextFactory<>));

    private static string Display(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>"
            : type.Name;

    private static List<string> FailingTypeNames(ArchResult result) =>
        [.. (result.FailingTypeNames ?? []).Order(StringComparer.Ordinal)];

    private static void AssertNone(List<string> offenders, string headline)
    {
        if (offenders.Count > 0)
            Assert.Fail($"{headline}{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", offenders)}");
    }

    private sealed class FactoryPage : ComponentBase
    {
        [Inject] private IDbContextFactory<AppDbContext> Db { get; set; } = default!;
        [Inject] private NavigationManager Navigation { get; set; } = default!;
    }

    private sealed class ContextDialog(AppDbContext db) : ComponentBase
    {
        public AppDbContext Db { get; } = db;
    }

    private sealed class ServicePage : ComponentBase
    {
        [Inject] private NavigationManager Navigation { get; set; } = default!;
    }
}
