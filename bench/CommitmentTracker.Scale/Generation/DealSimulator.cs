using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Scale.Generation;

/// <summary>
/// Simulates one deal's life from its close to today, the way the app's rules would have recorded it: stages and their
/// gates, promises of both sides with renegotiations and waivers, milestone plans from the kind's template worked by service
/// staff, touchpoints and the communication log, risk as stored by the last evaluation, recovery plans with their alerts, and
/// the audit trail. Every deal has its own random stream, so a deal is the same whatever the scale around it.
/// </summary>
internal sealed class DealSimulator
{
    /// <summary>How far back deals close: about three years.</summary>
    public const int HistoryDays = 1095;

    private const int StaleAfterDays = 5;
    private const decimal ScheduleShare = 0.75m;
    private const decimal CompensationBudget = 4_000m;

    private static readonly CommitmentKind[] Kinds = [CommitmentKind.Delivery, CommitmentKind.Installation, CommitmentKind.Training, CommitmentKind.Support, CommitmentKind.Outcome, CommitmentKind.Other];
    private static readonly double[] KindWeights = [28, 20, 18, 12, 10, 12];
    private static readonly int[] OursCounts = [2, 3, 4, 5, 6, 7, 8];
    private static readonly double[] OursWeights = [10, 14, 19, 20, 16, 11, 10];
    private static readonly int[] TheirsCounts = [0, 1, 2, 3, 4];
    private static readonly double[] TheirsWeights = [10, 33, 35, 16, 6];
    private static readonly LostReason[] LostReasons = [LostReason.WentToCompetitor, LostReason.NoBudget, LostReason.NoLongerNeeded, LostReason.CreditRefused, LostReason.Other];
    private static readonly double[] LostWeights = [40, 25, 20, 5, 10];
    private static readonly RootCause[] RootCauses = [RootCause.UnexpectedDeliveryProblem, RootCause.PoorCommunication, RootCause.BadTechnicalInformation, RootCause.CustomerSideDelay, RootCause.UnrealisticExpectations, RootCause.Other, RootCause.Dishonesty];
    private static readonly double[] RootCauseWeights = [30, 20, 15, 15, 12, 6, 2];
    private static readonly RecoveryOptionKind[] OptionKinds = [RecoveryOptionKind.AnotherSource, RecoveryOptionKind.LoanOrDemoUnit, RecoveryOptionKind.PartialDelivery, RecoveryOptionKind.Other];
    private static readonly CommunicationChannel[] Channels = [CommunicationChannel.Phone, CommunicationChannel.Email, CommunicationChannel.Meeting, CommunicationChannel.Message, CommunicationChannel.Letter];

    private readonly Organisation _org;
    private readonly ulong _seed;
    private readonly DateTimeOffset _now;
    private readonly DateOnly _today;
    private readonly IReadOnlyDictionary<CommitmentKind, MilestoneTemplate> _templates;

    public DealSimulator(Organisation org, ulong seed, DateTimeOffset now)
    {
        _org = org;
        _seed = seed;
        _now = now;
        _today = DateOnly.FromDateTime(now.UtcDateTime);
        _templates = MilestoneTemplate.Defaults.ToDictionary(t => t.Kind);
    }

    public DealRow Simulate(long index)
    {
        var r = Rng.For(_seed, 3, (ulong)index);
        var s = new State(this, r);
        return s.Run();
    }

    /// <summary>The simulation of one deal.</summary>
    private sealed class State(DealSimulator sim, Rng rng)
    {
        private readonly Rng r = rng;
        private readonly DateTimeOffset _now = sim._now;
        private readonly DateOnly _today = sim._today;
        private readonly Organisation _org = sim._org;
        private DealRow _deal = null!;
        private AccountRow _account = null!;
        private TeamInfo _team = null!;
        private string _contact = "";

        // The deal's story: null when it did not happen (yet).
        private DateOnly? _orderedDay;
        private DateOnly? _deliveredDay;
        private DateOnly? _paidDay;
        private DateOnly? _lostDay;
        private LostReason _lostReason;
        private string? _lostNote;
        private DateTimeOffset? _orderedAt, _deliveredAt, _paidAt, _lostAt;

        private readonly List<Promise> _promises = [];

        public DealRow Run()
        {
            _account = _org.Accounts[r.Next(_org.Accounts.Length)];
            _team = _org.Teams[_account.Team];
            _contact = _account.Contacts[0].Name;
            var owner = r.Chance(0.75) ? _account.PrimaryRepId : r.Pick(_team.RepIds);
            // Half the deals spread evenly over three years, half more recent (a growing company).
            var age = r.Chance(0.5) ? r.Next(HistoryDays + 1) : (int)(HistoryDays * (1 - Math.Sqrt(r.NextDouble())));
            var closeDay = _today.AddDays(-age);
            var value = Math.Round((decimal)Math.Exp(r.Between(Math.Log(8_000), Math.Log(400_000))), 0);
            _deal = new DealRow
            {
                Id = r.NextGuid(),
                AccountId = _account.Id,
                Title = $"{r.Pick(Words.Products)} {r.Pick(Words.Projects)}",
                OwnerId = owner,
                ExpectedOutcome = r.Pick(Words.Outcomes),
                CloseDate = closeDay,
                ChecklistTemplateId = _org.Checklist.Id,
                ChecklistVersion = _org.Checklist.Version,
                CreatedAt = At(closeDay),
                Value = value,
                Currency = r.Weighted([80, 15, 5]) switch { 0 => "EUR", 1 => "USD", _ => "GBP" },
            };

            PlanTimeline(closeDay);
            CreatePromises(closeDay);
            SettleStages();
            foreach (var p in _promises)
                p.Settle();
            var overdueTheirs = _promises.Where(p => p.Row.Direction == CommitmentDirection.Theirs && p.Row.Status == CommitmentStatus.Broken)
                .OrderBy(p => p.Row.PromisedDate).ToList();
            foreach (var p in _promises.Where(p => p.Row.Direction == CommitmentDirection.Ours))
                p.Work(overdueTheirs);
            foreach (var p in _promises.Where(p => p.Row.Direction == CommitmentDirection.Ours))
                p.Recover();
            WriteStages();
            WriteChecklist();
            WriteTouchpoints();
            WriteConversations();
            foreach (var p in _promises)
                p.Audit();
            return _deal;
        }

        // ---------- the deal ----------

        private void PlanTimeline(DateOnly closeDay)
        {
            var verbalDays = r.Weighted([70, 25, 5]) switch { 0 => r.Between(2, 14), 1 => r.Between(15, 40), _ => r.Between(41, 120) };
            _orderedDay = closeDay.AddDays(verbalDays);
            if (r.Chance(0.10))
            {
                _lostDay = closeDay.AddDays(r.Between(1, verbalDays + 45));
                _lostReason = LostReasons[r.Weighted(LostWeights)];
                _lostNote = _lostReason == LostReason.Other ? "The project was cancelled by the customer's board." : r.Chance(0.5) ? "Chose a bundle with their existing supplier." : null;
            }
        }

        private void CreatePromises(DateOnly closeDay)
        {
            var ours = OursCounts[r.Weighted(OursWeights)];
            var theirs = TheirsCounts[r.Weighted(TheirsWeights)];
            for (var i = 0; i < ours + theirs; i++)
            {
                var direction = i < ours ? CommitmentDirection.Ours : CommitmentDirection.Theirs;
                var created = i == 0 || r.Chance(0.85) ? closeDay : closeDay.AddDays(r.Between(3, 45));
                if (created > _today || (_lostDay is { } lost && created >= lost))
                    created = closeDay;
                _promises.Add(new Promise(this, direction, created));
            }
        }

        /// <summary>Ordered, delivered, paid or lost, from what the promises did.</summary>
        private void SettleStages()
        {
            if (_orderedDay > _today)
                _orderedDay = null;
            // A promise we could never deliver ends the deal: the customer leaves ("we could not deliver").
            var stuck = _promises.Where(p => p.Row.Direction == CommitmentDirection.Ours && p.Fate == Fate.Stuck && p.Row.PromisedDate < _today.AddDays(-90))
                .Select(p => p.Row.PromisedDate).DefaultIfEmpty().Min();
            if (stuck != default && (_lostDay is null || stuck < _lostDay))
            {
                _lostDay = stuck.AddDays(r.Between(10, 60));
                _lostReason = LostReason.WeCouldNotDeliver;
                _lostNote = "We could not deliver in time; the customer went elsewhere.";
            }
            var ours = _promises.Where(p => p.Row.Direction == CommitmentDirection.Ours).ToList();
            DateOnly? delivered = null;
            if (_orderedDay is { } ordered && ours.All(p => p.FinishDay is not null))
            {
                var day = Max(ours.Max(p => p.FinishDay!.Value).AddDays(r.Between(0, 6)), ordered.AddDays(1));
                if (day <= _today)
                    delivered = day;
            }
            if (_lostDay is { } lost && lost <= _today && (delivered is null || lost < delivered))
            {
                if (_orderedDay >= lost)
                    _orderedDay = null;
                _lostAt = At(lost);
                delivered = null;
            }
            else
            {
                _lostDay = null;
            }
            _deliveredDay = delivered;
            if (delivered is { } d && d.AddDays(r.Between(10, 60)) is var paid && paid <= _today)
                _paidDay = paid;
            _orderedAt = _orderedDay is { } o ? Later(At(o), _deal.CreatedAt) : null;
            _deliveredAt = _deliveredDay is { } dd ? Later(At(dd), _orderedAt!.Value) : null;
            _paidAt = _paidDay is { } pd ? Later(At(pd), _deliveredAt!.Value) : null;
        }

        private void WriteStages()
        {
            var d = _deal;
            Stage(null, DealStage.Verbal, d.CreatedAt);
            var stage = DealStage.Verbal;
            if (_orderedAt is { } ordered)
            {
                d.PurchaseOrderReference = $"PO-{r.Between(10000, 99999)}";
                Stage(stage, DealStage.Ordered, ordered);
                stage = DealStage.Ordered;
            }
            if (_deliveredAt is { } delivered)
            {
                Stage(stage, DealStage.Delivered, delivered);
                stage = DealStage.Delivered;
            }
            if (_paidAt is { } paid)
            {
                d.PaymentDate = _paidDay;
                d.PaymentReference = $"PAY-{r.Between(10000, 99999)}";
                Stage(stage, DealStage.Paid, paid);
                stage = DealStage.Paid;
            }
            if (_lostAt is { } lost)
            {
                d.LostReason = _lostReason;
                d.LostNote = _lostNote;
                Stage(stage, DealStage.Lost, Later(lost, d.StageChanges[^1].At));
                stage = DealStage.Lost;
            }
            d.Stage = stage;
            d.StageEnteredAt = d.StageChanges[^1].At;
        }

        private void Stage(DealStage? from, DealStage to, DateTimeOffset at)
        {
            _deal.StageChanges.Add(new StageChangeRow { Id = r.NextGuid(), DealId = _deal.Id, From = from, To = to, ByUserId = _deal.OwnerId, At = at });
            if (from is not null)
                Audit("Deal", _deal.Id, "Modified", "Stage", from.ToString(), to.ToString(), _deal.OwnerId, at);
            else
                Audit("Deal", _deal.Id, "Added", null, null, _deal.Title, _deal.OwnerId, at);
        }

        /// <summary>The checklist pinned at close; answered before the order (the gate), partly while still verbal; a technical review for some.</summary>
        private void WriteChecklist()
        {
            var d = _deal;
            var endOfVerbal = _orderedAt ?? _lostAt ?? _now;
            var passedGate = _orderedAt is not null;
            TechnicalReviewRow? review = null;
            if (r.Chance(0.45))
            {
                var requested = Earlier(d.CreatedAt.AddHours(r.Between(1, 30)), endOfVerbal);
                review = new TechnicalReviewRow
                {
                    Id = r.NextGuid(), DealId = d.Id, Request = $"Please review: {d.Title.ToLowerInvariant()} for {_account.Name}.",
                    RequestedBy = d.OwnerId, RequestedAt = requested,
                };
                var decided = requested.AddHours(r.Between(2, 72));
                if (decided <= endOfVerbal || passedGate)
                {
                    review.DecidedAt = Earlier(decided, _now);
                    review.ReviewerId = r.Pick(_org.Staff[Department.Service]);
                    review.Outcome = r.Chance(0.88) ? TechnicalReviewOutcome.Approved : TechnicalReviewOutcome.ConcernsRaised;
                    review.Comment = r.Chance(0.6) ? r.Pick(Words.Comments) : null;
                }
                d.TechnicalReviews.Add(review);
            }
            var answeredAll = true;
            DateTimeOffset lastAnswer = d.CreatedAt;
            foreach (var (position, title, guidance, required) in _org.Checklist.Items)
            {
                var item = new ChecklistItemRow { Id = r.NextGuid(), DealId = d.Id, Position = position, Title = title, Guidance = guidance, Required = required };
                d.Checklist.Add(item);
                var answer = passedGate ? (required || r.Chance(0.5)) : r.Chance(required ? 0.6 : 0.3);
                if (!answer)
                {
                    answeredAll &= !required;
                    continue;
                }
                if (title == Deal.TechnicalReviewItemTitle && review is { Outcome: TechnicalReviewOutcome.Approved, DecidedAt: { } decidedAt })
                {
                    item.Answer = $"Approved by service on {decidedAt:yyyy-MM-dd}{(review.Comment is null ? "" : $": {review.Comment}")}";
                    item.AnsweredBy = review.ReviewerId;
                    item.AnsweredAt = decidedAt;
                }
                else
                {
                    item.Answer = $"Agreed with the customer: {guidance.ToLowerInvariant()}";
                    item.AnsweredBy = d.OwnerId;
                    item.AnsweredAt = Between(d.CreatedAt, endOfVerbal);
                }
                lastAnswer = Later(lastAnswer, item.AnsweredAt!.Value);
            }
            if (answeredAll && r.Chance(passedGate ? 0.85 : 0.3))
            {
                d.AckContact = _contact;
                d.AckAt = Earlier(lastAnswer.AddHours(r.Between(1, 48)), Later(endOfVerbal, lastAnswer));
                d.AckChannel = r.Chance(0.6) ? CommunicationChannel.Email : CommunicationChannel.Meeting;
            }
            foreach (var risk in _org.Risks)
            {
                if (r.Chance(0.3))
                {
                    d.SharedRisks.Add(new SharedRiskRow
                    {
                        Id = r.NextGuid(), DealId = d.Id, RiskLibraryEntryId = risk.Id, Title = risk.Title, Response = risk.Response,
                        SharedBy = d.OwnerId, SharedAt = Between(d.CreatedAt, endOfVerbal),
                    });
                }
            }
        }

        /// <summary>The post-sale plan: generated at close and per promise, mostly done on time by a diligent team.</summary>
        private void WriteTouchpoints()
        {
            var close = _deal.CloseDate;
            Touchpoint(TouchpointKind.ConfirmDecisionComfort, close.AddDays(2), null, _lostAt);
            Touchpoint(TouchpointKind.WalkThroughRoadToDelivery, close.AddDays(5), null, _lostAt);
            Touchpoint(TouchpointKind.ChasePurchaseOrder, close.AddDays(7), null, Min(_orderedAt, _lostAt));
            foreach (var p in _promises.Where(p => p.Row.Direction == CommitmentDirection.Ours))
                Touchpoint(TouchpointKind.CheckInBeforePromisedDate, p.CheckInDay, p.Row.Id, Min(p.Row.WaivedAt, _lostAt));
            if (_deliveredDay is { } delivered)
            {
                Touchpoint(TouchpointKind.ConfirmSatisfaction, delivered.AddDays(2), null, _lostAt);
                Touchpoint(TouchpointKind.ConfirmPaymentCleared, delivered.AddDays(30), null, _paidAt);
            }
        }

        private void Touchpoint(TouchpointKind kind, DateOnly due, Guid? commitmentId, DateTimeOffset? cancelledAt)
        {
            var t = new TouchpointRow { Id = r.NextGuid(), DealId = _deal.Id, Kind = kind, DueOn = due, CommitmentId = commitmentId };
            _deal.Touchpoints.Add(t);
            var age = _today.DayNumber - due.DayNumber;
            var diligence = age > 14 ? 0.95 : age > 2 ? 0.75 : 0.3;
            var doneAt = At(due.AddDays(r.Chance(0.8) ? 0 : r.Between(1, 3)));
            if (doneAt < _now && (cancelledAt is null || doneAt < cancelledAt) && doneAt > _deal.CreatedAt && r.Chance(diligence))
            {
                var entry = Log(commitmentId, CommunicationChannel.Phone, CommunicationDirection.ToCustomer, _contact,
                    $"{Domain.Deals.Touchpoint.TitleOf(kind)}: went through it with {_contact}; no concerns raised.", doneAt);
                t.CompletedAt = doneAt;
                t.CompletedBy = _deal.OwnerId;
                t.CommunicationEntryId = entry.Id;
            }
            else if (cancelledAt is not null)
            {
                t.IsCancelled = true;
            }
        }

        private void WriteConversations()
        {
            var end = Earlier((_paidAt ?? _lostAt ?? _now).AddDays(30), _now);
            var count = r.Between(0, 3);
            for (var i = 0; i < count; i++)
            {
                var direction = r.Weighted([45, 35, 20]) switch { 0 => CommunicationDirection.ToCustomer, 1 => CommunicationDirection.FromCustomer, _ => CommunicationDirection.Internal };
                var entry = Log(null, r.Pick(Channels), direction, direction == CommunicationDirection.Internal ? _org.NameOf[_team.ManagerId] : _contact,
                    r.Pick(Words.Conversations), Between(_deal.CreatedAt, end));
                if (r.Chance(0.01))
                {
                    var correction = Log(null, entry.Channel, entry.Direction, entry.People, $"Correction: {entry.Summary.ToLowerInvariant()} (date was wrong)", Earlier(entry.LoggedAt.AddHours(2), _now));
                    correction.CorrectsEntryId = entry.Id;
                }
            }
        }

        private CommunicationRow Log(Guid? commitmentId, CommunicationChannel channel, CommunicationDirection direction, string people, string summary, DateTimeOffset at)
        {
            var entry = new CommunicationRow
            {
                Id = r.NextGuid(), DealId = _deal.Id, CommitmentId = commitmentId, Channel = channel, Direction = direction, People = people,
                Summary = summary, OccurredAt = at, LoggedBy = _deal.OwnerId, LoggedAt = at,
            };
            _deal.Communications.Add(entry);
            return entry;
        }

        private void Audit(string type, Guid entityId, string action, string? field, string? oldValue, string? newValue, string by, DateTimeOffset at) =>
            _deal.Audit.Add(new AuditRow
            {
                DealId = _deal.Id, EntityType = type, EntityId = entityId, Action = action, Field = field,
                OldValue = oldValue is { Length: > 1000 } ? oldValue[..1000] : oldValue,
                NewValue = newValue is { Length: > 1000 } ? newValue[..1000] : newValue,
                ChangedBy = by, ChangedAt = at,
            });

        // ---------- time ----------

        /// <summary>A moment in the working day of <paramref name="day"/>, never after now.</summary>
        private DateTimeOffset At(DateOnly day) => Earlier(new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero).AddMinutes(r.Next(600)), _now);

        /// <summary>Just after midnight of <paramref name="day"/>: when the periodic sweep sees what time alone changed.</summary>
        private DateTimeOffset Sweep(DateOnly day) => Earlier(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(r.Between(1, 50)), _now);

        private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
            to <= from ? from : Earlier(from.AddSeconds(r.NextDouble() * (to - from).TotalSeconds), _now);

        private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

        private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

        private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : Earlier(a.Value, b.Value);

        private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

        private static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

        // ---------- a promise ----------

        /// <summary>What happens to a promise if nothing else intervenes (the deal being lost, today arriving first).</summary>
        private enum Fate { Kept, KeptLate, Waived, Stuck }

        private sealed class Promise
        {
            private readonly State _s;
            private readonly Rng r;
            private readonly DateOnly _planDay;
            private readonly DateOnly? _finish;
            private DateOnly _checkIn;
            private readonly List<DateTimeOffset> _reasonTimes = [];

            public Promise(State s, CommitmentDirection direction, DateOnly created)
            {
                _s = s;
                r = s.r;
                var deal = s._deal;
                var ours = direction == CommitmentDirection.Ours;
                var kind = ours ? Kinds[r.Weighted(KindWeights)] : CommitmentKind.Other;
                var department = ours ? DepartmentOf(kind, r) : Department.Customer;
                var createdAt = created == deal.CloseDate ? Earlier(deal.CreatedAt.AddMinutes(r.Between(1, 40)), s._now) : s.At(created);
                createdAt = Later(createdAt, deal.CreatedAt);
                Row = new CommitmentRow
                {
                    Id = r.NextGuid(),
                    DealId = deal.Id,
                    Direction = direction,
                    Kind = kind,
                    Description = ours ? Words.Promise(kind, r) : r.Pick(Words.CustomerPromises),
                    OwnerId = !ours || department == Department.Sales || r.Chance(0.35) ? deal.OwnerId : r.Pick(s._org.Staff[department]),
                    Department = department,
                    IsLateAddition = s._orderedDay is { } ordered && ordered <= s._today && created > ordered,
                    CreatedAt = createdAt,
                    CreatedBy = deal.OwnerId,
                    AggressiveApproval = AggressiveApproval.NotNeeded,
                };
                var lead = LeadTimes.Defaults.For(kind);
                DateOnly promised;
                if (!ours)
                    promised = created.AddDays(r.Between(3, 40));
                else if (r.Chance(0.08))
                {
                    promised = created.AddDays(Math.Max(1, (int)(lead * r.Between(0.3, 0.9))));
                    Row.IsAggressive = true;
                }
                else
                    promised = created.AddDays(lead + (r.Chance(0.85) ? r.Between(0, 75) : r.Between(76, 160)));
                Row.OriginalPromisedDate = promised;
                if (r.Chance(ours ? 0.8 : 0.6))
                    Row.NeedDate = Max(promised.AddDays(r.Chance(0.1) ? -r.Between(1, 5) : r.Between(0, 21)), created);
                if (!ours || r.Chance(0.6))
                {
                    Row.AckContact = r.Pick(s._account.Contacts).Name;
                    Row.AckAt = Earlier(createdAt.AddHours(r.Between(0, 72)), s._now);
                    Row.AckChannel = r.Chance(0.5) ? CommunicationChannel.Meeting : CommunicationChannel.Email;
                }
                _planDay = created;
                _checkIn = Max(promised.AddDays(-3), created);

                // Renegotiations: agreed with the customer before the old date passed.
                if (r.Chance(ours ? 0.09 : 0.04))
                {
                    var times = r.Chance(0.8) ? 1 : 2;
                    for (var i = 0; i < times; i++)
                    {
                        var agreedDay = Max(promised.AddDays(-r.Between(1, 10)), created.AddDays(1));
                        if (agreedDay >= promised || agreedDay > s._today)
                            break;
                        var agreedAt = s.At(agreedDay);
                        var newDate = promised.AddDays(r.Between(5, 30));
                        Row.DateChanges.Add(new DateChangeRow
                        {
                            Id = r.NextGuid(), CommitmentId = Row.Id, OldDate = promised, NewDate = newDate, AgreedWith = r.Pick(s._account.Contacts).Name,
                            AgreedAt = agreedAt, Reason = r.Pick(Words.RenegotiationReasons), ByUserId = deal.OwnerId, At = agreedAt,
                        });
                        _checkIn = Max(newDate.AddDays(-3), agreedDay);
                        promised = newDate;
                    }
                }
                Row.PromisedDate = promised;
                deal.Commitments.Add(Row);

                Fate = ours
                    ? (Fate)r.Weighted([78, 15, 4, 1.5])
                    : (Fate)r.Weighted([80, 15, 5, 0]);
                _finish = Fate switch
                {
                    Fate.Kept => Max(promised.AddDays(-r.Between(0, Math.Min(10, promised.DayNumber - created.DayNumber))), created),
                    Fate.KeptLate => promised.AddDays(r.Chance(0.7) ? r.Between(1, 7) : r.Between(8, ours ? 30 : 15)),
                    Fate.Waived => created.AddDays(r.Between(1, Math.Max(1, promised.DayNumber - created.DayNumber))),
                    _ => null,
                };
            }

            public CommitmentRow Row { get; }

            public Fate Fate { get; }

            public DateOnly CheckInDay => _checkIn;

            /// <summary>When the promise is finished (kept or waived), if that happens by today.</summary>
            public DateOnly? FinishDay => _finish is { } f && f < _s._today ? f : null;

            private DateOnly Today => _s._today;

            /// <summary>Its status today: finished, waived with the lost deal, open or broken.</summary>
            public void Settle()
            {
                var lost = _s._lostDay;
                if (FinishDay is { } finish && (lost is null || finish < lost))
                {
                    if (Fate == Fate.Waived)
                        Waive(_s.At(finish), r.Pick(Words.WaiveReasons), r.Chance(0.7) ? _s._deal.OwnerId : _s._team.ManagerId);
                    else
                        Row.CompletedOn = finish;
                }
                else if (lost is not null)
                {
                    var reason = $"The deal was lost ({_s._lostReason}){(_s._lostNote is null ? "" : $": {_s._lostNote}")}";
                    Waive(Later(_s._lostAt!.Value, Row.CreatedAt), reason, _s._deal.OwnerId);
                }
                Row.Status = Row.WaivedAt is not null ? CommitmentStatus.Waived
                    : Row.CompletedOn is { } done ? (done <= Row.PromisedDate ? CommitmentStatus.Kept : CommitmentStatus.KeptLate)
                    : Today > Row.PromisedDate ? CommitmentStatus.Broken : CommitmentStatus.Open;

                if (Row.IsAggressive)
                {
                    var choice = Row.IsOpen && r.Chance(0.3) ? 3 : r.Weighted([45, 40, 15]);
                    Row.AggressiveApproval = choice switch { 0 => AggressiveApproval.ReasonGiven, 1 => AggressiveApproval.Approved, 2 => AggressiveApproval.Rejected, _ => AggressiveApproval.Pending };
                    if (choice is 0)
                        Row.AggressiveReason = "The customer's line stops otherwise; supplier confirmed stock.";
                    if (choice is 1 or 2)
                    {
                        Row.AggressiveDecidedBy = _s._team.ManagerId;
                        Row.AggressiveDecidedAt = Earlier(Row.CreatedAt.AddHours(r.Between(1, 48)), _s._now);
                        if (choice == 2)
                            Row.AggressiveReason = "Not feasible before the standard lead time; agree a later date.";
                    }
                }
                if (Row.Direction == CommitmentDirection.Theirs || !Row.IsOpen)
                {
                    Row.RiskLevel = RiskLevel.OnTrack;
                    Row.RiskSince = Row.Status is CommitmentStatus.KeptLate && Row.CompletedOn is { } c ? Later(_s.At(c), Row.CreatedAt)
                        : Row.WaivedAt ?? Row.CreatedAt;
                    Row.RiskEvaluatedAt = Row.RiskSince;
                }
            }

            private void Waive(DateTimeOffset at, string reason, string by)
            {
                Row.WaivedAt = at;
                Row.WaivedReason = reason;
                Row.WaivedBy = by;
            }

            // ---------- milestones ----------

            /// <summary>The milestone plan from the kind's template, worked as far as today and the promise's fate allow; then its risk.</summary>
            public void Work(IReadOnlyList<Promise> overdueTheirs)
            {
                var template = _s._templatesOf(Row.Kind);
                var steps = template.Steps.Select(st => (st.Title, st.OffsetDays, st.IsCustomerAcceptance)).ToList();
                // Some plans get a step of their own: about three milestones per promise overall.
                if (r.Chance(0.45))
                    steps.Insert(steps.Count - 1, ("Internal quality check", steps[^1].OffsetDays, false));
                var assignee = r.Chance(0.88) ? r.Pick(_s._org.Staff[AssigneeDepartment(Row.Department)]) : null;
                var worker = assignee ?? r.Pick(_s._org.Staff[AssigneeDepartment(Row.Department)]);
                var previous = _planDay;
                foreach (var (title, offset, acceptance) in steps)
                {
                    // Planned from the current promised date: a renegotiated promise was re-planned with it.
                    var planned = Max(Max(Row.PromisedDate.AddDays(offset), _planDay), previous);
                    previous = planned;
                    Row.Milestones.Add(new MilestoneRow
                    {
                        Id = r.NextGuid(), CommitmentId = Row.Id, Position = Row.Milestones.Count + 1, Title = title, AssigneeId = assignee,
                        PlannedDate = planned, IsCustomerAcceptance = acceptance, Status = MilestoneStatus.NotStarted,
                    });
                }
                Audit("Added", null, null, Row.Description, Row.CreatedBy, Row.CreatedAt);

                switch (Row.Status)
                {
                    case CommitmentStatus.Kept or CommitmentStatus.KeptLate:
                        Complete(worker, Row.CompletedOn!.Value);
                        break;
                    case CommitmentStatus.Waived:
                        WorkUntil(worker, DayOf(Row.WaivedAt!.Value));
                        // As Commitment.Waive does: the unfinished milestones are skipped, with the reason in their history.
                        foreach (var m in Row.Milestones.Where(m => !m.IsFinished))
                        {
                            Update(m, Row.WaivedBy!, Row.WaivedAt!.Value, MilestoneStatus.Skipped, m.ForecastDate, "The promise was waived.");
                            m.StatusReason = "The promise was waived.";
                        }
                        break;
                    case CommitmentStatus.Broken:
                        Late(worker, overdueTheirs);
                        break;
                    default:
                        Open(worker, overdueTheirs);
                        break;
                }
            }

            private void Complete(string worker, DateOnly completed)
            {
                var lateness = completed.DayNumber - Row.PromisedDate.DayNumber;
                var previous = _planDay;
                var last = Row.Milestones[^1];
                foreach (var m in Row.Milestones)
                {
                    var day = m == last ? completed : Clamp(m.PlannedDate.AddDays(lateness + r.Between(-2, 1)), previous, completed);
                    if (!m.IsCustomerAcceptance && m != last && r.Chance(0.03))
                    {
                        Update(m, worker, _s.At(day), MilestoneStatus.Skipped, null, "Not needed: agreed with the customer.");
                        m.StatusReason = "Not needed: agreed with the customer.";
                    }
                    else
                    {
                        Finish(m, worker, day, slipped: lateness > 0);
                    }
                    previous = day;
                }
                if (last.IsCustomerAcceptance)
                {
                    Row.AcceptanceBy = last.AcceptanceBy;
                    Row.AcceptanceOn = last.AcceptanceOn;
                    Row.AcceptanceChannel = last.AcceptanceChannel;
                }
            }

            /// <summary>Milestones planned before <paramref name="until"/> are done on time; the rest wait.</summary>
            private void WorkUntil(string worker, DateOnly until)
            {
                var previous = _planDay;
                foreach (var m in Row.Milestones.Where(m => m.PlannedDate < until))
                {
                    var day = Clamp(m.PlannedDate.AddDays(-r.Between(0, 2)), previous, until.AddDays(-1));
                    if (day < previous)
                        break;
                    Finish(m, worker, day, slipped: false);
                    previous = day;
                }
            }

            private void Finish(MilestoneRow m, string worker, DateOnly day, bool slipped)
            {
                var doneAt = _s.At(day);
                if (r.Chance(0.55))
                {
                    var started = Max(day.AddDays(-r.Between(1, 5)), _planDay);
                    Update(m, worker, _s.At(started), MilestoneStatus.InProgress, null, "Work started.");
                    if (slipped && r.Chance(0.35))
                        Update(m, worker, _s.At(Max(started, day.AddDays(-r.Between(0, 3)))), MilestoneStatus.InProgress, day, "New forecast after a supplier delay.");
                }
                Update(m, worker, doneAt, MilestoneStatus.Done, null, "Done.");
                m.CompletedOn = day;
                if (m.IsCustomerAcceptance)
                {
                    m.AcceptanceBy = r.Pick(_s._account.Contacts).Name;
                    m.AcceptanceOn = day;
                    m.AcceptanceChannel = r.Chance(0.6) ? CommunicationChannel.Meeting : CommunicationChannel.Email;
                }
            }

            private void Update(MilestoneRow m, string by, DateTimeOffset at, MilestoneStatus status, DateOnly? forecast, string? note)
            {
                if (m.LastUpdatedAt is { } last && at <= last)
                    at = last.AddMinutes(r.Between(1, 30));
                at = Later(at, Row.CreatedAt.AddMinutes(1));
                m.Updates.Add(new MilestoneUpdateRow
                {
                    Id = r.NextGuid(), MilestoneId = m.Id, ByUserId = by, At = at, OldStatus = m.Status, NewStatus = status,
                    OldForecast = m.ForecastDate, NewForecast = forecast, Note = note,
                });
                m.Status = status;
                m.ForecastDate = forecast;
                m.LastUpdatedAt = at;
                m.LastUpdatedBy = by;
            }

            /// <summary>Past the promised date and not done: late, mostly with a forecast past the promise or a blocker.</summary>
            private void Late(string worker, IReadOnlyList<Promise> overdueTheirs)
            {
                var promised = Row.PromisedDate;
                WorkUntil(worker, Row.Milestones[^1].PlannedDate);
                var next = Row.Milestones.FirstOrDefault(m => !m.IsFinished) ?? Row.Milestones[^1];
                var reasons = new List<RiskReason> { RiskText.Late(promised, Today) };
                var times = new List<DateTimeOffset> { _s.Sweep(promised.AddDays(1)) };
                switch (r.Weighted([70, 15, 15]))
                {
                    case 0:
                        var forecast = Today.AddDays(r.Between(1, 20));
                        var at = _s.At(Max(Today.AddDays(-r.Between(0, 4)), promised.AddDays(1)));
                        Update(next, worker, at, MilestoneStatus.InProgress, forecast, "New date from the supplier.");
                        reasons.Add(RiskText.ForecastPastPromise(next.Title, forecast, promised, SinceAfterRenegotiation(DayOf(next.LastUpdatedAt!.Value))));
                        times.Add(next.LastUpdatedAt!.Value);
                        break;
                    case 1:
                        var why = r.Pick(Words.BlockedReasons);
                        Update(next, worker, _s.At(Max(Today.AddDays(-r.Between(1, 10)), _planDay)), MilestoneStatus.Blocked, null, why);
                        next.StatusReason = why;
                        reasons.Add(RiskText.Blocked(next.Title, why, DayOf(next.LastUpdatedAt!.Value)));
                        times.Add(next.LastUpdatedAt!.Value);
                        break;
                    default:
                        Update(next, worker, _s.At(Max(Today.AddDays(-r.Between(0, 4)), _planDay)), MilestoneStatus.InProgress, null, "Still working on it.");
                        break;
                }
                AddCustomerOverdue(reasons, times, overdueTheirs);
                StoreRisk(reasons, times);
            }

            /// <summary>Open with its date ahead: mostly on track, a few watched or at risk, as the brief's spread asks.</summary>
            private void Open(string worker, IReadOnlyList<Promise> overdueTheirs)
            {
                var promised = Row.PromisedDate;
                WorkUntil(worker, Today);
                var unfinished = Row.Milestones.Where(m => !m.IsFinished).ToList();
                var next = unfinished.FirstOrDefault();
                var reasons = new List<RiskReason>();
                var times = new List<DateTimeOffset>();
                if (next is not null && next.PlannedDate.DayNumber - Today.DayNumber <= 7 && r.Chance(0.6))
                    Update(next, worker, _s.At(Max(Today.AddDays(-r.Between(0, 3)), _planDay)), MilestoneStatus.InProgress, null, "Work started.");

                var target = r.Weighted([88, 8, 4]);
                if (target == 1 && next is not null)
                {
                    var done = Row.Milestones.LastOrDefault(m => m.IsFinished && m.PlannedDate < Today);
                    switch (r.Weighted([40, 35, 25]))
                    {
                        case 0:
                            var last = unfinished[^1];
                            var forecast = Max(promised.AddDays(-r.Between(0, 3)), Today);
                            Update(last, worker, _s.At(Max(Today.AddDays(-r.Between(0, 3)), _planDay)), last.Status, forecast, "Forecast confirmed with the supplier.");
                            reasons.Add(RiskText.ForecastNearPromise(last.Title, forecast, promised, SinceAfterRenegotiation(DayOf(last.LastUpdatedAt!.Value))));
                            times.Add(last.LastUpdatedAt!.Value);
                            break;
                        case 1 when done is not null:
                            Reopen(done, worker);
                            reasons.Add(RiskText.BehindPlan(done.Title, done.PlannedDate, promised, Today));
                            times.Add(_s.Sweep(done.PlannedDate.AddDays(1)));
                            break;
                        default:
                            var started = Today.AddDays(-r.Between(StaleAfterDays, 20));
                            if (started < _planDay)
                                break;
                            next.Updates.Clear();
                            next.Status = MilestoneStatus.NotStarted;
                            next.LastUpdatedAt = null;
                            Update(next, worker, _s.At(started), MilestoneStatus.InProgress, null, "Work started.");
                            var lastDay = DayOf(next.LastUpdatedAt!.Value);
                            reasons.Add(RiskText.Stale(next.Title, lastDay, Today, StaleAfterDays));
                            times.Add(_s.Sweep(lastDay.AddDays(StaleAfterDays)));
                            break;
                    }
                }
                else if (target == 2 && next is not null)
                {
                    if (r.Chance(0.6))
                    {
                        var forecast = promised.AddDays(r.Between(1, 14));
                        Update(next, worker, _s.At(Max(Today.AddDays(-r.Between(0, 4)), _planDay)), MilestoneStatus.InProgress, forecast, "Supplier moved the ship date.");
                        reasons.Add(RiskText.ForecastPastPromise(next.Title, forecast, promised, SinceAfterRenegotiation(DayOf(next.LastUpdatedAt!.Value))));
                    }
                    else
                    {
                        var why = r.Pick(Words.BlockedReasons);
                        Update(next, worker, _s.At(Max(Today.AddDays(-r.Between(0, 10)), _planDay)), MilestoneStatus.Blocked, null, why);
                        next.StatusReason = why;
                        reasons.Add(RiskText.Blocked(next.Title, why, DayOf(next.LastUpdatedAt!.Value)));
                    }
                    times.Add(next.LastUpdatedAt!.Value);
                }
                AddCustomerOverdue(reasons, times, overdueTheirs);
                StoreRisk(reasons, times);
            }

            /// <summary>A milestone done on plan turns out not to be: still in progress, behind its plan (updated recently, not stale).</summary>
            private void Reopen(MilestoneRow m, string worker)
            {
                m.Updates.Clear();
                m.Status = MilestoneStatus.NotStarted;
                m.CompletedOn = null;
                m.AcceptanceBy = null;
                m.AcceptanceOn = null;
                m.AcceptanceChannel = null;
                m.LastUpdatedAt = null;
                m.LastUpdatedBy = null;
                Update(m, worker, _s.At(Max(m.PlannedDate.AddDays(-r.Between(1, 4)), _planDay)), MilestoneStatus.InProgress, null, "Work started.");
                Update(m, worker, _s.At(Max(Today.AddDays(-r.Between(0, 3)), _planDay)), MilestoneStatus.InProgress, null, "Waiting for parts; still on course.");
            }

            private void AddCustomerOverdue(List<RiskReason> reasons, List<DateTimeOffset> times, IReadOnlyList<Promise> overdueTheirs)
            {
                foreach (var theirs in overdueTheirs)
                {
                    reasons.Add(RiskText.CustomerOverdue(theirs.Row.Description, theirs.Row.PromisedDate, Today));
                    times.Add(_s.Sweep(theirs.Row.PromisedDate.AddDays(1)));
                }
            }

            private DateOnly SinceAfterRenegotiation(DateOnly since) =>
                Row.DateChanges.Count > 0 && DayOf(Row.DateChanges[^1].At) > since ? DayOf(Row.DateChanges[^1].At) : since;

            /// <summary>Stores the assessment as the app's last evaluation would have: level, reasons worst first, since when, next review day.</summary>
            private void StoreRisk(List<RiskReason> reasons, List<DateTimeOffset> times)
            {
                if (BehindSchedule() is { } schedule)
                {
                    reasons.Add(schedule);
                    times.Add(_s.Sweep(schedule.Since));
                }
                var order = Enumerable.Range(0, reasons.Count).OrderByDescending(i => RiskRule.LevelOf(reasons[i].Rule)).ToList();
                Row.RiskReasons = [.. order.Select(i => reasons[i])];
                Row.RiskLevel = reasons.Count == 0 ? RiskLevel.OnTrack : RiskRule.LevelOf(Row.RiskReasons[0].Rule);
                if (Row.RiskLevel == RiskLevel.OnTrack)
                {
                    Row.RiskSince = Row.CreatedAt;
                    Row.RiskEvaluatedAt = Row.CreatedAt;
                }
                else
                {
                    var top = order.Where(i => RiskRule.LevelOf(reasons[i].Rule) == Row.RiskLevel).Select(i => times[i]).Min();
                    Row.RiskSince = Later(Earlier(top, _s._now), Row.CreatedAt);
                    // Reasons that count days are reworded by every day's sweep.
                    var counting = Row.RiskReasons.Any(x => x.Rule is RiskRule.Late or RiskRule.CustomerOverdue or RiskRule.MilestoneBehindPlan or RiskRule.Stale);
                    Row.RiskEvaluatedAt = counting ? Later(_s.Sweep(Today), Row.RiskSince.Value) : Later(times.Max(), Row.RiskSince.Value);
                }
                Row.RiskReviewOn = ReviewOn();
            }

            /// <summary><see cref="RiskEvaluator.ReviewOn"/> for the generated rows.</summary>
            private DateOnly? ReviewOn()
            {
                if (Row.RiskReasons.Any(x => x.Rule is RiskRule.Late or RiskRule.CustomerOverdue or RiskRule.MilestoneBehindPlan or RiskRule.Stale))
                    return Today.AddDays(1);
                var promised = Row.PromisedDate;
                var unfinished = Row.Milestones.Where(m => !m.IsFinished).ToList();
                var candidates = new List<DateOnly> { promised.AddDays(1) };
                candidates.AddRange(unfinished.Where(m => (m.ForecastDate ?? m.PlannedDate) <= promised).Select(m => m.PlannedDate.AddDays(1)));
                candidates.AddRange(unfinished.Where(m => m.Status == MilestoneStatus.InProgress)
                    .Select(m => DayOf(m.LastUpdatedAt ?? Row.CreatedAt).AddDays(StaleAfterDays)));
                candidates.AddRange(_s._promises.Where(p => p.Row.Direction == CommitmentDirection.Theirs && p.Row.IsOpen).Select(p => p.Row.PromisedDate.AddDays(1)));
                if (NextScheduleChange() is { } schedule)
                    candidates.Add(schedule);
                var ahead = candidates.Where(d => d > Today).ToList();
                return ahead.Count == 0 ? null : ahead.Min();
            }

            /// <summary>The behind-schedule reason, as the evaluator words it: most of the time has passed, too few milestones finished.</summary>
            private RiskReason? BehindSchedule()
            {
                var milestones = Row.Milestones;
                if (milestones.Count == 0)
                    return null;
                var start = DayOf(Row.CreatedAt);
                var total = Row.PromisedDate.DayNumber - start.DayNumber;
                var elapsed = Today.DayNumber - start.DayNumber;
                var finished = milestones.Count(m => m.IsFinished);
                var timeUp = total <= 0 ? elapsed >= 0 : elapsed >= ScheduleShare * total;
                if (!timeUp || finished >= ScheduleShare * milestones.Count)
                    return null;
                var since = total <= 0 ? start : start.AddDays((int)Math.Ceiling(ScheduleShare * total));
                var percent = total <= 0 ? 100 : Math.Min(100, (int)Math.Floor(100m * elapsed / total));
                return RiskText.BehindSchedule(percent, Row.PromisedDate, finished, milestones.Count, since);
            }

            private DateOnly? NextScheduleChange()
            {
                var milestones = Row.Milestones;
                if (milestones.Count == 0 || milestones.Count(m => m.IsFinished) >= ScheduleShare * milestones.Count)
                    return null;
                var start = DayOf(Row.CreatedAt);
                var total = Row.PromisedDate.DayNumber - start.DayNumber;
                if (total <= 0)
                    return null;
                var begins = start.AddDays((int)Math.Ceiling(ScheduleShare * total));
                if (Today < begins)
                    return begins;
                var percent = (int)Math.Floor(100m * (Today.DayNumber - start.DayNumber) / total);
                return percent >= 100 ? null : start.AddDays((int)Math.Ceiling((percent + 1) * total / 100m));
            }

            // ---------- recovery ----------

            /// <summary>
            /// Recovery plans as the rise handler opens them: one open plan for a promise at risk or late now; closed plans (with a
            /// root cause and lesson) for most promises that were kept late and a few that were rescued in time. Alerts at each rise.
            /// </summary>
            public void Recover()
            {
                if (Row.IsOpen && Row.RiskLevel >= RiskLevel.AtRisk)
                {
                    var plan = NewPlan(Row.RiskLevel, Row.RiskSince!.Value, closeAt: null);
                    Alerts(Row.RiskLevel, plan.DetectedAt, RiskText.AlertText(Row.RiskReasons));
                    return;
                }
                if (Row.Status == CommitmentStatus.KeptLate)
                {
                    var promised = Row.PromisedDate;
                    var lateAt = _s.Sweep(promised.AddDays(1));
                    if (!r.Chance(0.7))
                    {
                        Alerts(RiskLevel.Late, lateAt, RiskText.AlertText([RiskText.Late(promised, promised.AddDays(1))]));
                        return;
                    }
                    var earlier = promised.AddDays(-r.Between(1, 10));
                    var atRiskFirst = r.Chance(0.6) && earlier > DayOf(Row.CreatedAt);
                    var detected = atRiskFirst ? _s.At(earlier) : lateAt;
                    var closeAt = Later(_s.At(Row.CompletedOn!.Value.AddDays(r.Between(0, 4))), detected.AddDays(2));
                    if (closeAt >= _s._now)
                        return;
                    NewPlan(atRiskFirst ? RiskLevel.AtRisk : RiskLevel.Late, detected, closeAt);
                    if (atRiskFirst)
                        Alerts(RiskLevel.AtRisk, detected, $"{Row.Milestones[^1].Title} forecast is past the promised date.");
                    Alerts(RiskLevel.Late, lateAt, RiskText.AlertText([RiskText.Late(promised, promised.AddDays(1))]));
                }
                else if (Row.Status == CommitmentStatus.Kept && r.Chance(0.03) && Row.PromisedDate.DayNumber - DayOf(Row.CreatedAt).DayNumber >= 12)
                {
                    var detected = _s.At(Row.PromisedDate.AddDays(-r.Between(3, 9)));
                    var closeAt = Later(_s.At(Row.CompletedOn!.Value.AddDays(r.Between(0, 4))), detected.AddDays(2));
                    if (closeAt >= _s._now || detected <= Row.CreatedAt)
                        return;
                    NewPlan(RiskLevel.AtRisk, detected, closeAt);
                    Alerts(RiskLevel.AtRisk, detected, $"{Row.Milestones[^1].Title} forecast is past the promised date.");
                }
            }

            private PlanRow NewPlan(RiskLevel level, DateTimeOffset detected, DateTimeOffset? closeAt)
            {
                var deal = _s._deal;
                var rep = deal.OwnerId;
                var manager = _s._team.ManagerId;
                var plan = new PlanRow
                {
                    Id = r.NextGuid(), CommitmentId = Row.Id, DealId = deal.Id, DealOwnerId = rep, Level = level, DetectedAt = detected,
                    OpenedAt = detected.AddSeconds(r.Between(1, 20)),
                };
                plan.ManagerAlertedAt = plan.OpenedAt;
                var owners = new (RecoveryStepKind Kind, string Owner, TimeSpan Due)[]
                {
                    (RecoveryStepKind.MakeRoom, rep, TimeSpan.FromHours(4)), (RecoveryStepKind.Options, rep, TimeSpan.FromHours(8)),
                    (RecoveryStepKind.AlertManager, manager, TimeSpan.FromHours(4)), (RecoveryStepKind.TellCustomer, rep, TimeSpan.FromHours(24)),
                    (RecoveryStepKind.Comfort, manager, TimeSpan.FromDays(2)), (RecoveryStepKind.Apologise, rep, TimeSpan.FromDays(7)),
                    (RecoveryStepKind.Compensate, manager, TimeSpan.FromDays(14)),
                };
                foreach (var (kind, owner, due) in owners)
                    plan.Steps.Add(new StepRow { Id = r.NextGuid(), PlanId = plan.Id, Kind = kind, Position = (int)kind + 1, OwnerId = owner, DueAt = detected + due });

                // The work, in the order people do it; an open plan has done what its time allowed, mostly.
                var limit = closeAt ?? _s._now;
                var compensate = closeAt is not null && r.Chance(0.4);
                var when = detected;
                bool Do(RecoveryStepKind kind, double minHours, double maxHours, out DateTimeOffset at)
                {
                    at = Later(detected.AddHours(r.Between(minHours, maxHours)), when.AddMinutes(5));
                    if (at >= limit || (closeAt is null && !r.Chance(0.8)))
                        return false;
                    when = at;
                    plan.Steps[(int)kind].DoneAt = at;
                    return true;
                }
                if (Do(RecoveryStepKind.AlertManager, 0.1, 6, out var acknowledged))
                {
                    plan.ManagerAcknowledgedBy = manager;
                    plan.ManagerAcknowledgedAt = acknowledged;
                    if (Do(RecoveryStepKind.MakeRoom, 0.5, 8, out _))
                    {
                        plan.Steps[(int)RecoveryStepKind.MakeRoom].Notes = "Forecast checked with the supplier.";
                        plan.ForecastDate = Row.CompletedOn ?? Row.Milestones.Where(m => !m.IsFinished).Select(m => m.ForecastDate ?? m.PlannedDate).DefaultIfEmpty(Row.PromisedDate).Max();
                        plan.NeedDate = Row.NeedDate;
                        plan.BufferAbsorbsSlip = Row.NeedDate is { } need && plan.ForecastDate <= need;
                        var optionsAt = when;
                        if (Do(RecoveryStepKind.Options, 1, 12, out var chosenAt))
                        {
                            var kinds = OptionKinds.OrderBy(_ => r.Next(100)).Take(2).ToList();
                            foreach (var kind in kinds)
                                plan.Options.Add(new OptionRow { Id = r.NextGuid(), PlanId = plan.Id, Kind = kind, Description = r.Pick(Words.OptionDescriptions), AddedAt = Between2(optionsAt, chosenAt), IsChosen = plan.Options.Count == 0 });
                            if (Do(RecoveryStepKind.TellCustomer, 1, 30, out var told))
                            {
                                var entry = _s.Log(Row.Id, r.Chance(0.7) ? CommunicationChannel.Phone : CommunicationChannel.Email, CommunicationDirection.ToCustomer, _s._contact,
                                    $"Told {_s._contact} the date is at risk and why; proposed: {plan.Options[0].Description}", told);
                                plan.CustomerToldCommunicationId = entry.Id;
                                plan.CustomerToldAt = told;
                                if (Do(RecoveryStepKind.Comfort, 10, 72, out _))
                                {
                                    plan.OfferedMeanwhile = "A weekly status call until delivery.";
                                    plan.ManagerContact = $"{_s._org.NameOf[manager]} called {_s._contact} the same day to follow it personally.";
                                    if (_s._account.Contacts[0].MayContactTheirManager && r.Chance(0.1))
                                    {
                                        plan.BossContactNote = "Spoke to the buyer's manager, with the buyer's permission, to explain the plan.";
                                        plan.BossContactedAt = when.AddHours(r.Between(1, 24)) is var boss && boss < limit ? boss : when;
                                    }
                                    if (Do(RecoveryStepKind.Apologise, 30, 240, out var apologised))
                                    {
                                        plan.SolutionPresentedAt = apologised.AddHours(-r.Between(1, 20)) is var presented && presented > when ? presented : apologised;
                                        plan.SolutionAccepted = true;
                                        plan.CustomerForgave = r.Chance(0.75);
                                        if (compensate && Do(RecoveryStepKind.Compensate, 48, 340, out var compensated))
                                        {
                                            var face = (decimal)r.Between(600, 6000);
                                            var cost = r.Chance(0.05) ? (decimal)r.Between(4100, 5000) : Math.Round(face * (decimal)r.Between(0.1, 0.5), 0);
                                            plan.CompensationItem = r.Pick(Words.CompensationItems);
                                            plan.CompensationFaceValue = face;
                                            plan.CompensationCostToUs = cost;
                                            plan.CompensationEstimatedLoss = Math.Round(face * (decimal)(r.Chance(0.85) ? r.Between(0.3, 0.95) : r.Between(1.0, 1.4)), 0);
                                            plan.CompensationBudget = CompensationBudget;
                                            if (cost > CompensationBudget)
                                            {
                                                plan.CompensationApprovedBy = manager;
                                                plan.CompensationApprovedAt = Earlier(compensated.AddHours(r.Between(1, 24)), limit.AddMinutes(-1));
                                                plan.Steps[(int)RecoveryStepKind.Compensate].DoneAt = plan.CompensationApprovedAt;
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if (closeAt is { } closed)
                {
                    plan.ResolvedAt = Earlier(Later(closed, when.AddMinutes(10)), _s._now);
                    plan.RootCause = RootCauses[r.Weighted(RootCauseWeights)];
                    plan.RootCauseDepartment = plan.RootCause == RootCause.CustomerSideDelay ? Department.Customer : Row.Department;
                    plan.Lesson = r.Pick(Words.Lessons);
                }
                else
                {
                    // Overdue steps were escalated by the sweep: a rep's to the manager, a manager's to an admin.
                    foreach (var step in plan.Steps.Where(st => st.DoneAt is null && st.DueAt < _s._now.AddMinutes(-30)))
                    {
                        step.EscalatedAt = step.DueAt.AddMinutes(r.Between(1, 10));
                        step.EscalatedTo = step.OwnerId == manager ? _s._org.AdminId : manager;
                    }
                }
                _s._deal.Plans.Add(plan);
                return plan;
            }

            private DateTimeOffset Between2(DateTimeOffset from, DateTimeOffset to) => to <= from ? from : from.AddSeconds(r.NextDouble() * (to - from).TotalSeconds);

            private void Alerts(RiskLevel level, DateTimeOffset detected, string reasons)
            {
                var deal = _s._deal;
                var title = $"{(level == RiskLevel.Late ? "Late" : "At risk")}: {Row.Description} ({deal.Title})";
                foreach (var recipient in new[] { Row.OwnerId, deal.OwnerId, _s._team.ManagerId }.Distinct())
                {
                    var read = detected.AddHours(r.Between(1, 48));
                    deal.Alerts.Add(new AlertRow
                    {
                        Id = r.NextGuid(), CommitmentId = Row.Id, DealId = deal.Id, RecipientId = recipient, Level = level, Title = title,
                        Reasons = reasons.Length > 4000 ? reasons[..3999] + "…" : reasons, DetectedAt = detected,
                        ReadAt = read < _s._now && r.Chance(0.75) ? read : null,
                        EmailedAt = Earlier(detected.AddSeconds(r.Between(3, 90)), _s._now), EmailAttempts = 1,
                    });
                }
                _s.Audit("Commitment", Row.Id, "Modified", "RiskLevel", nameof(RiskLevel.OnTrack), level.ToString(), "system", detected);
            }

            // ---------- audit ----------

            /// <summary>The audit rows a promise's life leaves besides its creation: renegotiations and how it ended.</summary>
            public void Audit()
            {
                if (Row.Direction == CommitmentDirection.Theirs)
                    Audit("Added", null, null, Row.Description, Row.CreatedBy, Row.CreatedAt);
                foreach (var change in Row.DateChanges)
                    Audit("Modified", "PromisedDate", Fmt(change.OldDate), Fmt(change.NewDate), change.ByUserId, change.At);
                switch (Row.Status)
                {
                    case CommitmentStatus.Kept or CommitmentStatus.KeptLate:
                        if (Row.Status == CommitmentStatus.KeptLate)
                            AuditStatus("Open", "Broken", "system", _s.Sweep(Row.PromisedDate.AddDays(1)));
                        var completedBy = Row.Milestones.Count > 0 ? Row.Milestones[^1].LastUpdatedBy! : Row.OwnerId;
                        var at = Row.Milestones.Count > 0 ? Row.Milestones[^1].LastUpdatedAt!.Value : Later(_s.At(Row.CompletedOn!.Value), Row.CreatedAt);
                        AuditStatus(Row.Status == CommitmentStatus.KeptLate ? "Broken" : "Open", Row.Status.ToString(), completedBy, at);
                        break;
                    case CommitmentStatus.Waived:
                        AuditStatus("Open", "Waived", Row.WaivedBy!, Row.WaivedAt!.Value);
                        break;
                    case CommitmentStatus.Broken:
                        AuditStatus("Open", "Broken", "system", _s.Sweep(Row.PromisedDate.AddDays(1)));
                        break;
                }
            }

            private void AuditStatus(string from, string to, string by, DateTimeOffset at) => Audit("Modified", "Status", from, to, by, at);

            private void Audit(string action, string? field, string? oldValue, string? newValue, string by, DateTimeOffset at) =>
                _s.Audit("Commitment", Row.Id, action, field, oldValue, newValue, by, at);

            private static string Fmt(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

            private static DateOnly Clamp(DateOnly day, DateOnly min, DateOnly max) => day < min ? min : day > max ? max : day;

            private static Department DepartmentOf(CommitmentKind kind, Rng r) => kind switch
            {
                CommitmentKind.Delivery => Department.Fulfilment,
                CommitmentKind.Installation or CommitmentKind.Support => Department.Service,
                CommitmentKind.Training => r.Chance(0.6) ? Department.Service : Department.Sales,
                CommitmentKind.Outcome => r.Chance(0.6) ? Department.Product : Department.Sales,
                _ => r.Weighted([50, 30, 20]) switch { 0 => Department.Sales, 1 => Department.Finance, _ => Department.Service },
            };

            /// <summary>Milestones are worked by service staff: the promise's department, or Service for the sales department's.</summary>
            private static Department AssigneeDepartment(Department department) => department is Department.Sales or Department.Customer ? Department.Service : department;
        }

        private MilestoneTemplate _templatesOf(CommitmentKind kind) => sim._templates[kind];
    }
}
