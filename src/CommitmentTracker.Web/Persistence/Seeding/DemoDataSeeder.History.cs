using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;

namespace CommitmentTracker.Web.Persistence.Seeding;

public sealed partial class DemoDataSeeder
{
    /// <summary>The other reps of the two teams: they own the demo's history and do not sign in (no password).</summary>
    public static IReadOnlyList<(string Email, string Name, string Team)> HistoryReps { get; } =
    [
        ("nadia.brooks@demo.local", "Nadia Brooks", "North"),
        ("owen.hart@demo.local", "Owen Hart", "North"),
        ("sara.lund@demo.local", "Sara Lund", "South"),
        ("diego.alvarez@demo.local", "Diego Alvarez", "South"),
    ];

    /// <summary>Past deals in the history: with two or three promises each, about 300 promises over two years.</summary>
    public const int HistoryDeals = 105;

    /// <summary>
    /// How long a kind of promise takes from the day it is made to the day it is done: log-normal (most are done near
    /// the median, a few take much longer), in calendar days.
    /// </summary>
    private sealed record PastKind(CommitmentKind Kind, Department Department, double MedianDays, double Spread, string Wording)
    {
        /// <summary>The chance the work is done within <paramref name="days"/> days: done on day d counts as d (rounded).</summary>
        public double ChanceWithin(int days) => NormalCdf((Math.Log(days + 0.5) - Math.Log(MedianDays)) / Spread);

        public int Draw(Random random) => Math.Max(1, (int)Math.Round(MedianDays * Math.Exp(Spread * Gaussian(random))));

        /// <summary>The promised lead time of a rep who knows the history: <paramref name="z"/> standard deviations past the median.</summary>
        public int LeadAt(double z) => Math.Max(1, (int)Math.Round(MedianDays * Math.Exp(Spread * z)));
    }

    // Medians and spreads chosen so that the default lead times sit near the 80% point of each kind.
    private static readonly PastKind PastDelivery = new(CommitmentKind.Delivery, Department.Fulfilment, 12, 0.7, "Deliver the {0}, configured");
    private static readonly PastKind PastInstallation = new(CommitmentKind.Installation, Department.Service, 18, 0.6, "Install and commission the {0} on site");
    private static readonly PastKind PastTrainingBySales = new(CommitmentKind.Training, Department.Sales, 25, 0.45, "Train the customer's users on the {0}");
    private static readonly PastKind PastTrainingByService = new(CommitmentKind.Training, Department.Service, 25, 0.45, "Train the customer's administrators on the {0}");
    private static readonly PastKind PastSupport = new(CommitmentKind.Support, Department.Service, 6, 0.5, "Support desk for the {0} live, with a named contact");
    private static readonly PastKind PastOutcome = new(CommitmentKind.Outcome, Department.Product, 50, 0.35, "{1}");

    /// <summary>What a past deal bought: its promises, how often such deals were closed, products and the expected outcome.</summary>
    private sealed record PastBundle(PastKind[] Promises, int Weight, string[] Products, string Outcome);

    private static readonly PastBundle[] Bundles =
    [
        new([PastDelivery, PastInstallation, PastTrainingBySales], 4,
            ["dock door terminals", "shelf label displays", "sorting line controls", "forklift terminals", "barcode gates"],
            "Goods in and out booked at the door, with no paper slips left in the process."),
        new([PastInstallation, PastSupport, PastTrainingByService], 2,
            ["access control readers", "meeting room panels", "visitor desks", "smart lockers"],
            "Staff and visitors get in without waiting at the desk, and the customer's administrators run the system."),
        new([PastDelivery, PastInstallation, PastSupport], 3,
            ["conveyor extension", "cold room shelving", "packing tables", "charging lockers"],
            "The new line section running at full speed from its first week."),
        new([PastInstallation, PastOutcome, PastTrainingBySales], 3,
            ["energy meters", "air quality monitors", "machine counters", "water leak detectors"],
            "The result agreed at close measured on site and confirmed by the customer."),
        new([PastDelivery, PastSupport], 1,
            ["rugged tablets", "spare parts kit", "field laptops", "handheld radios"],
            "Every field engineer equipped before the season starts."),
        new([PastOutcome, PastTrainingBySales, PastSupport], 3,
            ["route planning service", "demand forecasting service", "shift planning service"],
            "The result agreed at close reached within the quarter, confirmed by the customer."),
    ];

    /// <summary>Customers of the past deals (besides the demo's own accounts, which take the recent ones).</summary>
    private static readonly (string Name, string Industry, string Contact)[] HistoryAccounts =
    [
        ("Blue Yonder Airlines", "Aviation", "Maya Lindgren"), ("Coho Winery", "Food processing", "Peter Novak"),
        ("Alpine Ski House", "Leisure", "Julia Berger"), ("Fourth Coffee", "Retail", "Sam Whitfield"),
        ("Trey Research", "Research", "Anika Roy"), ("Lucerne Publishing", "Media", "Marc Dubois"),
        ("Humongous Insurance", "Finance", "Lena Schmidt"), ("Southridge Video", "Media", "Tariq Aziz"),
        ("City Power & Light", "Energy", "Hugo Marin"), ("Consolidated Messenger", "Logistics", "Irene Costa"),
        ("Relecloud", "Technology", "Daniel Cho"), ("Bellows College", "Education", "Ruth Okoye"),
        ("Munson's Pickles", "Food processing", "Eva Horvath"), ("Margie's Travel", "Leisure", "Noah Fitzgerald"),
    ];

    private static readonly string[] Sites =
        ["Lyon", "Antwerp", "Leeds", "Porto", "Gdansk", "Bremen", "Turin", "Malmo", "Utrecht", "Brno", "Bilbao", "Graz", "Tampere", "Cork"];

    private static double NormalCdf(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));

    // Abramowitz and Stegun 7.1.26: within 1.5e-7, far finer than the percent the dialog shows.
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + 0.3275911 * x);
        var y = 1 - (((((1.061405429 * t) - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Who and what the history is written with.</summary>
    private sealed record HistoryCast(
        IReadOnlyList<AppUser> Reps, IReadOnlyDictionary<Guid, Account[]> RecentAccountsByTeam, AppUser Service, AppUser Fulfilment,
        IReadOnlyDictionary<CommitmentKind, MilestoneTemplate> Templates);

    private sealed partial class Story
    {
        /// <summary>
        /// Two years of past deals (closed 30 to 700 days ago, delivered and paid), their promises done through
        /// their milestone plans as the days went by: the history the promise forecast estimates from. Drawn from a fixed
        /// seed, so the demo is the same at every start (only its dates follow today). A promise's date was set as a rep
        /// who knows the history sets it, usually near the 80% point, sometimes aggressively with a reason; the chance it
        /// was given is what a well-calibrated forecast would have said.
        /// </summary>
        public void History(HistoryCast cast)
        {
            var random = new Random(16);
            var historyAccounts = HistoryAccounts.Select(a => Account(a.Name, a.Industry, createdDaysAgo: 730, (a.Contact, ContactRole.Buyer, false))).ToList();
            var totalWeight = Bundles.Sum(b => b.Weight);
            for (var n = 0; n < HistoryDeals; n++)
            {
                var pick = random.Next(totalWeight);
                var bundle = Bundles.First(b => (pick -= b.Weight) < 0);
                var owner = cast.Reps[random.Next(cast.Reps.Count)];
                var value = DealValue(random);
                var product = bundle.Products[random.Next(bundle.Products.Length)];
                var site = Sites[random.Next(Sites.Length)];

                // Each promise: how long it really took, and the lead time the rep promised.
                var promises = bundle.Promises.Select(kind =>
                {
                    var aggressive = random.NextDouble() < 0.15;
                    var z = aggressive ? -0.6 + random.NextDouble() : 0.52 + 0.76 * random.NextDouble(); // 27-66%, else 70-90%
                    var lead = kind.LeadAt(z);
                    // Unless pressed, a rep does not promise inside the standard lead time.
                    if (!aggressive)
                        lead = Math.Max(lead, leadTimes.EarliestComfortableDate(kind.Kind, today).DayNumber - today.DayNumber);
                    return (Kind: kind, Took: kind.Draw(random), Lead: lead, NeedAfter: 3 + random.Next(12));
                }).ToList();

                // Closed long enough ago that every promise is done, its date passed and the deal delivered, with the
                // touchpoints of all that behind it.
                var last = promises.Max(p => p.Took);
                var settled = promises.Max(p => Math.Max(p.Took, p.Lead)) + 8;
                var daysAgo = 30 + random.Next(671);
                if (daysAgo < settled)
                    daysAgo = settled + random.Next(Math.Max(1, 700 - settled));
                var payAfter = 10 + random.Next(19); // before the "payment cleared" check-in at 30 days

                // Deals whose dates reach into the dashboard's 90-day window go to the team's current customers: the
                // threshold alarm counts active accounts, and old customers must not water it down.
                var reachesWindow = daysAgo <= promises.Max(p => Math.Max(p.Took, p.Lead)) + 2 + payAfter + 90;
                var account = reachesWindow
                    ? cast.RecentAccountsByTeam[owner.TeamId!.Value][random.Next(cast.RecentAccountsByTeam[owner.TeamId!.Value].Length)]
                    : historyAccounts[random.Next(historyAccounts.Count)];

                var title = $"{char.ToUpperInvariant(product[0])}{product[1..]}, {site}";
                var deal = Deal(account, title, owner, value, bundle.Outcome, daysAgo);
                var closed = _closedOn[deal.Id];
                var made = promises.Select(p => (p.Kind, p.Took, Commitment: PastPromise(deal, p.Kind, string.Format(System.Globalization.CultureInfo.InvariantCulture, p.Kind.Wording, product, bundle.Outcome),
                    p.Kind.Department == Department.Fulfilment ? cast.Fulfilment : p.Kind.Department == Department.Service ? cast.Service : owner,
                    closed, p.Lead, p.NeedAfter))).ToList();
                AnswerChecklist(deal, all: true);
                deal.MarkOrdered($"PO-{account.Name[..3].ToUpperInvariant()}-{1000 + n}", deal.OwnerId, At(closed.AddDays(2)));
                foreach (var (kind, took, commitment) in made)
                {
                    var assignee = kind.Department == Department.Fulfilment ? cast.Fulfilment : cast.Service;
                    WorkThrough(commitment, cast.Templates[kind.Kind], assignee, closed, took, account.Contacts[0].Name, random);
                }

                var delivered = closed.AddDays(last + random.Next(3));
                deal.MarkDelivered(deal.OwnerId, At(delivered), delivered);
                var paid = delivered.AddDays(payAfter);
                if (paid < today)
                    deal.MarkPaid(paid, $"PAY-{70000 + n}", deal.OwnerId, At(paid), paid);
            }
        }

        /// <summary>Deal values across the bands the forecast groups by: most between 10,000 and 1 million, a few above.</summary>
        private static decimal DealValue(Random random)
        {
            var band = random.NextDouble();
            var (low, high) = band < 0.15 ? (3_000, 9_900) : band < 0.65 ? (10_000, 99_000) : band < 0.96 ? (100_000, 990_000) : (1_000_000, 2_400_000);
            return Math.Round((decimal)(low + random.NextDouble() * (high - low)) / 100m) * 100m;
        }

        /// <summary>A promise of ours made on the day the deal closed, with the chance a calibrated forecast gave its date.</summary>
        private Commitment PastPromise(Deal deal, PastKind kind, string description, AppUser owner, DateOnly madeOn, int lead, int needAfter)
        {
            var promised = madeOn.AddDays(lead);
            var chance = new ForecastChance(kind.ChanceWithin(lead), Domain.Forecasts.ForecastSettings.Defaults.MinimumProbability);
            var aggressive = chance.IsAggressive || leadTimes.IsAggressive(kind.Kind, promised, madeOn);
            var draft = new CommitmentDraft(CommitmentDirection.Ours, kind.Kind, description, owner.Id, kind.Department, promised, promised.AddDays(needAfter),
                AggressiveReason: aggressive ? "The customer's start date; the team confirmed the plan before we promised it." : null);
            return deal.AddCommitment(draft, leadTimes, deal.OwnerId, At(madeOn), madeOn, chance);
        }

        /// <summary>
        /// The kind's milestone plan, every step done as the work went: step k of n around k/n of the way (with some noise),
        /// the last on the day the promise was done, <paramref name="took"/> days after it was made.
        /// </summary>
        private void WorkThrough(Commitment commitment, MilestoneTemplate template, AppUser assignee, DateOnly madeOn, int took, string contact, Random random)
        {
            var steps = template.Steps;
            var milestones = steps.Select(step =>
            {
                var planned = commitment.PromisedDate.AddDays(step.OffsetDays);
                return commitment.AddMilestone(step.Title, assignee.Id, planned < madeOn ? madeOn : planned, step.IsCustomerAcceptance);
            }).ToList();
            var previous = 0;
            for (var k = 1; k <= milestones.Count; k++)
            {
                var day = k == milestones.Count ? took : (int)Math.Round(took * k / (double)milestones.Count * (0.75 + 0.5 * random.NextDouble()));
                previous = Math.Clamp(day, previous, took);
                var doneOn = madeOn.AddDays(previous);
                var milestone = milestones[k - 1];
                var change = new MilestoneChange(MilestoneStatus.Done, null, doneOn, Note: "Done.",
                    Acceptance: milestone.IsCustomerAcceptance ? new CustomerAcceptance(contact, doneOn, CommunicationChannel.Meeting) : null);
                commitment.UpdateMilestone(milestone.Id, change, assignee.Id, At(doneOn), doneOn);
            }
        }
    }
}
