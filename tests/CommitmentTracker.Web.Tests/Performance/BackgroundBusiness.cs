using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Tests.Performance;

/// <summary>
/// Other teams' business around the demo company: two years of deals with promises, milestones, touchpoints,
/// communications, shared risks, technical reviews and renegotiated dates, some late (their alerts and recovery plans
/// open in the save, as in the app). It makes the growing tables hundreds to thousands of rows long, so the planner
/// weighs an index against a whole read as it would at a customer, and a demo user's page needs a small part of each
/// table rather than most of it. On the demo company alone every table is a page or two, and the planner walks whole
/// indexes even where a selective one exists. Built through the domain on the clock's past days, so every rule holds.
/// </summary>
public static class BackgroundBusiness
{
    private static readonly TimeSpan WorkingHour = TimeSpan.FromHours(10);

    public static async Task AddAsync(TestDatabase database, DateTimeOffset now, int teams = 6, int repsPerTeam = 5, int dealsPerRep = 16)
    {
        ArgumentNullException.ThrowIfNull(database);
        var cancellationToken = TestContext.Current.CancellationToken;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var template = await database.ActiveChecklistAsync();
        var leadTimes = await database.QueryAsync(async db => LeadTime.ToPolicy(await db.LeadTimes.AsNoTracking().ToListAsync(cancellationToken)));
        var staff = await AddPeopleAsync(database, teams, repsPerTeam, cancellationToken);

        var risks = await database.QueryAsync(db => db.RiskLibrary.AsNoTracking().Where(r => !r.IsRetired).ToListAsync(cancellationToken));
        var world = new World(template, leadTimes, risks, today, now);
        for (var r = 0; r < staff.Reps.Count; r++)
        {
            // One save per rep keeps each save (and the risk re-evaluation inside it) small.
            await using var db = database.CreateDbContext();
            db.ChangedAt = now;
            for (var i = 0; i < dealsPerRep; i++)
                world.AddDeal(db, staff, r, i);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private sealed record Staff(IReadOnlyList<(string Rep, string Manager)> Reps, IReadOnlyList<string> Service, IReadOnlyList<string> Fulfilment);

    /// <summary>Teams with a manager and reps, and service staff of both departments; inserted directly (no password, no sign-in).</summary>
    private static async Task<Staff> AddPeopleAsync(TestDatabase database, int teams, int repsPerTeam, CancellationToken cancellationToken)
    {
        await using var db = database.CreateDbContext();
        var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
        var reps = new List<(string Rep, string Manager)>();
        string Person(string role, string name, Guid? teamId, Department? department)
        {
            var email = $"{name.Replace(' ', '.').ToLowerInvariant()}@background.local";
            var user = new AppUser
            {
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                DisplayName = name,
                TeamId = teamId,
                Department = department,
            };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[role] });
            return user.Id;
        }

        for (var t = 1; t <= teams; t++)
        {
            var team = Team.Create($"Region {t}", null);
            db.Teams.Add(team);
            var manager = Person(AppRoles.Manager, $"Manager {t}", team.Id, Department.Sales);
            team.AppointManager(manager);
            for (var r = 1; r <= repsPerTeam; r++)
                reps.Add((Person(AppRoles.Rep, $"Rep {t}-{r}", team.Id, Department.Sales), manager));
        }
        var service = Enumerable.Range(1, 3).Select(i => Person(AppRoles.Service, $"Technician {i}", null, Department.Service)).ToList();
        var fulfilment = Enumerable.Range(1, 3).Select(i => Person(AppRoles.Service, $"Dispatcher {i}", null, Department.Fulfilment)).ToList();
        await db.SaveChangesAsync(cancellationToken);
        return new Staff(reps, service, fulfilment);
    }

    /// <summary>Deals spread over the last two years; older ones delivered or paid, recent ones still in progress, a few lost.</summary>
    private sealed class World(ChecklistTemplate template, LeadTimes leadTimes, IReadOnlyList<RiskLibraryEntry> risks, DateOnly today, DateTimeOffset now)
    {
        private Account? _account;

        private DateTimeOffset At(DateOnly day)
        {
            var at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue) + WorkingHour, TimeSpan.Zero);
            return at < now ? at : now;
        }

        private DateOnly Day(DateOnly day) => day < today ? day : today;

        public void AddDeal(AppDbContext db, Staff staff, int rep, int index)
        {
            var (ownerId, managerId) = staff.Reps[rep];
            var n = rep * 31 + index;
            // Two deals per account: accounts grow with the deals.
            if (index % 2 == 0 || _account is null)
            {
                _account = Account.Create($"Customer {rep}-{index}", "Manufacturing", At(today.AddDays(-800)));
                _account.AddContact($"Buyer {rep}-{index}", ContactRole.Buyer, $"buyer{rep}-{index}@customer.example", null, mayContactTheirManager: index % 3 == 0);
                db.Accounts.Add(_account);
            }
            var closed = today.AddDays(-(1 + (n * 23 % 730)));
            var deal = Deal.Create(_account.Id, $"Background deal {rep}-{index}", ownerId, Money.Of(10_000m + n % 40 * 2_500m, "EUR"),
                "Runs the line without unplanned stops.", closed, template, At(closed), closed);
            db.Deals.Add(deal);
            var contact = _account.Contacts[0].Name;

            var delivery = Promise(deal, CommitmentKind.Delivery, Department.Fulfilment, staff.Fulfilment[n % 3], closed, promisedIn: 30 + n % 20);
            var installation = Promise(deal, CommitmentKind.Installation, Department.Service, staff.Service[n % 3], closed, promisedIn: 45 + n % 20);
            var theirs = deal.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Give the installer access to the site", ownerId, Department.Customer,
                    closed.AddDays(20), closed.AddDays(25)), leadTimes, ownerId, At(closed), closed);
            theirs.RecordAcknowledgement(new CustomerAcknowledgement(contact, At(closed), CommunicationChannel.Meeting), At(closed));
            if (index % 2 == 0)
                deal.ShareRisk(risks[n % risks.Count], ownerId, At(closed));
            var review = index % 3 == 0 ? deal.RequestTechnicalReview("Check the line's controller against our gateway.", ownerId, At(closed)) : null;

            // A deal in twelve is lost while verbal; recent ones (one in five) are still verbal with half their checklist;
            // the rest were ordered three days after the close.
            if (index % 12 == 5)
            {
                deal.MarkLost(LostReason.NoBudget, null, ownerId, At(Day(closed.AddDays(10))));
                Finish(deal, db, contact);
                return;
            }
            if (closed > today.AddDays(-12) && index % 5 == 0)
            {
                foreach (var item in deal.Checklist.Take(deal.Checklist.Count / 2))
                    deal.AnswerChecklistItem(item.Id, "Agreed with the customer.", ownerId, At(closed));
                Finish(deal, db, contact);
                return;
            }
            var orderedOn = Day(closed.AddDays(3));
            // The order needs service staff's approval of the technical review.
            review ??= deal.RequestTechnicalReview("Check the solution and the dates.", ownerId, At(closed));
            deal.DecideTechnicalReview(review.Id, approved: true, null, staff.Service[n % 3], At(Day(closed.AddDays(1))));
            foreach (var item in deal.OpenRequiredItems.ToList())
                deal.AnswerChecklistItem(item.Id, "Agreed with the customer.", ownerId, At(Day(closed.AddDays(1))));
            deal.MarkOrdered($"PO-{rep}-{index}", ownerId, At(orderedOn));

            // One delivery in six moved a week later, agreed with the customer once the order was in.
            if (index % 6 == 1 && delivery.PromisedDate > orderedOn)
                deal.RenegotiateCommitment(delivery.Id, delivery.PromisedDate.AddDays(7), contact, At(orderedOn), "The supplier shipped a week late.",
                    ownerId, At(orderedOn), orderedOn);
            Plan(delivery);
            Plan(installation);
            Work(delivery, n);
            Work(installation, n + 1);
            theirs.Complete(Day(theirs.PromisedDate), today);
            if (delivery.IsClosed && installation.IsClosed)
            {
                var deliveredOn = Day(new[] { delivery.CompletedOn!.Value, installation.CompletedOn!.Value }.Max().AddDays(1));
                deal.MarkDelivered(ownerId, At(deliveredOn), deliveredOn);
                if (index % 4 == 2)
                    ClosedPlan(db, delivery, ownerId, managerId, contact, closedOn: deliveredOn);
                if (index % 3 != 0 && deliveredOn.AddDays(30) <= today)
                    deal.MarkPaid(deliveredOn.AddDays(30), $"PAY-{rep}-{index}", ownerId, At(deliveredOn.AddDays(30)), deliveredOn.AddDays(30));
            }
            Finish(deal, db, contact);
        }

        /// <summary>A promise of ours made at the close, owned by the service person who will plan it.</summary>
        private Commitment Promise(Deal deal, CommitmentKind kind, Department department, string ownerId, DateOnly closed, int promisedIn) =>
            deal.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Ours, kind, $"{kind} for {deal.Title}", ownerId, department, closed.AddDays(promisedIn),
                    closed.AddDays(promisedIn + 10)), leadTimes, deal.OwnerId, At(closed), closed);

        /// <summary>Service plans the promise once the order is in: three steps, one in four left to whoever in the department picks it up.</summary>
        private static void Plan(Commitment promise)
        {
            var promised = promise.PromisedDate;
            promise.AddMilestone("Order parts", promise.OwnerId, promised.AddDays(-20));
            promise.AddMilestone("Prepare", promised.Day % 4 == 0 ? null : promise.OwnerId, promised.AddDays(-8));
            promise.AddMilestone("Hand over", promise.OwnerId, promised.AddDays(-1));
        }

        /// <summary>
        /// Milestones worked as their days came: done when planned (one plan in seven a few days late); in one plan in
        /// five, the first step due in the last fortnight is still in progress or blocked, which makes some promises late.
        /// </summary>
        private void Work(Commitment promise, int n)
        {
            foreach (var milestone in promise.Milestones.OrderBy(m => m.Position).ToList())
            {
                var planned = milestone.PlannedDate;
                var doneOn = planned.AddDays(n % 7 == 0 ? 4 : 0);
                var by = milestone.AssigneeId ?? promise.OwnerId;
                if (doneOn < today.AddDays(-14) || (doneOn <= today && n % 5 != 0))
                {
                    promise.UpdateMilestone(milestone.Id, new MilestoneChange(MilestoneStatus.Done, null, doneOn, Note: "Done."), by, At(doneOn), doneOn);
                    continue;
                }
                if (planned <= today)
                {
                    var blocked = n % 2 == 0;
                    promise.UpdateMilestone(milestone.Id,
                        blocked
                            ? new MilestoneChange(MilestoneStatus.Blocked, today.AddDays(5), Reason: "Waiting for the customer.")
                            : new MilestoneChange(MilestoneStatus.InProgress, null, Note: "Started."),
                        by, At(Day(planned)), Day(planned));
                }
                break;
            }
            promise.RefreshStatus(today);
        }

        /// <summary>A recovery plan of the promise, opened a week before its date and worked to its close: the history the dashboard learns from.</summary>
        private void ClosedPlan(AppDbContext db, Commitment promise, string repId, string managerId, string contact, DateOnly closedOn)
        {
            var detected = At(promise.PromisedDate.AddDays(-7));
            DateTimeOffset After(double hours) => detected.AddHours(hours);
            var plan = RecoveryPlan.Open(promise.Id, promise.DealId, detected, RiskLevel.AtRisk, RecoverySettings.Default(repId, managerId), After(0.1));
            plan.AcknowledgeByManager(managerId, After(0.5));
            plan.RecordMakeRoom(promise.PromisedDate.AddDays(2), promise.NeedDate, After(1));
            var option = plan.AddOption(RecoveryOptionKind.PartialDelivery, "Deliver what is ready on the date, the rest two days later.", After(2));
            plan.ChooseOption(option.Id, After(2.5));
            var told = CommunicationEntry.Log(promise.DealId, promise.Id, CommunicationChannel.Phone, CommunicationDirection.ToCustomer, contact,
                "Told the customer the date is at risk and what we propose.", After(3), repId, After(3));
            db.CommunicationEntries.Add(told);
            plan.TellCustomer(told.Id, After(3));
            plan.RecordComfort("A daily status mail until delivery.", "The manager called the buyer the same day.", After(20));
            plan.PresentSolution(accepted: true, After(24));
            plan.Apologise(customerForgave: true, After(26));
            var cause = (RootCause)(promise.PromisedDate.DayNumber % 4);
            plan.Close(cause, Department.Fulfilment, "Order the parts when the deal is verbal, not when the PO arrives.", At(closedOn));
            db.RecoveryPlans.Add(plan);
        }

        /// <summary>Touchpoints more than two days old were done, each with its logged call.</summary>
        private void Finish(Deal deal, AppDbContext db, string contact)
        {
            foreach (var touchpoint in deal.Touchpoints.Where(t => t.IsOpen && t.DueOn < today.AddDays(-2)).ToList())
            {
                var at = At(touchpoint.DueOn);
                var entry = CommunicationEntry.Log(deal.Id, touchpoint.CommitmentId, CommunicationChannel.Phone, CommunicationDirection.ToCustomer,
                    contact, $"{touchpoint.Title}: no concerns raised.", at, deal.OwnerId, at);
                db.CommunicationEntries.Add(entry);
                deal.CompleteTouchpoint(touchpoint.Id, entry.Id, deal.OwnerId, at);
            }
        }
    }
}
