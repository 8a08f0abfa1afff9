using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence.Seeding;
using CommitmentTracker.Web.Security;
using Npgsql;

namespace CommitmentTracker.Scale.Generation;

/// <summary>A sales team: its appointed manager and its reps.</summary>
internal sealed record TeamInfo(Guid Id, string Name, string ManagerId, IReadOnlyList<string> RepIds, bool IsNew);

/// <summary>One version of the expectation checklist, as deals pin it.</summary>
internal sealed record ChecklistInfo(Guid Id, int Version, IReadOnlyList<(int Position, string Title, string Guidance, bool Required)> Items);

/// <summary>A risk library entry, as deals share it.</summary>
internal sealed record RiskInfo(Guid Id, string Title, string Response);

/// <summary>
/// The company the deals are generated for: the demo company's teams and users (seeded by the app) grown to 20 teams of a
/// manager and 10 reps each, service staff in each department, and the accounts with their contacts.
/// </summary>
internal sealed class Organisation
{
    public const int TeamCount = 20;
    public const int RepsPerTeam = 10;

    /// <summary>Service staff per department, demo users included (service@ is Service, fulfilment@ is Fulfilment).</summary>
    private static readonly (Department Department, int Count)[] StaffPlan =
        [(Department.Service, 8), (Department.Fulfilment, 8), (Department.Product, 4), (Department.Finance, 3)];

    public required IReadOnlyList<TeamInfo> Teams { get; init; }
    public required IReadOnlyList<UserRow> NewUsers { get; init; }
    public required IReadOnlyDictionary<Department, string[]> Staff { get; init; }
    public required string AdminId { get; init; }
    public required string PasswordHash { get; init; }
    public required IReadOnlyDictionary<string, string> RoleIds { get; init; }
    public required AccountRow[] Accounts { get; init; }
    public required ChecklistInfo Checklist { get; init; }
    public required IReadOnlyList<RiskInfo> Risks { get; init; }

    /// <summary>The team a rep belongs to (by index into <see cref="Teams"/>).</summary>
    public required IReadOnlyDictionary<string, int> TeamOfRep { get; init; }

    /// <summary>Users by id, for display names in generated text.</summary>
    public required IReadOnlyDictionary<string, string> NameOf { get; init; }

    /// <summary>Reads what the app seeded (roles, checklist, risk library, demo users and teams) and grows it into the large company.</summary>
    public static async Task<Organisation> BuildAsync(NpgsqlConnection connection, int accountCount, ulong seed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rng = Rng.For(seed, 1, 0);
        var users = await ReadAsync(connection, "SELECT id, lower(email), display_name FROM \"AspNetUsers\"", r => (Id: r.GetString(0), Email: r.GetString(1), Name: r.GetString(2)), cancellationToken);
        var byEmail = users.ToDictionary(u => u.Email, u => u.Id);
        string Demo(string email) => byEmail.TryGetValue(email, out var id) ? id
            : throw new InvalidOperationException($"The demo user {email} is missing: the database must be seeded by the app's DemoDataSeeder first.");
        var names = users.ToDictionary(u => u.Id, u => u.Name);

        var roles = (await ReadAsync(connection, "SELECT name, id FROM \"AspNetRoles\"", r => (Name: r.GetString(0), Id: r.GetString(1)), cancellationToken))
            .ToDictionary(r => r.Name, r => r.Id);
        var passwordHash = (await ReadAsync(connection, "SELECT password_hash FROM \"AspNetUsers\" WHERE normalized_email = 'REP@DEMO.LOCAL'", r => r.GetString(0), cancellationToken)).Single();
        var existingTeams = (await ReadAsync(connection, "SELECT name, id FROM teams", r => (Name: r.GetString(0), Id: r.GetGuid(1)), cancellationToken))
            .ToDictionary(t => t.Name, t => t.Id);

        var people = new PeopleNames(rng, users.Select(u => u.Email));
        var newUsers = new List<UserRow>();
        UserRow NewUser(string role, Guid? teamId, Department? department)
        {
            var (name, email) = people.Next();
            var user = new UserRow { Id = rng.NextGuid().ToString(), Email = email, DisplayName = name, TeamId = teamId, Department = department, Role = role };
            newUsers.Add(user);
            names[user.Id] = user.DisplayName;
            return user;
        }

        var teams = new List<TeamInfo>();
        var teamOfRep = new Dictionary<string, int>();
        foreach (var teamName in Words.Teams.Take(TeamCount))
        {
            var isNew = !existingTeams.TryGetValue(teamName, out var teamId);
            if (isNew)
                teamId = rng.NextGuid();
            // The demo's teams keep their manager and rep (team North is rep@ and manager@'s): they get a large team's share.
            var (managerId, reps) = teamName switch
            {
                "North" => (Demo("manager@demo.local"), new List<string> { Demo(DemoDataSeeder.RepEmail) }),
                "South" => (Demo("manager2@demo.local"), new List<string> { Demo("rep2@demo.local") }),
                _ => (NewUser(AppRoles.Manager, teamId, Department.Sales).Id, new List<string>()),
            };
            while (reps.Count < RepsPerTeam)
                reps.Add(NewUser(AppRoles.Rep, teamId, Department.Sales).Id);
            foreach (var rep in reps)
                teamOfRep[rep] = teams.Count;
            teams.Add(new TeamInfo(teamId, teamName, managerId, reps, isNew));
        }

        var staff = new Dictionary<Department, string[]>();
        foreach (var (department, count) in StaffPlan)
        {
            var members = new List<string>();
            if (department == Department.Service)
                members.Add(Demo("service@demo.local"));
            if (department == Department.Fulfilment)
                members.Add(Demo("fulfilment@demo.local"));
            while (members.Count < count)
                members.Add(NewUser(AppRoles.Service, null, department).Id);
            staff[department] = [.. members];
        }

        var checklist = await ReadChecklistAsync(connection, cancellationToken);
        var risks = await ReadAsync(connection, "SELECT id, title, usual_response FROM risk_library ORDER BY title", r => new RiskInfo(r.GetGuid(0), r.GetString(1), r.GetString(2)), cancellationToken);

        return new Organisation
        {
            Teams = teams,
            NewUsers = newUsers,
            Staff = staff,
            AdminId = Demo("admin@demo.local"),
            PasswordHash = passwordHash,
            RoleIds = roles,
            Accounts = CreateAccounts(accountCount, teams, seed, now),
            Checklist = checklist,
            Risks = risks,
            TeamOfRep = teamOfRep,
            NameOf = names,
        };
    }

    private static AccountRow[] CreateAccounts(int count, List<TeamInfo> teams, ulong seed, DateTimeOffset now)
    {
        var rng = Rng.For(seed, 2, 0);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var accounts = new AccountRow[count];
        var roles = new[] { ContactRole.User, ContactRole.Approver, ContactRole.BuyersBoss };
        for (var i = 0; i < count; i++)
        {
            var name = $"{rng.Pick(Words.CompanyFirst)} {rng.Pick(Words.CompanySecond)}{rng.Pick(Words.CompanyForm)}";
            for (var n = 2; !taken.Add(name); n++)
                name = $"{rng.Pick(Words.CompanyFirst)} {rng.Pick(Words.CompanySecond)} {rng.Pick(Words.Teams)}{(n > 6 ? $" {n}" : "")}";
            var team = rng.Next(teams.Count);
            var account = new AccountRow
            {
                Id = rng.NextGuid(),
                Name = name,
                Industry = rng.Pick(Words.Industries),
                CreatedAt = now.AddDays(-rng.Between(1100, 1500)).AddMinutes(-rng.Next(600)),
                Team = team,
                PrimaryRepId = rng.Pick(teams[team].RepIds),
            };
            var domain = new string([.. name.ToLowerInvariant().Where(char.IsAsciiLetterLower)]);
            var contactNames = new HashSet<string>();
            var contacts = rng.Between(2, 4);
            while (account.Contacts.Count < contacts)
            {
                var first = rng.Pick(Words.FirstNames);
                var last = rng.Pick(Words.LastNames);
                if (!contactNames.Add($"{first} {last}"))
                    continue;
                account.Contacts.Add(new ContactRow
                {
                    Id = rng.NextGuid(),
                    AccountId = account.Id,
                    Name = $"{first} {last}",
                    Role = account.Contacts.Count == 0 ? ContactRole.Buyer : rng.Pick(roles),
                    Email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{domain}.example",
                    Phone = rng.Chance(0.5) ? $"+49 {rng.Between(100, 999)} {rng.Between(100000, 999999)}" : null,
                    MayContactTheirManager = rng.Chance(0.4),
                });
            }
            accounts[i] = account;
        }
        return accounts;
    }

    private static async Task<ChecklistInfo> ReadChecklistAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (id, version) = (await ReadAsync(connection, "SELECT id, version FROM checklist_templates WHERE is_active", r => (r.GetGuid(0), r.GetInt32(1)), cancellationToken)).Single();
        var items = await ReadAsync(connection,
            $"SELECT position, title, guidance, required FROM checklist_template_items WHERE checklist_template_id = '{id}' ORDER BY position",
            r => (r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetBoolean(3)), cancellationToken);
        return new ChecklistInfo(id, version, items);
    }

    internal static async Task<List<T>> ReadAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(read(reader));
        return rows;
    }

    /// <summary>Distinct display names and e-mail addresses for generated users.</summary>
    private sealed class PeopleNames(Rng rng, IEnumerable<string> takenEmails)
    {
        private readonly HashSet<string> _emails = [.. takenEmails];
        private readonly HashSet<string> _names = [];

        public (string Name, string Email) Next()
        {
            while (true)
            {
                var first = rng.Pick(Words.FirstNames);
                var last = rng.Pick(Words.LastNames);
                var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@scale.example";
                if (_names.Add($"{first} {last}") && _emails.Add(email))
                    return ($"{first} {last}", email);
            }
        }
    }
}
