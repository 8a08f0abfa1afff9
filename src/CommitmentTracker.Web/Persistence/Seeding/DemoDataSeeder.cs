using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Persistence.Seeding;

/// <summary>
/// A believable demo company seeded on first start: two teams, one user per role, accounts with contacts,
/// deals in every stage, promises of both directions and milestones, some late or drifting. History is
/// replayed through the domain with past clocks, so every rule holds for the demo data too.
/// </summary>
public sealed partial class DemoDataSeeder(
    IDbContextFactory<AppDbContext> dbFactory,
    UserManager<AppUser> users,
    IOptions<DemoDataOptions> options,
    TimeProvider clock,
    ILogger<DemoDataSeeder> logger)
{
    public const string RepEmail = "rep@demo.local";

    private static readonly TimeSpan WorkingHour = TimeSpan.FromHours(10);

    /// <summary>The demo sign-ins, printed at every start while the demo is on.</summary>
    public static IReadOnlyList<(string Email, string Role)> SignIns { get; } =
    [
        (RepEmail, "Rep, team North"),
        ("manager@demo.local", "Manager, team North"),
        ("service@demo.local", "Service (Service department)"),
        ("fulfilment@demo.local", "Service (Fulfilment department)"),
        ("admin@demo.local", "Admin"),
        ("rep2@demo.local", "Rep, team South"),
        ("manager2@demo.local", "Manager, team South"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
            return;
        await SeedCompanyAsync(cancellationToken);
        logger.LogInformation("Demo sign-ins (password {Password}):{NewLine}{SignIns}", options.Value.Password, Environment.NewLine,
            string.Join(Environment.NewLine, SignIns.Select(s => $"    {s.Email,-24} {s.Role}")));
    }

    private async Task SeedCompanyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangedAt = clock.GetUtcNow();
        // Deals are written in one final save: their presence means the demo company is complete.
        if (await db.Deals.AnyAsync(cancellationToken))
            return;

        // Users and teams are found or created, so a start that failed half-way is completed by the next.
        var north = await TeamAsync(db, "North", cancellationToken);
        var south = await TeamAsync(db, "South", cancellationToken);

        var rep = await CreateUserAsync(RepEmail, "Rita Reyes", AppRoles.Rep, north.Id, Department.Sales);
        var manager = await CreateUserAsync("manager@demo.local", "Marco Mancini", AppRoles.Manager, north.Id, Department.Sales);
        var service = await CreateUserAsync("service@demo.local", "Sam Okafor", AppRoles.Service, null, Department.Service);
        var fulfilment = await CreateUserAsync("fulfilment@demo.local", "Femi Adeyemi", AppRoles.Service, null, Department.Fulfilment);
        await CreateUserAsync("admin@demo.local", "Ada Novak", AppRoles.Admin, null, null);
        var rep2 = await CreateUserAsync("rep2@demo.local", "Ravi Patel", AppRoles.Rep, south.Id, Department.Sales);
        var manager2 = await CreateUserAsync("manager2@demo.local", "Mia Lindqvist", AppRoles.Manager, south.Id, Department.Sales);
        north.AppointManager(manager.Id);
        south.AppointManager(manager2.Id);

        var template = await db.ChecklistTemplates.SingleAsync(t => t.IsActive, cancellationToken);
        var leadTimes = LeadTime.ToPolicy(await db.LeadTimes.ToListAsync(cancellationToken));
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var story = new Story(db, template, leadTimes, today, now) { Reviewer = service.Id };

        var northwind = story.Account("Northwind Logistics", "Logistics", ("Hannah Berg", ContactRole.Buyer, true), ("Tom Weller", ContactRole.BuyersBoss, false));
        var contoso = story.Account("Contoso Manufacturing", "Manufacturing", ("Priya Shah", ContactRole.Buyer, false), ("Luis Ortega", ContactRole.User, false));
        var fabrikam = story.Account("Fabrikam Foods", "Food processing", ("Grace Kim", ContactRole.Approver, true));
        var tailspin = story.Account("Tailspin Clinics", "Healthcare", ("Oliver Grant", ContactRole.Buyer, false));
        var adatum = story.Account("Adatum Retail", "Retail", ("Nora Fischer", ContactRole.Buyer, false));
        var litware = story.Account("Litware Energy", "Energy", ("Ken Adams", ContactRole.Buyer, true), ("Sofia Rossi", ContactRole.User, false));
        var woodgrove = story.Account("Woodgrove Bank", "Finance", ("Ian Clarke", ContactRole.Buyer, false));
        var proseware = story.Account("Proseware Labs", "Research", ("Amara Osei", ContactRole.Approver, true));
        var wideWorld = story.Account("Wide World Importers", "Distribution", ("Carlos Mendes", ContactRole.Buyer, true), ("Elena Petrova", ContactRole.BuyersBoss, false));

        // 1. Ordered, on its way, one milestone drifting and the customer's site survey overdue.
        var scanners = story.Deal(northwind, "Warehouse scanners rollout", rep, 184_000m, "Pick rate up from 90 to 120 lines an hour in both warehouses before peak season.", daysAgo: 30);
        var delivery = story.Ours(scanners, CommitmentKind.Delivery, "Deliver 120 handheld scanners configured for the WMS", service, Department.Fulfilment, promisedIn: 12, needIn: 20);
        story.Ours(scanners, CommitmentKind.Installation, "Install charging racks in both warehouses", service, Department.Service, promisedIn: 20, needIn: 24);
        story.Ours(scanners, CommitmentKind.Training, "Train 40 pickers and 4 supervisors", rep, Department.Sales, promisedIn: 26, needIn: 28);
        story.Theirs(scanners, "Give the installer access to both sites for a Wi-Fi survey", "Hannah Berg", promisedIn: -4, needIn: -2, madeDaysAgo: 30);
        story.Plan(delivery, fulfilment, ("Order scanners from supplier", -20, MilestoneStatus.Done, 0), ("Configure WMS profiles", -8, MilestoneStatus.InProgress, -4), ("Ship to both sites", -2, MilestoneStatus.NotStarted, null), ("Customer acceptance", 0, MilestoneStatus.NotStarted, null));
        story.AnswerChecklist(scanners, all: true);
        story.Order(scanners, "PO-NW-44812", daysAgo: 22);
        story.Log(scanners, CommunicationChannel.Phone, CommunicationDirection.ToCustomer, "Hannah Berg", "Walked through the road to delivery: order, configure, ship, install, train.", daysAgo: 25);

        // 2. Verbal: checklist half done, an aggressive promise waiting for the manager.
        var pilot = story.Deal(contoso, "Line monitoring pilot", rep, 46_500m, "See unplanned stops on line 3 within a minute, instead of at the shift report.", daysAgo: 9);
        story.Ours(pilot, CommitmentKind.Installation, "Install 12 vibration sensors on line 3", service, Department.Service, promisedIn: 10, needIn: 14);
        story.Ours(pilot, CommitmentKind.Outcome, "Stops on line 3 visible on the dashboard within 60 seconds", rep, Department.Product, promisedIn: 45, needIn: 60);
        story.Theirs(pilot, "Name a maintenance lead for the pilot", "Priya Shah", promisedIn: 3, needIn: 5, madeDaysAgo: 9);
        story.AnswerChecklist(pilot, all: false);

        // 3. Delivered: everything kept, the outcome accepted; payment pending.
        var sensors = story.Deal(fabrikam, "Cold-chain sensors", rep, 72_000m, "No spoiled batches from undetected temperature drift in the cold store.", daysAgo: 70);
        var coldDelivery = story.Ours(sensors, CommitmentKind.Delivery, "Deliver 60 temperature sensors", fulfilment, Department.Fulfilment, promisedIn: -40, needIn: -35, madeDaysAgo: 70);
        var coldOutcome = story.Ours(sensors, CommitmentKind.Outcome, "Temperature drift alarms reach the shift lead within 5 minutes", rep, Department.Product, promisedIn: -12, needIn: -5, madeDaysAgo: 70);
        story.AnswerChecklist(sensors, all: true);
        story.Order(sensors, "PO-FAB-2207", daysAgo: 62);
        story.Plan(coldDelivery, fulfilment, ("Pick and test sensors", -10, MilestoneStatus.Done, -12), ("Ship", -2, MilestoneStatus.Done, -2), ("Customer acceptance", 0, MilestoneStatus.Done, -1));
        story.Plan(coldOutcome, service, ("Configure alarm routing", -14, MilestoneStatus.Done, -16), ("Customer acceptance", 0, MilestoneStatus.Done, -1));
        story.Deliver(sensors, daysAgo: 10);

        // 4. Paid.
        var booking = story.Deal(tailspin, "Clinic booking system", rep, 38_900m, "Patients book online and no-shows drop by a third.", daysAgo: 120);
        var bookingTraining = story.Ours(booking, CommitmentKind.Training, "Train the front-desk staff of 3 clinics", rep, Department.Sales, promisedIn: -90, needIn: -85, madeDaysAgo: 120);
        story.AnswerChecklist(booking, all: true);
        story.Order(booking, "PO-TSC-0091", daysAgo: 112);
        story.Plan(bookingTraining, service, ("Prepare training material", -10, MilestoneStatus.Done, -10), ("Hold sessions", 0, MilestoneStatus.Done, 2));
        story.Deliver(booking, daysAgo: 80);
        story.Pay(booking, "PAY-55120", daysAgo: 50);

        // 5. Lost to a competitor.
        var pos = story.Deal(adatum, "Point-of-sale upgrade", rep, 120_000m, "Checkout time per basket under 40 seconds in all 28 stores.", daysAgo: 45);
        story.Lose(pos, LostReason.WentToCompetitor, "Chose a bundle with their payment provider.", daysAgo: 30);

        // 6. Late: the delivery date passed with a blocked milestone.
        var telematics = story.Deal(litware, "Fleet telematics", rep, 96_400m, "Every field van located live, and fuel use per route reported weekly.", daysAgo: 50);
        var vans = story.Ours(telematics, CommitmentKind.Delivery, "Deliver and fit trackers in 85 vans", fulfilment, Department.Fulfilment, promisedIn: -3, needIn: 4, madeDaysAgo: 50);
        story.Theirs(telematics, "Bring vans to the depot in batches of 10", "Ken Adams", promisedIn: -6, needIn: -6, madeDaysAgo: 50);
        story.Plan(vans, fulfilment, ("Order trackers", -30, MilestoneStatus.Done, -28), ("Fit trackers in batches", -5, MilestoneStatus.Blocked, 6), ("Customer acceptance", 0, MilestoneStatus.NotStarted, null));
        story.AnswerChecklist(telematics, all: true);
        story.Order(telematics, "PO-LIT-7781", daysAgo: 44);

        // 7. At risk through our own supplier: its recovery plan opens as the demo is written, and deliveries with slack
        // below can give it the days (a reshuffle).
        var printers = story.Deal(wideWorld, "Packing station label printers", rep, 63_500m, "Every parcel labelled at the packing station, no more hand-written carrier slips.", daysAgo: 18);
        var printerDelivery = story.Ours(printers, CommitmentKind.Delivery, "Deliver 40 label printers configured for the carriers", fulfilment, Department.Fulfilment, promisedIn: 9, needIn: 16);
        story.Plan(printerDelivery, fulfilment, ("Receive printers from supplier", -6, MilestoneStatus.InProgress, 5), ("Configure carrier templates", -3, MilestoneStatus.NotStarted, null), ("Customer acceptance", 0, MilestoneStatus.NotStarted, null));
        story.AnswerChecklist(printers, all: true);
        story.Order(printers, "PO-WWI-5120", daysAgo: 15);

        // Deliveries of the same kind with slack: what a reshuffle can draw on.
        var coldStore = story.Deal(fabrikam, "Cold-store sensors, second site", rep, 41_000m, "The second cold store watched like the first, before the summer.", daysAgo: 12);
        var secondSite = story.Ours(coldStore, CommitmentKind.Delivery, "Deliver 35 temperature sensors to the second site", fulfilment, Department.Fulfilment, promisedIn: 45, needIn: 60);
        story.Plan(secondSite, fulfilment, ("Order sensors from supplier", -30, MilestoneStatus.InProgress, null), ("Ship", -15, MilestoneStatus.NotStarted, null), ("Customer acceptance", -10, MilestoneStatus.NotStarted, null));
        story.AnswerChecklist(coldStore, all: true);
        story.Order(coldStore, "PO-FAB-2291", daysAgo: 8);
        var batteries = story.Ours(coldStore, CommitmentKind.Delivery, "Deliver 4 spare gateways for the second site", fulfilment, Department.Fulfilment, promisedIn: 30, needIn: 40);
        story.Plan(batteries, fulfilment, ("Order gateways", -20, MilestoneStatus.NotStarted, null), ("Ship", -12, MilestoneStatus.NotStarted, null));

        // The late vans: a plan worked for three days, its comfort step now overdue.
        story.WorkedOpenPlan(vans, rep, manager, detectedDaysAgo: 3,
            chosen: "Fit the trackers at the customer's depot in the evenings, as soon as the vans are released.",
            other: (RecoveryOptionKind.LoanOrDemoUnit, "Lend 10 portable trackers for the busiest vans meanwhile."));

        // What past recoveries taught (closed plans, for the dashboard's Pareto and lessons).
        story.ClosedPlan(bookingTraining, rep, manager, detectedDaysAgo: 93, closedDaysAgo: 84, RootCause.PoorCommunication, Department.Sales,
            "Confirm the trainer's calendar before promising a training date; the rep promised a week nobody had checked.",
            option: (RecoveryOptionKind.PartialDelivery, "Train two clinics on the promised date, the third two days later."), forgave: true,
            compensation: ("Refresher session for new staff in 3 months", 1_500m, 300m, 400m));
        story.ClosedPlan(coldDelivery, rep, manager, detectedDaysAgo: 48, closedDaysAgo: 36, RootCause.BadTechnicalInformation, Department.Product,
            "Check sensor firmware against the customer's gateway at the technical review, not at shipping.",
            option: (RecoveryOptionKind.LoanOrDemoUnit, "Lend 10 demo sensors for the critical cold room until the batch ships."), forgave: true,
            compensation: ("Two extra days of on-site configuration", 3_200m, 900m, 1_000m));
        story.ClosedPlan(coldOutcome, rep, manager, detectedDaysAgo: 20, closedDaysAgo: 9, RootCause.BadTechnicalInformation, Department.Service,
            "Test alarm routing with the customer's own phones during installation.",
            option: (RecoveryOptionKind.Other, "Route the alarms by SMS until the app push is fixed."), forgave: false, compensation: null);

        // Team South.
        var branches = story.Deal(woodgrove, "Branch queue kiosks", rep2, 58_300m, "Average wait in the 6 busiest branches under 8 minutes.", daysAgo: 20);
        var kiosks = story.Ours(branches, CommitmentKind.Installation, "Install 18 kiosks in 6 branches", service, Department.Service, promisedIn: 15, needIn: 25);
        story.Plan(kiosks, service, ("Order kiosks", -20, MilestoneStatus.Done, -21), ("Install branch by branch", -3, MilestoneStatus.InProgress, null), ("Customer acceptance", 0, MilestoneStatus.NotStarted, null));
        story.AnswerChecklist(branches, all: true);
        story.Order(branches, "PO-WGB-3310", daysAgo: 14);
        var lims = story.Deal(proseware, "Lab data platform", rep2, 142_000m, "Every assay result traceable to its sample in one search.", daysAgo: 6);
        story.Ours(lims, CommitmentKind.Delivery, "Deliver the platform with the sample module", rep2, Department.Product, promisedIn: 40, needIn: 50);

        // The teams' other reps and two years of their past deals: the history the promise forecast estimates from.
        var historyReps = new List<AppUser>();
        foreach (var (email, name, team) in HistoryReps)
            historyReps.Add(await CreateUserAsync(email, name, AppRoles.Rep, team == north.Name ? north.Id : south.Id, Department.Sales, signsIn: false));
        var templates = await db.MilestoneTemplates.AsNoTracking().ToDictionaryAsync(t => t.Kind, cancellationToken);
        story.History(new HistoryCast(historyReps,
            new Dictionary<Guid, Account[]> { [north.Id] = [northwind, contoso, fabrikam, litware, wideWorld], [south.Id] = [woodgrove, proseware] },
            service, fulfilment, templates));

        // A diligent team: touchpoints more than two days old were done on time; the latest ones are still due.
        story.KeepUpWithTouchpoints(keepOpenFromDaysAgo: 2);

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Demo company seeded: sign in as {Email} (and others) with the demo password", RepEmail);
    }

    private static async Task<Team> TeamAsync(AppDbContext db, string name, CancellationToken cancellationToken)
    {
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (team is null)
        {
            team = Team.Create(name, null);
            db.Teams.Add(team);
            await db.SaveChangesAsync(cancellationToken);
        }
        return team;
    }

    /// <summary>Finds or creates a demo user; one who does not sign in gets no password.</summary>
    private async Task<AppUser> CreateUserAsync(string email, string name, string role, Guid? teamId, Department? department, bool signsIn = true)
    {
        if (await users.FindByEmailAsync(email) is { } existing)
            return existing;
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            TeamId = teamId,
            Department = department,
        };
        Check(signsIn ? await users.CreateAsync(user, options.Value.Password) : await users.CreateAsync(user), email);
        Check(await users.AddToRoleAsync(user, role), email);
        return user;
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create demo user {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }

    /// <summary>Replays a deal's history through the domain at the dates it happened.</summary>
    private sealed partial class Story(AppDbContext db, ChecklistTemplate template, LeadTimes leadTimes, DateOnly today, DateTimeOffset now)
    {
        private readonly Dictionary<Guid, DateOnly> _closedOn = [];
        private readonly List<(Deal Deal, Account Account)> _deals = [];

        // Seeded before the working hour, today's events happen now: nothing in the demo is dated in the future.
        private DateTimeOffset At(DateOnly day)
        {
            var at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue) + WorkingHour, TimeSpan.Zero);
            return at < now ? at : now;
        }

        public Account Account(string name, string industry, params (string Name, ContactRole Role, bool MayContactManager)[] contacts) =>
            Account(name, industry, createdDaysAgo: 200, contacts);

        public Account Account(string name, string industry, int createdDaysAgo, params (string Name, ContactRole Role, bool MayContactManager)[] contacts)
        {
            var account = Domain.Accounts.Account.Create(name, industry, At(today.AddDays(-createdDaysAgo)));
            foreach (var (contactName, role, mayContactManager) in contacts)
                account.AddContact(contactName, role, $"{contactName.Split(' ')[0].ToLowerInvariant()}@{name.Split(' ')[0].ToLowerInvariant()}.example", null, mayContactManager);
            db.Accounts.Add(account);
            return account;
        }

        public Deal Deal(Account account, string title, AppUser owner, decimal value, string outcome, int daysAgo)
        {
            var closed = today.AddDays(-daysAgo);
            var deal = Domain.Deals.Deal.Create(account.Id, title, owner.Id, Money.Of(value, "EUR"), outcome, closed, template, At(closed), closed);
            _closedOn[deal.Id] = closed;
            _deals.Add((deal, account));
            db.Deals.Add(deal);
            return deal;
        }

        public Commitment Ours(Deal deal, CommitmentKind kind, string description, AppUser owner, Department department, int promisedIn, int needIn, int? madeDaysAgo = null)
        {
            var madeOn = madeDaysAgo is { } d ? today.AddDays(-d) : _closedOn[deal.Id];
            var draft = new CommitmentDraft(CommitmentDirection.Ours, kind, description, owner.Id, department, today.AddDays(promisedIn), today.AddDays(needIn),
                AggressiveReason: null);
            var commitment = deal.AddCommitment(draft, leadTimes, deal.OwnerId, At(madeOn), madeOn);
            commitment.RefreshStatus(today);
            return commitment;
        }

        public Commitment Theirs(Deal deal, string description, string contact, int promisedIn, int needIn, int madeDaysAgo)
        {
            var madeOn = today.AddDays(-madeDaysAgo);
            var draft = new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, description, deal.OwnerId, Department.Customer, today.AddDays(promisedIn), today.AddDays(needIn));
            var commitment = deal.AddCommitment(draft, leadTimes, deal.OwnerId, At(madeOn), madeOn);
            commitment.RecordAcknowledgement(new CustomerAcknowledgement(contact, At(madeOn), CommunicationChannel.Meeting), At(madeOn));
            commitment.RefreshStatus(today);
            return commitment;
        }

        /// <summary>
        /// Milestones as (title, planned offset, status, offset) with offsets in days from the promised date:
        /// for Done the completion day (never after today), otherwise the forecast.
        /// </summary>
        public void Plan(Commitment commitment, AppUser assignee, params (string Title, int PlannedOffset, MilestoneStatus Status, int? DayOffset)[] steps)
        {
            var promised = commitment.PromisedDate;
            var planned = steps.Select(step => (Step: step, Milestone: commitment.AddMilestone(step.Title, assignee.Id,
                promised.AddDays(step.PlannedOffset), isCustomerAcceptance: step.Title == "Customer acceptance"))).ToList();
            foreach (var (step, milestone) in planned)
            {
                var isAcceptance = milestone.IsCustomerAcceptance;
                if (step.Status == MilestoneStatus.NotStarted)
                    continue;
                var target = promised.AddDays(step.DayOffset ?? step.PlannedOffset);
                var updatedOn = step.Status == MilestoneStatus.Done ? Min(target, today) : Min(promised.AddDays(step.PlannedOffset), today.AddDays(-1));
                var change = step.Status switch
                {
                    MilestoneStatus.Done => new MilestoneChange(MilestoneStatus.Done, null, updatedOn, Note: "Done.",
                        Acceptance: isAcceptance ? new CustomerAcceptance("Customer lead", updatedOn, CommunicationChannel.Meeting) : null),
                    MilestoneStatus.Blocked => new MilestoneChange(MilestoneStatus.Blocked, target, Reason: "Waiting for the customer to release the vans for fitting."),
                    _ => new MilestoneChange(step.Status, step.DayOffset is null ? null : target, Note: "Work started."),
                };
                commitment.UpdateMilestone(milestone.Id, change, assignee.Id, At(updatedOn), updatedOn);
            }
            commitment.RefreshStatus(today);
        }

        private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

        /// <summary>The service user who approves the demo deals' technical reviews.</summary>
        public string Reviewer { get; init; } = "";

        public void AnswerChecklist(Deal deal, bool all)
        {
            var on = _closedOn[deal.Id].AddDays(1);
            var items = all ? deal.Checklist : deal.Checklist.Take(deal.Checklist.Count / 2);
            // Service staff reviewed the solution before it was promised: their approval answers the technical-review item.
            if (all && deal.RequiresTechnicalReview)
            {
                var review = deal.RequestTechnicalReview("The solution and the dates we intend to promise.", deal.OwnerId, At(on));
                deal.DecideTechnicalReview(review.Id, approved: true, null, Reviewer, At(on));
                items = items.Where(i => i != deal.TechnicalReviewItem);
            }
            foreach (var item in items.ToList())
                deal.AnswerChecklistItem(item.Id, $"Agreed with the customer: {item.Guidance.ToLowerInvariant()}", deal.OwnerId, At(on));
            if (all)
                deal.RecordChecklistAcknowledgement(new CustomerAcknowledgement("Buyer", At(on), CommunicationChannel.Email), At(on));
        }

        public void Order(Deal deal, string po, int daysAgo) => deal.MarkOrdered(po, deal.OwnerId, At(today.AddDays(-daysAgo)));

        public void Deliver(Deal deal, int daysAgo) => deal.MarkDelivered(deal.OwnerId, At(today.AddDays(-daysAgo)), today.AddDays(-daysAgo));

        public void Pay(Deal deal, string reference, int daysAgo)
        {
            var day = today.AddDays(-daysAgo);
            deal.MarkPaid(day, reference, deal.OwnerId, At(day), day);
        }

        public void Lose(Deal deal, LostReason reason, string note, int daysAgo) => deal.MarkLost(reason, note, deal.OwnerId, At(today.AddDays(-daysAgo)));

        public void KeepUpWithTouchpoints(int keepOpenFromDaysAgo)
        {
            foreach (var (deal, account) in _deals)
            {
                var contact = account.Contacts.Count > 0 ? account.Contacts[0].Name : "the buyer";
                foreach (var touchpoint in deal.Touchpoints.Where(t => t.IsOpen && t.DueOn < today.AddDays(-keepOpenFromDaysAgo)).ToList())
                {
                    var at = At(touchpoint.DueOn);
                    var entry = CommunicationEntry.Log(deal.Id, touchpoint.CommitmentId, CommunicationChannel.Phone, CommunicationDirection.ToCustomer,
                        contact, $"{touchpoint.Title}: went through it with {contact}; no concerns raised.", at, deal.OwnerId, at);
                    db.CommunicationEntries.Add(entry);
                    deal.CompleteTouchpoint(touchpoint.Id, entry.Id, deal.OwnerId, at);
                }
            }
        }

        /// <summary>A recovery plan worked through to its close in the past: told, comforted, solved, apologised, maybe compensated.</summary>
        public void ClosedPlan(
            Commitment commitment, AppUser rep, AppUser manager, int detectedDaysAgo, int closedDaysAgo, RootCause cause, Department department, string lesson,
            (RecoveryOptionKind Kind, string Description) option, bool forgave, (string Item, decimal Face, decimal Cost, decimal Loss)? compensation)
        {
            var detected = At(today.AddDays(-detectedDaysAgo)).AddHours(-3);
            DateTimeOffset After(double hours) => detected.AddHours(hours);
            var plan = RecoveryPlan.Open(commitment.Id, commitment.DealId, detected, RiskLevel.AtRisk, RecoverySettings.Default(rep.Id, manager.Id), After(0.05));
            plan.AcknowledgeByManager(manager.Id, After(0.5));
            plan.RecordMakeRoom(commitment.PromisedDate.AddDays(3), commitment.NeedDate, After(1));
            var chosen = plan.AddOption(option.Kind, option.Description, After(2));
            plan.AddOption(RecoveryOptionKind.AnotherSource, "Buy the missing part from a competitor's distributor.", After(2));
            plan.ChooseOption(chosen.Id, After(2.5));
            var contact = _deals.First(d => d.Deal.Id == commitment.DealId).Account.Contacts[0].Name;
            var told = CommunicationEntry.Log(commitment.DealId, commitment.Id, CommunicationChannel.Phone, CommunicationDirection.ToCustomer, contact,
                $"Told {contact} the date is at risk and why; proposed: {option.Description}", After(3), rep.Id, After(3));
            db.CommunicationEntries.Add(told);
            plan.TellCustomer(told.Id, After(3));
            plan.RecordComfort("A weekly status call until delivery.", $"{manager.DisplayName} called {contact} the same day to follow it personally.", After(20));
            plan.PresentSolution(accepted: true, After(24));
            plan.Apologise(forgave, After(26));
            if (compensation is { } c)
            {
                plan.Compensate(c.Item, c.Face, c.Cost, c.Loss, budget: 4_000m, After(48));
            }
            plan.Close(cause, department, lesson, At(today.AddDays(-closedDaysAgo)));
            db.RecoveryPlans.Add(plan);
        }

        /// <summary>An open plan worked up to telling the customer; the later steps wait.</summary>
        public void WorkedOpenPlan(Commitment commitment, AppUser rep, AppUser manager, int detectedDaysAgo, string chosen, (RecoveryOptionKind Kind, string Description) other)
        {
            var detected = At(today.AddDays(-detectedDaysAgo)).AddHours(-2);
            DateTimeOffset After(double hours) => detected.AddHours(hours);
            var plan = RecoveryPlan.Open(commitment.Id, commitment.DealId, detected, RiskLevel.Late, RecoverySettings.Default(rep.Id, manager.Id), After(0.02));
            plan.AcknowledgeByManager(manager.Id, After(0.4));
            plan.RecordMakeRoom(commitment.Forecast ?? today, commitment.NeedDate, After(1));
            var option = plan.AddOption(RecoveryOptionKind.Other, chosen, After(1.5));
            plan.AddOption(other.Kind, other.Description, After(1.5));
            plan.ChooseOption(option.Id, After(2));
            var contact = _deals.First(d => d.Deal.Id == commitment.DealId).Account.Contacts[0].Name;
            var told = CommunicationEntry.Log(commitment.DealId, commitment.Id, CommunicationChannel.Phone, CommunicationDirection.ToCustomer, contact,
                $"Told {contact} the fitting is late while the vans are not released; proposed evening fitting at their depot.", After(3), rep.Id, After(3));
            db.CommunicationEntries.Add(told);
            plan.TellCustomer(told.Id, After(3));
            db.RecoveryPlans.Add(plan);
        }

        public void Log(Deal deal, CommunicationChannel channel, CommunicationDirection direction, string people, string summary, int daysAgo)
        {
            var at = At(today.AddDays(-daysAgo));
            db.CommunicationEntries.Add(CommunicationEntry.Log(deal.Id, null, channel, direction, people, summary, at, deal.OwnerId, at));
        }
    }
}
