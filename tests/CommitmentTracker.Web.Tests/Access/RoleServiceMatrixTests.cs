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
        ["AccountsService.AddContactAsync"] = Team,
        ["ApiTokensService.CreateAsync"] = Everyone,
        ["ApiTokensService.ListAsync"] = Everyone,
        ["ApiTokensService.RevokeAsync"] = "RepNorth Admin",
        ["AccountsService.GetAsync"] = Readers,
        ["AccountsService.IndustriesAsync"] = Everyone,
        ["AccountsService.ListAsync"] = Everyone,
        ["AccountsService.PromisesAsync"] = Readers,
        ["AccountsService.UpdateContactAsync"] = Team,
        ["AlertsService.ListAsync"] = Everyone,
        ["AlertsService.MarkAllReadAsync"] = Everyone,
        ["AlertsService.MarkReadAsync"] = "RepNorth",
        ["AlertsService.UnreadCountAsync"] = Everyone,
        ["ChecklistService.AnswerAsync"] = Team,
        ["ChecklistService.RecordAcknowledgementAsync"] = Team,
        ["ChecklistService.RiskOptionsAsync"] = Readers,
        ["ChecklistService.ShareRiskAsync"] = Team,
        ["ChecklistTemplateService.GetAsync"] = "Admin",
        ["ChecklistTemplateService.ReviseAsync"] = "Admin",
        ["CommunicationsService.CompleteTouchpointAsync"] = Team,
        ["CommunicationsService.CorrectAsync"] = Team,
        ["CommunicationsService.LogAsync"] = Team,
        // An account's calendar feed is each user's own (accounts are shared; the feed shows only the deals its user may see).
        ["CalendarFeedService.RemoveAsync"] = Everyone,
        ["CalendarFeedService.ResetAsync"] = Everyone,
        ["CalendarFeedService.StatusAsync"] = Everyone,
        // Accounts (the default kind) are imported by everyone but service staff.
        ["CsvImportService.ImportAsync"] = "RepNorth ManagerNorth RepSouth ManagerSouth Admin",
        ["CsvImportService.PreviewAsync"] = "RepNorth ManagerNorth RepSouth ManagerSouth Admin",
        ["CustomerLinkService.CreateAsync"] = Team,
        ["CustomerLinkService.ListAsync"] = Readers,
        ["CustomerLinkService.RevokeAsync"] = Team,
        ["DashboardService.AtRiskAsync"] = "ManagerNorth ManagerSouth Admin",
        ["DashboardService.GetAsync"] = "ManagerNorth ManagerSouth Admin",
        ["DashboardService.RecordRowsAsync"] = "ManagerNorth ManagerSouth Admin",
        ["ForecastCalibrationService.GetAsync"] = "ManagerNorth ManagerSouth Admin",
        ["ForecastService.ForNewPromiseAsync"] = Team,
        ["DealsService.CreateAsync"] = Team,
        ["DealsService.GetAsync"] = Readers,
        ["DealsService.ListAsync"] = Readers,
        ["DealsService.MoveAsync"] = Team,
        ["DealsService.OwnerOptionsAsync"] = Everyone,
        ["DealsService.UpdateDetailsAsync"] = Team,
        ["DeliveryRecordService.CreateLinkAsync"] = "RepNorth ManagerNorth RepSouth ManagerSouth",
        ["DeliveryRecordService.GetAsync"] = "RepNorth ManagerNorth RepSouth ManagerSouth Admin",
        ["DeliveryRecordService.GetRepAsync"] = "RepNorth ManagerNorth Admin",
        ["DeliveryRecordService.LinksAsync"] = "RepNorth ManagerNorth RepSouth ManagerSouth Admin",
        ["DeliveryRecordService.RevokeLinkAsync"] = "RepNorth ManagerNorth Admin",
        ["FulfilmentService.CountsAsync"] = Everyone,
        ["FulfilmentService.QueueAsync"] = Everyone,
        ["FulfilmentService.UpdateAsync"] = "",
        ["FulfilmentService.UpdateManyAsync"] = "",
        ["HomeService.GetAsync"] = Everyone,
        // North's rep's email, sent to their own address and logged on North's deal: theirs to file (already filed) or discard;
        // readable by whoever may see the deal.
        ["InboundMailService.DiscardAsync"] = "RepNorth",
        ["InboundMailService.EmailAsync"] = Readers,
        ["InboundMailService.FileAsync"] = "RepNorth",
        ["InboundMailService.FilingChoicesAsync"] = "RepNorth",
        ["InboundMailService.InboxAsync"] = Everyone,
        ["InboundMailService.InboxCountAsync"] = Everyone,
        ["InboundMailService.UserAddressAsync"] = Everyone,
        ["LeadTimesService.ListAsync"] = "Admin",
        ["LeadTimesService.SetAsync"] = "Admin",
        ["MilestonePlanService.AddAsync"] = "RepNorth ManagerNorth Service",
        ["MilestonePlanService.EditAsync"] = "RepNorth ManagerNorth Service",
        ["MilestonePlanService.GetAsync"] = Readers,
        ["MilestonePlanService.MoveAsync"] = "RepNorth ManagerNorth Service",
        ["MilestonePlanService.PlanFromTemplateAsync"] = "RepNorth ManagerNorth Service",
        ["MilestonePlanService.RemoveAsync"] = "RepNorth ManagerNorth Service",
        ["MilestoneTemplatesService.ListAsync"] = "Admin",
        ["MilestoneTemplatesService.SaveAsync"] = "Admin",
        ["MySettingsService.GetAsync"] = Everyone,
        ["MySettingsService.SaveAsync"] = Everyone,
        ["PromisesService.AddAsync"] = Team,
        ["PromisesService.ApproveAggressiveAsync"] = "ManagerNorth",
        ["PromisesService.FormOptionsAsync"] = Team,
        ["PromisesService.PendingApprovalsAsync"] = "ManagerNorth ManagerSouth",
        ["PromisesService.RejectAggressiveAsync"] = "ManagerNorth",
        ["PromisesService.RenegotiateAsync"] = Team,
        ["PromisesService.WaiveAsync"] = Team,
        ["RecoveryInsightsService.GetAsync"] = "ManagerNorth ManagerSouth Admin",
        ["RecoveryInsightsService.LessonsAsync"] = "ManagerNorth ManagerSouth Admin",
        ["RecoveryService.AcknowledgeAsync"] = "ManagerNorth",
        ["RecoveryService.AddOptionAsync"] = Team,
        ["RecoveryService.ApologiseAsync"] = Team,
        ["RecoveryService.ApproveCompensationAsync"] = "ManagerNorth",
        ["RecoveryService.ChooseOptionAsync"] = Team,
        ["RecoveryService.CloseAsync"] = Team,
        ["RecoveryService.CompensateAsync"] = Team,
        ["RecoveryService.ContactCustomersBossAsync"] = Team,
        ["RecoveryService.GetAsync"] = Readers,
        ["RecoveryService.ListAsync"] = Readers,
        ["RecoveryService.OpenAsync"] = Team,
        ["RecoveryService.PlanOfPromiseAsync"] = Readers,
        ["RecoveryService.PresentSolutionAsync"] = Team,
        ["RecoveryService.RecordComfortAsync"] = Team,
        ["RecoveryService.RecordContactPermissionAsync"] = Team,
        ["RecoveryService.RecordMakeRoomAsync"] = Team,
        ["RecoveryService.SetNotesAsync"] = Team,
        ["RecoveryService.TellCustomerAsync"] = Team,
        ["RiskLibraryService.CreateAsync"] = "Admin",
        ["RiskLibraryService.ListAsync"] = "Admin",
        ["RiskLibraryService.RetireAsync"] = "Admin",
        ["RiskLibraryService.UpdateAsync"] = "Admin",
        ["RiskSettingsService.GetAsync"] = "Admin",
        ["RiskSettingsService.SaveAsync"] = "Admin",
        ["SearchService.SearchAsync"] = Everyone,
        ["TechnicalReviewService.DecideAsync"] = "Service",
        ["TechnicalReviewService.PendingAsync"] = Everyone,
        ["TechnicalReviewService.RequestAsync"] = Team,
        ["UsersService.AssignAsync"] = "Admin",
        ["WebhooksService.AttemptsAsync"] = "Admin",
        ["WebhooksService.CreateAsync"] = "Admin",
        ["WebhooksService.DeliveriesAsync"] = "Admin",
        ["WebhooksService.ListAsync"] = "Admin",
        ["WebhooksService.RotateSecretAsync"] = "Admin",
        ["WebhooksService.SendAgainAsync"] = "Admin",
        ["WebhooksService.UpdateAsync"] = "Admin",
        ["WorkingCalendarsService.AddHolidayAsync"] = "Admin",
        ["WorkingCalendarsService.GetAsync"] = "Admin",
        ["WorkingCalendarsService.ImportAsync"] = "Admin",
        ["WorkingCalendarsService.PreviewImportAsync"] = "Admin",
        ["WorkingCalendarsService.RemoveHolidayAsync"] = "Admin",
        ["WorkingCalendarsService.SaveWeekAsync"] = "Admin",
        ["WorkingCalendarsService.TeamsAsync"] = "Admin",
        ["UsersService.CreateTeamAsync"] = "Admin",
        ["UsersService.CreateUserAsync"] = "Admin",
        ["UsersService.DeactivateAsync"] = "Admin",
        ["UsersService.ListTeamsAsync"] = "Admin",
        ["UsersService.ListUsersAsync"] = "Admin",
        ["UsersService.ReactivateAsync"] = "Admin",
        ["UsersService.ResetPasswordAsync"] = "Admin",
        ["UsersService.UpdateTeamAsync"] = "Admin",
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
            var call = $"{method}({string.Join(", ", overload.GetParameters().Select(p => p.ParameterType.Name))}) as {who}";
            Assert.True(allowed ? outcome.LetThrough : !outcome.LetThrough,
                $"{call}: expected {(allowed ? "let through" : "refused")}, was {outcome.Description}");
            // Team South asking for North's record by its id never sees it, whatever the call answers.
            if (who is Who.RepSouth or Who.ManagerSouth)
                Assert.False(outcome.Description == ShowedNorth, $"{call} showed team North's record.");
        }
    }

    private const string ShowedNorth = "showed North's record";

    internal sealed record Outcome(bool LetThrough, string Description);

    /// <summary>The demo company in the test database, its actors, and what the calls are made on.</summary>
    private sealed class World
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static readonly Dictionary<TestDatabase, World> Worlds = [];
        private static readonly JsonSerializerOptions Json = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles, MaxDepth = 256 };

        private readonly Dictionary<Who, Actor> _actors = [];
        private readonly Dictionary<string, object> _ids = [];
        private string _dealTitle = "";
        private IServiceProvider _services = default!;
        private string[] _markers = [];

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
            // What the host adds besides the features: the change feed (the webhook dispatcher listens to it), public links.
            services.AddSingleton<CommitmentTracker.Web.Persistence.Changes.ChangeFeed>();
            services.AddPublicAddress(configuration);
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
            var serviceId = _actors[Who.Service].UserId;
            // The same record every run: the oldest plan of a North promise with a milestone assigned to someone other than
            // service@demo (so that milestone is not theirs to update).
            var plan = await db.RecoveryPlans.Include(p => p.Options)
                .Where(p => db.Deals.Any(d => d.Id == p.DealId && d.OwnerId == repId)
                    && db.Milestones.Any(m => m.CommitmentId == p.CommitmentId && m.AssigneeId != null && m.AssigneeId != serviceId))
                .OrderBy(p => p.DetectedAt).ThenBy(p => p.Id).FirstAsync(cancel);
            var deal = await db.Deals.AsNoTracking().AsSplitQuery().Include(d => d.Commitments).ThenInclude(c => c.Milestones)
                .Include(d => d.Checklist).Include(d => d.Touchpoints).Include(d => d.TechnicalReviews).SingleAsync(d => d.Id == plan.DealId, cancel);
            var promise = deal.Commitments.Single(c => c.Id == plan.CommitmentId);
            var milestone = promise.Milestones.Where(m => m.AssigneeId is not null && m.AssigneeId != serviceId).OrderBy(m => m.Position).First();
            var account = await db.Accounts.AsNoTracking().Include(a => a.Contacts).SingleAsync(a => a.Id == deal.AccountId, cancel);
            _markers = [deal.Id.ToString(), plan.Id.ToString(), promise.Id.ToString()];
            _ids["dealId"] = deal.Id;
            _dealTitle = deal.Title;
            _ids["accountId"] = deal.AccountId;
            _ids["planId"] = plan.Id;
            _ids["commitmentId"] = promise.Id;
            _ids["milestoneId"] = milestone.Id;
            _ids["itemId"] = deal.Checklist[0].Id;
            _ids["touchpointId"] = deal.Touchpoints[0].Id;
            _ids["reviewId"] = (deal.TechnicalReviews.Count > 0 ? deal.TechnicalReviews[0].Id : Guid.NewGuid());
            _ids["optionId"] = (plan.Options.Count > 0 ? plan.Options[0].Id : Guid.NewGuid());
            _ids["contactId"] = account.Contacts[0].Id;
            _ids["entryId"] = await db.CommunicationEntries.Where(e => e.DealId == deal.Id).Select(e => e.Id).FirstAsync(cancel);
            var mail = CommitmentTracker.Domain.Communications.InboundEmail.Receive(null, "buyer@customer.example", "Buyer", "rep@demo.local", "Matrix mail",
                "We will send the data by 12 March.", null, [], repId, DateTimeOffset.UtcNow);
            db.InboundEmails.Add(mail);
            db.CommunicationEntries.Add(mail.LogTo(deal.Id, CommitmentTracker.Domain.Communications.CommunicationDirection.FromCustomer, repId, DateTimeOffset.UtcNow));
            _ids["emailId"] = mail.Id;
            _ids["alertId"] = await db.Alerts.Where(a => a.RecipientId == repId).Select(a => a.Id).FirstOrDefaultAsync(cancel);
            _ids["teamId"] = _actors[Who.RepNorth].TeamId!.Value;
            _ids["templateId"] = await db.ChecklistTemplates.Where(t => t.IsActive).Select(t => t.Id).SingleAsync(cancel);
            _ids["id"] = await db.RiskLibrary.Select(r => r.Id).FirstAsync(cancel);
            _ids["milestone"] = new CommitmentTracker.Web.Features.Fulfilment.PlannedMilestone(milestone.Id, milestone.Position, milestone.Title, milestone.AssigneeId,
                milestone.PlannedDate, milestone.Status, milestone.IsCustomerAcceptance, false, 0);
            // North's rep's record, and a public link to North's record that North's rep created.
            _ids["repId"] = repId;
            var link = CommitmentTracker.Domain.DeliveryRecords.SharedRecordLink.Create(CommitmentTracker.Domain.DeliveryRecords.SharedRecordScope.Team,
                _actors[Who.RepNorth].TeamId!.Value, null, CommitmentTracker.Domain.ShareToken.New().Hash, 30, null, repId, DateTimeOffset.UtcNow);
            db.SharedRecordLinks.Add(link);
            await db.SaveChangesAsync(cancel);
            _ids["linkId"] = link.Id;
            // A customer's link on North's deal, for its revocation.
            var customerLink = CommitmentTracker.Domain.CustomerLinks.CustomerLink.Create(deal.Id, CommitmentTracker.Domain.ShareToken.New().Hash, 30, repId, DateTimeOffset.UtcNow);
            db.CustomerLinks.Add(customerLink);
            await db.SaveChangesAsync(cancel);
            _ids["customerLinkId"] = customerLink.Id;
            // A personal API token of North's rep: theirs and an admin's to revoke, nobody else's.
            var apiToken = ApiToken.Create(repId, "Matrix", 30, false, DateTimeOffset.UtcNow).Token;
            db.ApiTokens.Add(apiToken);
            await db.SaveChangesAsync(cancel);
            _ids["tokenId"] = apiToken.Id;
            // A webhook with one failed delivery, for the admin's webhook calls.
            var hook = CommitmentTracker.Domain.Integrations.Webhook.Create("Matrix hook", "https://hooks.example.test/ct",
                [CommitmentTracker.Domain.Integrations.WebhookEvent.PromiseAtRisk], true, false, repId, DateTimeOffset.UtcNow);
            db.Webhooks.Add(hook);
            var delivery = new WebhookDelivery
            {
                WebhookId = hook.Id, EventId = Guid.NewGuid(), EventType = "promise.at_risk", Body = "{}", OccurredAt = DateTimeOffset.UtcNow,
                CreatedAt = DateTimeOffset.UtcNow, Status = WebhookDeliveryStatus.Failed, Attempts = 6,
            };
            db.WebhookDeliveries.Add(delivery);
            await db.SaveChangesAsync(cancel);
            _ids["webhookId"] = hook.Id;
            _ids["deliveryId"] = delivery.Id;
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
                Task task;
                try
                {
                    task = (Task)method.Invoke(target, arguments)!;
                }
                catch (TargetInvocationException ex) when (ex.InnerException is not null)
                {
                    // A method that refuses before it starts its work throws at once rather than in its task.
                    task = Task.FromException(ex.InnerException);
                }
                await task;
                var result = task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
                if (!IsRead(method))
                    return new(true, "done");
                // A read let through to North's record shows it; a refused read shows nothing of it (or nothing at all).
                var json = result is null ? "" : JsonSerializer.Serialize(result, Json);
                var shown = _markers.Any(marker => json.Contains(marker, StringComparison.Ordinal));
                return new(shown || !ShowsTheRecord(method), shown ? ShowedNorth : "showed nothing of North's record");
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
            or "CompleteTouchpointAsync" or "AddContactAsync" or "OpenAsync" or "CreateUserAsync" or "CreateTeamAsync" or "ReviseAsync" or "CompensateAsync" or "MarkAllReadAsync");

        /// <summary>Reads whose answer shows North's deal when let through (others answer counts, settings or options).</summary>
        private static bool ShowsTheRecord(MethodInfo method) => Key(method) is
            "DealsService.ListAsync" or "DealsService.GetAsync" or "RecoveryService.ListAsync" or "RecoveryService.GetAsync"
            or "RecoveryService.PlanOfPromiseAsync" or "MilestonePlanService.GetAsync" or "AccountsService.GetAsync" or "AccountsService.PromisesAsync";

        private object? Argument(ParameterInfo parameter, Actor actor)
        {
            var type = parameter.ParameterType;
            if (type == typeof(Actor))
                return actor;
            if (type == typeof(CancellationToken))
                return TestContext.Current.CancellationToken;
            // A webhook's own id is named "id", like a risk's.
            if (parameter.Name == "id" && parameter.Member.DeclaringType?.Name == "WebhooksService")
                return _ids["webhookId"];
            if (type == typeof(Stream))
                return new MemoryStream(System.Text.Encoding.UTF8.GetBytes("Name\n"));
            if (parameter.Name is { } name && _ids.TryGetValue(name, out var id) && (type.IsInstanceOfType(id) || Nullable.GetUnderlyingType(type) == id.GetType()))
                return id;
            // A list of deals searched for the record's deal: the demo's two years of history fill more than a first page.
            if (type == typeof(CommitmentTracker.Web.Features.Deals.DealListQuery))
                return new CommitmentTracker.Web.Features.Deals.DealListQuery(Search: _dealTitle);
            if (type == typeof(CommitmentTracker.Web.Features.Recovery.RecoveryListFilter))
                return CommitmentTracker.Web.Features.Recovery.RecoveryListFilter.All;
            if (parameter.Name is "teamId" or "assigneeId")
                return null; // an optional team filter (the actor's own scope); no assignee
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
            if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(IReadOnlyCollection<>) || type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)))
                return Array.CreateInstance(type.GetGenericArguments()[0], 0);
            if (Nullable.GetUnderlyingType(type) is not null || !type.IsValueType && type.GetConstructor(Type.EmptyTypes) is null && type.GetConstructors().Length == 0)
                return null;
            if (type.IsValueType)
                return Activator.CreateInstance(type);
            // Form inputs and filters: their defaults (an empty form, which the validator answers after access is checked).
            var constructor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
            var input = constructor.Invoke([.. constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : Default(p.ParameterType))]);
            if (type.Name.EndsWith("Input", StringComparison.Ordinal))
                Fill(input);
            return input;
        }

        /// <summary>
        /// Fills a form with plausible values, so that its validator passes where it can and the call reaches the access
        /// check even in a service that validates first: a refusal then shows as a refusal, not as a validation message.
        /// </summary>
        private void Fill(object input)
        {
            var today = DateTime.Today;
            foreach (var property in input.GetType().GetProperties().Where(p => p.CanWrite && p.SetMethod!.IsPublic))
            {
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                var name = property.Name;
                object? value = type switch
                {
                    _ when type == typeof(string) && name.Contains("Email", StringComparison.Ordinal) => $"matrix-{Guid.NewGuid():N}@test.local",
                    _ when type == typeof(string) && name.Contains("Password", StringComparison.Ordinal) => "Matrix-Password-2026!",
                    _ when type == typeof(string) && name.Contains("Currency", StringComparison.Ordinal) => "EUR",
                    _ when type == typeof(string) && name == "OwnerId" => _actors[Who.RepNorth].UserId,
                    _ when type == typeof(string) && name == "TimeZone" => "Europe/Berlin",
                    _ when type == typeof(string) && name.EndsWith("Id", StringComparison.Ordinal) => null,
                    _ when type == typeof(bool) => true,
                    _ when type.IsEnum && Nullable.GetUnderlyingType(property.PropertyType) is not null => Enum.GetValues(type).GetValue(0),
                    _ when type == typeof(string) => property.GetValue(input) is string { Length: > 0 } current ? current : "Matrix text",
                    _ when type == typeof(decimal) => 1_000m,
                    _ when type == typeof(int) => 1,
                    // Midnight of today in the input's zone is never in the future, whatever the hour the suite runs at.
                    _ when type == typeof(TimeSpan) => TimeSpan.Zero,
                    _ when type == typeof(DateTime) => IsFuture(name) ? today.AddDays(120) : today,
                    _ when type == typeof(DateOnly) => DateOnly.FromDateTime(IsFuture(name) ? today.AddDays(120) : today),
                    _ when type == typeof(Guid) => Id(name),
                    _ => property.GetValue(input),
                };
                if (value is not null || Nullable.GetUnderlyingType(property.PropertyType) is not null || !property.PropertyType.IsValueType)
                    property.SetValue(input, value);
            }
        }

        private static readonly string[] FutureWords = ["Promised", "Need", "New", "Due", "Forecast", "Planned", "Until"];

        private static bool IsFuture(string name) =>
            FutureWords.Any(word => name.Contains(word, StringComparison.Ordinal));

        private object? Id(string property) => property switch
        {
            _ when property.EndsWith("ContactId", StringComparison.Ordinal) => _ids["contactId"],
            "RiskId" => _ids["id"],
            "CommitmentId" => _ids["commitmentId"],
            _ => null,
        };

        private static object? Default(Type type) => type.IsValueType ? Activator.CreateInstance(type) : type == typeof(string) ? "" : null;
    }
}
