using System.Reflection;
using System.Text;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Features.Checklist;
using CommitmentTracker.Web.Features.Communications;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Features.TechnicalReviews;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Recovery;
using CommitmentTracker.Web.Tests.Infrastructure;
using CsCheck;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Reliability;

/// <summary>
/// Property-based fuzzing (CsCheck) of every form's validator and of the service methods that take user text, numbers and
/// dates: generated control characters, 10,000-character strings, unicode (emoji, right-to-left marks, half surrogate
/// pairs), markup and SQL, negative, zero and huge numbers, dates in year 1 and 9999 or in the past. Every call ends in
/// success or a known refusal with a message; a refused call leaves every table exactly as it was. A failure prints
/// CsCheck's seed; rerun with the environment variable <c>CsCheck_Seed</c> set to it.
/// </summary>
public sealed class FuzzTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>Samples per validator and per service method: enough to hit each kind of value, small enough for CI.</summary>
    private const int ValidatorIterations = 60;
    private const int ServiceIterations = 12;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Later = Now.AddHours(3);
    private static readonly FakeTimeProvider Clock = new(Later);

    private static readonly Type[] Refusals =
        [typeof(DomainException), typeof(ValidationException), typeof(ConcurrencyConflictException), typeof(RecordNotFoundException),
         typeof(AccessDeniedException)];

    private static readonly Gen<string> Texts = Gen.OneOf(
        Gen.String,
        Gen.Char['\0', '\u009f'].Select(c => $"Ship {c} on time"),
        Gen.Char['\uD800', '\uDFFF'].Select(c => $"half {c} a pair"),
        Gen.Const<string>(new string('x', 10_000)),
        Gen.Const<string>("<script>alert('x')</script><b onmouseover=alert(1)>"),
        Gen.Const<string>("\u202Eright to left\u202C עברית العربية"),
        Gen.Const<string>("😀 Ünïcødé 東京 \u200B"),
        Gen.Const<string>("'; DROP TABLE deals; --"),
        Gen.Const<string>(""),
        Gen.Const<string>("   "),
        Gen.Const<string>("Hannah Berg"));

    private static readonly Gen<decimal?> Numbers = Gen.OneOf(
        Gen.Const((decimal?)null), Gen.Const<decimal?>(-1m), Gen.Const<decimal?>(0m), Gen.Const<decimal?>(decimal.MaxValue),
        Gen.Const<decimal?>(decimal.MinValue), Gen.Const<decimal?>(1e15m), Gen.Decimal.Select(d => (decimal?)d));

    private static readonly Gen<int?> Ints = Gen.OneOf(
        Gen.Const((int?)null), Gen.Const<int?>(-1), Gen.Const<int?>(0), Gen.Const<int?>(int.MaxValue), Gen.Const<int?>(int.MinValue),
        Gen.Int[-1000, 1000].Select(i => (int?)i));

    private static readonly Gen<DateTime?> Dates = Gen.OneOf(
        Gen.Const((DateTime?)null), Gen.Const<DateTime?>(DateTime.MinValue), Gen.Const<DateTime?>(new DateTime(9999, 12, 31)),
        Gen.Const<DateTime?>(new DateTime(2000, 1, 1)), Gen.Int[-3000, 3000].Select(days => (DateTime?)Today.ToDateTime(TimeOnly.MinValue).AddDays(days)));

    private static readonly Gen<Fuzz> Values = Gen.Select(Texts.Array[6], Numbers.Array[4], Ints.Array[4], Dates.Array[4], Gen.UInt,
        (texts, numbers, ints, dates, mask) => new Fuzz(texts, numbers, ints, dates, mask));

    /// <summary>Every form validator of the app.</summary>
    public static TheoryData<Type> Validators()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(ModelValidator<>).Assembly.GetTypes().Where(t => !t.IsAbstract && ModelOf(t) is not null).OrderBy(t => t.FullName))
            data.Add(type);
        return data;
    }

    [Theory]
    [MemberData(nameof(Validators))]
    public async Task Every_form_validator_answers_any_input_with_a_verdict_and_a_message_for_each_refusal(Type validatorType)
    {
        var validator = (IValidator)ActivatorUtilities.CreateInstance(Provider(), validatorType);
        var model = ModelOf(validatorType)!;
        await Values.SampleAsync(async fuzz =>
        {
            var input = fuzz.Fill(Activator.CreateInstance(model)!, everything: true);
            var result = await validator.ValidateAsync(new ValidationContext<object>(input), Cancel);
            Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.ErrorMessage)));
        }, iter: ValidatorIterations, threads: 1, print: fuzz => fuzz.ToString());
    }

    [Fact]
    public async Task Deal_forms_and_searches_save_valid_input_and_nothing_of_any_other()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync(), Department.Sales);
        var deal = await database.CreateDealAsync(rep);
        var deals = Service<DealsService>();

        await FuzzAsync("DealsService.CreateAsync", fuzz => deals.CreateAsync(rep, fuzz.Fill(new NewDealInput
        {
            NewAccountName = $"Fuzz {Guid.NewGuid():N}", Title = "Robot cell", Value = 1000m, Currency = "EUR", ExpectedOutcome = "40 cases a minute", CloseDate = Today.ToDateTime(TimeOnly.MinValue),
        }), Cancel));
        await FuzzAsync("DealsService.UpdateDetailsAsync", async fuzz => await deals.UpdateDetailsAsync(rep, deal.Id, await VersionOfDealAsync(deal.Id), fuzz.Fill(new DealDetailsInput
        {
            Title = "Robot cell", Value = 1000m, Currency = "EUR", ExpectedOutcome = "40 cases a minute", CloseDate = Today.ToDateTime(TimeOnly.MinValue),
        }), Cancel));
        await FuzzAsync("DealsService.ListAsync", fuzz => deals.ListAsync(rep, new DealListQuery(null, fuzz.Texts[0]), new PageRequest(fuzz.Ints[0] ?? 0, fuzz.Ints[1] ?? 25, fuzz.Texts[1]), Cancel));
        await FuzzAsync("DealsService.SearchAccountsAsync", fuzz => deals.SearchAccountsAsync(fuzz.Texts[0], Cancel));
        // Last: a move that succeeds (to Lost) ends the deal, and every later sample is refused by the domain.
        await FuzzAsync("DealsService.MoveAsync", async fuzz => await deals.MoveAsync(rep, deal.Id, await VersionOfDealAsync(deal.Id), fuzz.Fill(new StageMoveInput
        {
            Target = DealStage.Ordered, PurchaseOrderReference = "PO-1",
        }), Cancel));
    }

    [Fact]
    public async Task Communications_checklist_and_review_forms_save_valid_input_and_nothing_of_any_other()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync(), Department.Sales);
        var deal = await database.CreateDealAsync(rep);
        var communications = Service<CommunicationsService>();
        var checklist = Service<ChecklistService>();
        var reviews = Service<TechnicalReviewService>();
        var entryId = await communications.LogAsync(rep, deal.Id, new LogCommunicationInput
        {
            People = "Hannah Berg", Summary = "Kick-off call.", OccurredOn = Today.ToDateTime(TimeOnly.MinValue), OccurredAt = TimeSpan.FromHours(9),
        }, Cancel);
        var item = deal.Checklist.OrderBy(i => i.Position).First();
        var touchpoint = deal.Touchpoints[0];

        await FuzzAsync("CommunicationsService.LogAsync", fuzz => communications.LogAsync(rep, deal.Id, fuzz.Fill(new LogCommunicationInput
        {
            People = "Hannah Berg", Summary = "Asked for the plan.", OccurredOn = Today.ToDateTime(TimeOnly.MinValue), OccurredAt = TimeSpan.FromHours(9),
        }), Cancel));
        await FuzzAsync("CommunicationsService.CorrectAsync", fuzz => communications.CorrectAsync(rep, entryId, fuzz.Fill(new CorrectCommunicationInput { Summary = "Kick-off call, corrected." }), Cancel));
        await FuzzAsync("ChecklistService.AnswerAsync", async fuzz => await checklist.AnswerAsync(rep, deal.Id, item.Id,
            fuzz.Fill(new ChecklistAnswerInput { Answer = "Forty cases a minute." }), await AnsweredAtAsync(item.Id), Cancel));
        await FuzzAsync("TechnicalReviewService.RequestAsync", fuzz => reviews.RequestAsync(rep, deal.Id, fuzz.Texts[0], Cancel));
        // Last: a touchpoint done once is refused by the domain afterwards.
        await FuzzAsync("CommunicationsService.CompleteTouchpointAsync", fuzz => communications.CompleteTouchpointAsync(rep, deal.Id, touchpoint.Id,
            fuzz.Fill(new CompleteTouchpointInput { People = "Hannah Berg", Summary = "She is comfortable." }), Cancel));
    }

    [Fact]
    public async Task Promise_and_milestone_forms_save_valid_input_and_nothing_of_any_other()
    {
        var team = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team, Department.Sales);
        var rep = await database.CreateAsync(AppRoles.Rep, team, Department.Sales);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        Guid promiseId = default;
        var deal = await database.CreateDealAsync(rep, arrange: d => promiseId = AddPromise(d).Id);
        var promises = Service<PromisesService>();
        var plans = Service<MilestonePlanService>();
        var fulfilment = Service<FulfilmentService>();

        await FuzzAsync("PromisesService.AddAsync", fuzz => promises.AddAsync(rep, deal.Id, fuzz.Fill(new AddPromiseInput
        {
            Description = "Train the operators", OwnerId = rep.UserId, Department = Department.Service,
            PromisedDate = Today.AddDays(90).ToDateTime(TimeOnly.MinValue), NeedDate = Today.AddDays(100).ToDateTime(TimeOnly.MinValue), AggressiveReason = "Agreed",
        }), Cancel));
        await FuzzAsync("PromisesService.RenegotiateAsync", async fuzz => await promises.RenegotiateAsync(rep, deal.Id, promiseId, await VersionOfPromiseAsync(promiseId), fuzz.Fill(new RenegotiateInput
        {
            NewDate = Today.AddDays(80).ToDateTime(TimeOnly.MinValue), AgreedWith = "Hannah Berg", AgreedOn = Today.ToDateTime(TimeOnly.MinValue), Reason = "Parts are late.",
        }), Cancel));
        await FuzzAsync("PromisesService.RejectAggressiveAsync", async fuzz => await promises.RejectAggressiveAsync(manager, deal.Id, promiseId, await VersionOfPromiseAsync(promiseId),
            fuzz.Fill(new RejectAggressiveInput { Reason = "Too soon." }), Cancel));
        await FuzzAsync("MilestonePlanService.AddAsync", fuzz => plans.AddAsync(rep, promiseId, fuzz.Texts[0], null,
            DateOnly.FromDateTime(fuzz.Dates[0] ?? DateTime.MinValue), Cancel));
        await FuzzAsync("FulfilmentService.QueueAsync", fuzz => fulfilment.QueueAsync(service, QueueTab.AllOpen,
            new QueueFilter(fuzz.Texts[0]), new PageRequest(fuzz.Ints[0] ?? 0, fuzz.Ints[1] ?? 25, fuzz.Texts[1]), Cancel));
        // Last: a waived promise refuses every later sample.
        await FuzzAsync("PromisesService.WaiveAsync", async fuzz => await promises.WaiveAsync(rep, deal.Id, promiseId, await VersionOfPromiseAsync(promiseId),
            fuzz.Fill(new WaiveInput { Reason = "The customer cancelled it." }), Cancel));
    }

    [Fact]
    public async Task Recovery_forms_save_valid_input_and_nothing_of_any_other()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var recovery = database.CreateRecoveryService(Clock);

        await FuzzAsync("RecoveryService.SetNotesAsync", async fuzz => await recovery.SetNotesAsync(scene.Manager, scene.PlanId, await database.PlanVersionAsync(scene.PlanId),
            RecoveryStepKind.MakeRoom, fuzz.Texts[0], Cancel));
        await FuzzAsync("RecoveryService.AddOptionAsync", async fuzz => await recovery.AddOptionAsync(scene.Manager, scene.PlanId, await database.PlanVersionAsync(scene.PlanId),
            fuzz.Fill(new OptionInput { Kind = RecoveryOptionKind.LoanOrDemoUnit, Description = "A demo unit meanwhile." }), Cancel));
        await FuzzAsync("RecoveryService.CompensateAsync", async fuzz => await recovery.CompensateAsync(scene.Manager, scene.PlanId, await database.PlanVersionAsync(scene.PlanId),
            fuzz.Fill(new CompensationInput { Item = "Two days of training", FaceValue = 3000m, CostToUs = 800m, EstimatedLoss = 2000m }), Cancel));
    }

    [Fact]
    public async Task Administration_forms_save_valid_input_and_nothing_of_any_other()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var users = new UsersService(database, database.Services.GetRequiredService<IServiceScopeFactory>(), Clock,
            new NewUserValidator(), new UserAssignmentValidator(), new PasswordResetValidator(), new TeamValidator());
        var leadTimes = Service<LeadTimesService>();

        await FuzzAsync("UsersService.CreateTeamAsync", fuzz => users.CreateTeamAsync(admin, fuzz.Fill(new TeamInput { Name = $"Team {Guid.NewGuid():N}"[..16] }), Cancel));
        await FuzzAsync("UsersService.CreateUserAsync", fuzz => users.CreateUserAsync(admin, fuzz.Fill(new NewUserInput
        {
            DisplayName = "Nora Lindqvist", Email = $"nora-{Guid.NewGuid():N}@test.local", Role = AppRoles.Service, Department = Department.Service, Password = "Fuzz-Password-2026!",
        }), Cancel));
        await FuzzAsync("LeadTimesService.SetAsync", async fuzz => await leadTimes.SetAsync(admin, CommitmentKind.Training, await LeadTimeVersionAsync(CommitmentKind.Training),
            fuzz.Fill(new LeadTimeInput { Days = 10 }), Cancel));
    }

    [Fact]
    public void An_unexpected_fault_of_a_generated_action_becomes_a_message_with_a_reference()
    {
        Gen.String.Sample(text =>
        {
            var error = Commands.Classify(new InvalidOperationException(text));
            Assert.True(error.IsFault);
            // The user reads our sentence and the reference, never the exception's own text (which may hold anything).
            Assert.Equal(Commands.FaultMessage(CommandKind.Save, error.Reference!), error.Message);
            Assert.Matches("^[0-9A-F]{8}$", error.Reference);
        }, iter: 50, threads: 1);
    }

    /// <summary>
    /// Runs the action on generated values: it must succeed or be refused with a known refusal and a message; a refused call
    /// leaves every table as it was.
    /// </summary>
    private async Task FuzzAsync(string method, Func<Fuzz, Task> action)
    {
        var outcomes = new Dictionary<string, int>();
        await Values.SampleAsync(async fuzz =>
        {
            var before = await SnapshotAsync();
            Exception? thrown = null;
            try
            {
                await action(fuzz);
            }
#pragma warning disable CA1031 // the test classifies whatever the service threw
            catch (Exception ex)
#pragma warning restore CA1031
            {
                thrown = ex;
            }

            var outcome = thrown?.GetType().Name ?? "saved";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (thrown is null)
                return;
            Assert.True(Refusals.Contains(thrown.GetType()), $"{method} threw {thrown}");
            Assert.False(string.IsNullOrWhiteSpace(Commands.Classify(thrown).Message), $"{method}: a refusal without a message");
            Assert.Equal(before, await SnapshotAsync());
        }, iter: ServiceIterations, threads: 1, print: fuzz => fuzz.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine($"{method}: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}");
    }

    private string? _snapshotSql;

    /// <summary>A digest of every row of every table: equal before and after means nothing was written.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Cancel);
        if (_snapshotSql is null)
        {
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1", connection))
            await using (var reader = await list.ExecuteReaderAsync(Cancel))
            {
                while (await reader.ReadAsync(Cancel))
                    tables.Add(reader.GetString(0));
            }
            _snapshotSql = string.Join(" || ", tables.Select(t =>
                $"(SELECT '{t}:' || count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') || ';' FROM \"{t}\" x)"));
        }
        await using var command = new NpgsqlCommand("SELECT " + _snapshotSql, connection);
        return (string)(await command.ExecuteScalarAsync(Cancel))!;
    }

    private Task<uint> VersionOfDealAsync(Guid id) =>
        database.QueryAsync(db => db.Deals.Where(d => d.Id == id).Select(d => EF.Property<uint>(d, AppDbContext.Version)).SingleAsync(Cancel));

    private Task<uint> VersionOfPromiseAsync(Guid id) =>
        database.QueryAsync(db => db.Set<Commitment>().Where(c => c.Id == id).Select(c => EF.Property<uint>(c, AppDbContext.Version)).SingleAsync(Cancel));

    private Task<uint> LeadTimeVersionAsync(CommitmentKind kind) =>
        database.QueryAsync(db => db.LeadTimes.Where(l => l.Kind == kind).Select(l => EF.Property<uint>(l, AppDbContext.Version)).SingleAsync(Cancel));

    private Task<DateTimeOffset?> AnsweredAtAsync(Guid itemId) =>
        database.QueryAsync(db => db.Set<DealChecklistItem>().Where(i => i.Id == itemId).Select(i => i.AnsweredAt).SingleAsync(Cancel));

    private T Service<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Provider(database));

    private static ServiceProvider Provider(IDbContextFactory<AppDbContext>? factory = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton(Options.Create(new FulfilmentOptions()));
        if (factory is not null)
            services.AddSingleton(factory);
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        return services.BuildServiceProvider();
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

    /// <summary>Generated values, and which of a form's fields they replace (a bit per field).</summary>
    private sealed record Fuzz(string[] Texts, decimal?[] Numbers, int?[] Ints, DateTime?[] Dates, uint Mask)
    {
        /// <summary>Replaces the fields the mask picks (all, with <paramref name="everything"/>) with generated values.</summary>
        public T Fill<T>(T input, bool everything = false) where T : notnull
        {
            int text = 0, number = 0, integer = 0, date = 0, bit = 0;
            foreach (var property in input.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite))
            {
                if (!everything && ((Mask >> (bit++ % 32)) & 1) == 0)
                    continue;
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                var nullable = !property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null;
                object? value = type switch
                {
                    _ when type == typeof(string) => Texts[text++ % Texts.Length],
                    _ when type == typeof(decimal) => Numbers[number++ % Numbers.Length],
                    _ when type == typeof(int) => Ints[integer++ % Ints.Length],
                    _ when type == typeof(DateTime) => Dates[date++ % Dates.Length],
                    _ when type == typeof(DateOnly) => Dates[date++ % Dates.Length] is { } d ? DateOnly.FromDateTime(d) : null,
                    _ when type == typeof(TimeSpan) => Ints[integer++ % Ints.Length] is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
                    _ when type.IsEnum => Ints[integer++ % Ints.Length] is { } raw ? Enum.ToObject(type, raw) : null,
                    _ => Skip.Value,
                };
                if (value is Skip || (value is null && !nullable))
                    continue;
                property.SetValue(input, value);
            }
            return input;
        }

        public override string ToString()
        {
            var s = new StringBuilder($"mask {Mask:X8}; texts ");
            s.AppendJoin(" | ", Texts.Select(t => t.Length > 40 ? $"{t[..40]}...({t.Length})" : t));
            s.Append("; numbers ").AppendJoin(", ", Numbers).Append("; ints ").AppendJoin(", ", Ints).Append("; dates ").AppendJoin(", ", Dates);
            return s.ToString();
        }
    }

    private sealed class Skip
    {
        public static readonly Skip Value = new();
    }
}
