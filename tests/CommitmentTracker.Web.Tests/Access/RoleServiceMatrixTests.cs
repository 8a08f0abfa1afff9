using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CommitmentTracker.Domain;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommitmentTracker.Web.Tests.Access;

/// <summary>
/// Every user action of every feature service (public methods of Features/*/*Service that take the acting user), called
/// by every role on a record of team North of the demo company: the deal's own rep and North's manager, the rep and the
/// manager of team South asking for North's record by its id, service staff and an admin. Each call is either let through
/// (it reaches the rules of the record: it succeeds, or the domain, the validator or the version check answers) or
/// refused (access denied, or "not found" for a record out of reach; a read shows nothing of North's record).
/// The methods are found by reflection, so a new one without an entry in <see cref="Expected"/> fails the test.
/// </summary>
public sealed class RoleServiceMatrixTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>The actors: North's rep owns the record under test.</summary>
    public enum Who { RepNorth, ManagerNorth, RepSouth, ManagerSouth, Service, Admin }

    private const string Readers = "RepNorth ManagerNorth Service Admin";
    private const string Team = "RepNorth ManagerNorth";
    private const string Everyone = "RepNorth ManagerNorth RepSouth ManagerSouth Service Admin";

    /// <summary>Who is let through, per service method (methods of the same name share an entry).</summary>
    internal static readonly IReadOnlyDictionary<string, string> Expected = new Dictionary<string, string>
    {
        // filled in below
    };

    public static TheoryData<string, Who> Pairs()
    {
        var data = new TheoryData<string, Who>();
        foreach (var method in ServiceActions().Select(Key).Distinct().Order(StringComparer.Ordinal))
            foreach (var who in Enum.GetValues<Who>())
                data.Add(method, who);
        return data;
    }

    /// <summary>Public methods of the feature services that act for a user (their first parameter is the actor).</summary>
    internal static IReadOnlyList<MethodInfo> ServiceActions() =>
        [.. typeof(Program).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("CommitmentTracker.Web.Features.", StringComparison.Ordinal) == true
                && t.Name.EndsWith("Service", StringComparison.Ordinal) && t.IsClass && t.IsPublic)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Actor) && typeof(Task).IsAssignableFrom(m.ReturnType))];

    private static string Key(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";

    [Fact]
    public void Every_service_action_has_an_entry_in_the_matrix()
    {
        var keys = ServiceActions().Select(Key).Distinct().ToList();

        Assert.Empty(keys.Except(Expected.Keys).Order(StringComparer.Ordinal));
        Assert.Empty(Expected.Keys.Except(keys).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_role_is_let_through_or_refused_as_the_matrix_says(string method, Who who)
    {
        var world = await World.GetAsync(database);
        var allowed = Expected[method].Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(who.ToString());

        foreach (var overload in ServiceActions().Where(m => Key(m) == method))
        {
            var outcome = await world.CallAsync(overload, who);
            Assert.True(allowed ? outcome.LetThrough : !outcome.LetThrough,
                $"{method}({string.Join(", ", overload.GetParameters().Select(p => p.ParameterType.Name))}) as {who}: expected {(allowed ? "let through" : "refused")}, was {outcome.Description}");
        }
    }

    [Fact]
    public async Task Discover()
    {
        var world = await World.GetAsync(database);
        var lines = new List<string>();
        foreach (var group in ServiceActions().GroupBy(Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var through = new List<string>();
            var notes = new List<string>();
            foreach (var who in Enum.GetValues<Who>())
            {
                var all = true;
                foreach (var m in group)
                {
                    var o = await world.CallAsync(m, who);
                    all &= o.LetThrough;
                    notes.Add($"{who}:{o.Description}");
                }
                if (all) through.Add(who.ToString());
            }
            lines.Add($"[\"{group.Key}\"] = \"{string.Join(' ', through)}\",");
            lines.AddRange(notes.Select(n => "    // " + n.Replace("\n", " ")));
        }
        await File.WriteAllLinesAsync("/tmp/matrix.txt", lines, TestContext.Current.CancellationToken);
    }

    internal sealed record Outcome(bool LetThrough, string Description);

    /// <summary>The demo company in the test database, its actors, and what the calls are made on.</summary>
    private sealed class World
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static readonly Dictionary<TestDatabase, World> Worlds = [];
        private static readonly JsonSerializerOptions Json = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles, MaxDepth = 256 };

        private readonly Dictionary<Who, Actor> _actors = [];
        private readonly Dictionary<string, object> _ids = [];
        private IServiceProvider _services = default!;
        private string _marker = "";

        public static async Task<World> GetAsync(TestDatabase database)
        {
            await Gate.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                if (!Worlds.TryGetValue(database, out var world))
                {
                    world = new World();
                    await world.BuildAsync(database);
                    Worlds[database] = world;
                }
                return world;
            }
            finally
            {
                Gate.Release();
            }
        }

        private async Task BuildAsync(TestDatabase database)
        {
            await database.SeedDemoAsync(TimeProvider.System);
            var configuration = new ConfigurationBuilder().Build();
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<IConfiguration>(configuration);
            services.AddDbContextFactory<AppDbContext>(o => PersistenceServiceCollectionExtensions.Configure(o, database.ConnectionString, TestDatabase.SaveInterceptors));
            services.AddIdentityCore<AppUser>(o => o.Password.RequiredLength = PasswordRules.MinimumLength)
                .AddRoles<IdentityRole>()
                .AddEntityFrameworkStores<AppDbContext>();
            services.AddFeatures(configuration);
            _services = services.BuildServiceProvider();

            var cancel = TestContext.Current.CancellationToken;
            await using var db = database.CreateDbContext();
            foreach (var (who, email) in new[]
                     {
                         (Who.RepNorth, "rep@demo.local"), (Who.ManagerNorth, "manager@demo.local"), (Who.RepSouth, "rep2@demo.local"),
                         (Who.ManagerSouth, "manager2@demo.local"), (Who.Service, "service@demo.local"), (Who.Admin, "admin@demo.local"),
                     })
            {
                var user = await db.Users.SingleAsync(u => u.Email == email, cancel);
                var role = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).SingleAsync(cancel);
                _actors[who] = new Actor(user.Id, user.DisplayName, role!, user.TeamId, user.Department);
            }

            // North's record: a promise of rep@demo's with a recovery plan; its deal, milestones, checklist, touchpoints, entries.
            var repId = _actors[Who.RepNorth].UserId;
            var plan = await db.RecoveryPlans.Include(p => p.Options).Where(p => db.Deals.Any(d => d.Id == p.DealId && d.OwnerId == repId)).FirstAsync(cancel);
            var deal = await db.Deals.AsNoTracking().AsSplitQuery().Include(d => d.Commitments).ThenInclude(c => c.Milestones)
                .Include(d => d.Checklist).Include(d => d.Touchpoints).Include(d => d.TechnicalReviews).SingleAsync(d => d.Id == plan.DealId, cancel);
            var promise = deal.Commitments.Single(c => c.Id == plan.CommitmentId);
            var milestone = promise.Milestones.OrderBy(m => m.Position).First();
            var account = await db.Accounts.AsNoTracking().Include(a => a.Contacts).SingleAsync(a => a.Id == deal.AccountId, cancel);
            _marker = deal.Id.ToString();
            _ids["dealId"] = deal.Id;
            _ids["planId"] = plan.Id;
            _ids["commitmentId"] = promise.Id;
            _ids["milestoneId"] = milestone.Id;
            _ids["itemId"] = deal.Checklist[0].Id;
            _ids["touchpointId"] = deal.Touchpoints[0].Id;
            _ids["reviewId"] = (deal.TechnicalReviews.Count > 0 ? deal.TechnicalReviews[0].Id : Guid.NewGuid());
            _ids["optionId"] = (plan.Options.Count > 0 ? plan.Options[0].Id : Guid.NewGuid());
            _ids["contactId"] = account.Contacts[0].Id;
            _ids["entryId"] = await db.CommunicationEntries.Where(e => e.DealId == deal.Id).Select(e => e.Id).FirstAsync(cancel);
            _ids["alertId"] = await db.Alerts.Where(a => a.RecipientId == repId).Select(a => a.Id).FirstOrDefaultAsync(cancel);
            _ids["teamId"] = _actors[Who.RepNorth].TeamId!.Value;
            _ids["templateId"] = await db.ChecklistTemplates.Where(t => t.IsActive).Select(t => t.Id).SingleAsync(cancel);
            _ids["id"] = await db.RiskLibrary.Select(r => r.Id).FirstAsync(cancel);
            _ids["milestone"] = new CommitmentTracker.Web.Features.Fulfilment.PlannedMilestone(milestone.Id, milestone.Position, milestone.Title, milestone.AssigneeId,
                milestone.PlannedDate, milestone.Status, milestone.IsCustomerAcceptance, false, 0);
            // A user of its own for the user administration calls, so no demo user is locked or deactivated.
            _ids["userId"] = (await database.CreateAsync(AppRoles.Rep, await db.Teams.SingleAsync(t => t.Id == _actors[Who.RepNorth].TeamId, cancel))).UserId;
        }

        public async Task<Outcome> CallAsync(MethodInfo method, Who who)
        {
            await using var scope = _services.CreateAsyncScope();
            var target = method.IsStatic ? null : scope.ServiceProvider.GetRequiredService(method.DeclaringType!);
            var arguments = method.GetParameters().Select(p => Argument(p, _actors[who])).ToArray();
            try
            {
                var task = (Task)method.Invoke(target, arguments)!;
                await task;
                var result = task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
                if (result is null || !IsRead(method))
                    return new(true, "done");
                // A read let through to North's record shows it; a refused read shows nothing of it.
                var shown = JsonSerializer.Serialize(result, Json).Contains(_marker, StringComparison.Ordinal);
                return new(shown || !ShowsTheRecord(method), shown ? "showed North's record" : "showed nothing of North's record");
            }
            catch (Exception ex) when (ex is AccessDeniedException or RecordNotFoundException)
            {
                return new(false, $"{ex.GetType().Name}: {ex.Message}");
            }
            catch (Exception ex) when (ex is DomainException or FluentValidation.ValidationException or ConcurrencyConflictException)
            {
                return new(true, $"reached the record's rules ({ex.GetType().Name}: {ex.Message})");
            }
        }

        private static bool IsRead(MethodInfo method) => method.ReturnType.IsGenericType && method.Name is not ("CreateAsync" or "AddAsync" or "LogAsync" or "CorrectAsync"
            or "CompleteTouchpointAsync" or "OpenAsync" or "CreateUserAsync" or "CreateTeamAsync" or "ReviseAsync" or "CompensateAsync" or "MarkAllReadAsync");

        /// <summary>Reads whose answer shows North's deal when let through (others answer counts, settings or options).</summary>
        private static bool ShowsTheRecord(MethodInfo method) => Key(method) is
            "DealsService.ListAsync" or "DealsService.GetAsync" or "RecoveryService.ListAsync" or "RecoveryService.GetAsync"
            or "RecoveryService.PlanOfPromiseAsync" or "MilestonePlanService.GetAsync";

        private object? Argument(ParameterInfo parameter, Actor actor)
        {
            var type = parameter.ParameterType;
            if (type == typeof(Actor))
                return actor;
            if (type == typeof(CancellationToken))
                return TestContext.Current.CancellationToken;
            if (parameter.Name is { } name && _ids.TryGetValue(name, out var id) && (type.IsInstanceOfType(id) || Nullable.GetUnderlyingType(type) == id.GetType()))
                return id;
            if (parameter.Name == "teamId")
                return null; // an optional team filter: the actor's own scope
            if (parameter.HasDefaultValue)
                return parameter.DefaultValue;
            if (type == typeof(string))
                return "Matrix";
            if (type == typeof(DateOnly))
                return TestDeals.Today;
            if (type == typeof(IReadOnlyList<CommitmentTracker.Web.Features.Fulfilment.MilestoneRef>))
                return new List<CommitmentTracker.Web.Features.Fulfilment.MilestoneRef> { new((Guid)_ids["milestoneId"], 0) };
            if (type == typeof(CommitmentTracker.Web.Features.Fulfilment.MilestoneRef))
                return new CommitmentTracker.Web.Features.Fulfilment.MilestoneRef((Guid)_ids["milestoneId"], 0);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyCollection<>))
                return Array.CreateInstance(type.GetGenericArguments()[0], 0);
            if (Nullable.GetUnderlyingType(type) is not null || !type.IsValueType && type.GetConstructor(Type.EmptyTypes) is null && type.GetConstructors().Length == 0)
                return null;
            if (type.IsValueType)
                return Activator.CreateInstance(type);
            // Form inputs and filters: their defaults (an empty form, which the validator answers after access is checked).
            var constructor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
            return constructor.Invoke([.. constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : Default(p.ParameterType))]);
        }

        private static object? Default(Type type) => type.IsValueType ? Activator.CreateInstance(type) : type == typeof(string) ? "" : null;
    }
}
