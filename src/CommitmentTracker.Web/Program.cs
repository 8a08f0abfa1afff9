using CommitmentTracker.Web.Features.Calendar;
using CommitmentTracker.Web.Components;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Observability;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.LocalPostgres;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();

try
{
    var builder = WebApplication.CreateBuilder(args);
    // Static web assets (MudBlazor's css/js) are served from the build output in every environment, not only Development.
    builder.WebHost.UseStaticWebAssets();
    // The host's own logger, not the static bootstrap one reloaded in place: two hosts starting in one process (the test
    // suites) would otherwise both freeze the same bootstrap logger, and the second start fails.
    builder.Host.UseSerilog((context, services, logger) => logger
        .ReadFrom.Configuration(context.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext(), preserveStaticLogger: true);
    builder.AddObservability();
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

    var localCluster = builder.UseLocalPostgresWhenNoConnectionString();
    if (CommitmentTracker.Web.Persistence.Backup.BackupCommand.Matches(args))
    {
        var exitCode = await CommitmentTracker.Web.Persistence.Backup.BackupCommand.RunAsync(builder.Configuration, localCluster, args);
        // The embedded server stops again unless the app was already running on it.
        if (localCluster is { ReusedRunningServer: false })
            await localCluster.DisposeAsync();
        return exitCode;
    }
    builder.Services.AddPersistence(builder.Configuration);

    builder.Services.AddRazorComponents().AddInteractiveServerComponents();
    builder.Services.AddShell();
    builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        })
        .AddIdentityCookies();
    builder.Services.AddAuthorization();
    builder.Services.AddIdentityCore<AppUser>(options =>
        {
            options.SignIn.RequireConfirmedAccount = true;
            options.Password.RequiredLength = PasswordRules.MinimumLength;
            options.Lockout.MaxFailedAccessAttempts = 5;
            options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            options.User.RequireUniqueEmail = true;
        })
        .AddRoles<IdentityRole>()
        .AddEntityFrameworkStores<AppDbContext>()
        .AddSignInManager<AppSignInManager>()
        .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
        .AddDefaultTokenProviders();
    // The cookie is rechecked against the user's record as often as an open circuit is (a deactivation or password reset
    // ends it within a minute; a changed role is reissued); every action reads the user afresh anyway (ActorAccessor).
    builder.Services.Configure<SecurityStampValidatorOptions>(o =>
        o.ValidationInterval = CommitmentTracker.Web.Components.Account.IdentityRevalidatingAuthenticationStateProvider.Interval);
    // Sign-in cookies are protected with keys kept in the database: every instance reads the same keys, and a restart
    // keeps everyone signed in. One application name, so instances (and paths) share them. See decision 40.
    builder.Services.AddDataProtection()
        .SetApplicationName(AppDbContext.DataProtectionApplicationName)
        .PersistKeysToDbContext<AppDbContext>();
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddFeatures(builder.Configuration);
    builder.Services.AddPublicAddress(builder.Configuration);
    CommitmentTracker.Web.Features.Api.ApiRoutes.AddApi(builder.Services);
    builder.Services.Configure<CommitmentTracker.Web.Features.Alerts.EmailOptions>(builder.Configuration.GetSection(CommitmentTracker.Web.Features.Alerts.EmailOptions.Section));
    builder.Services.Configure<CommitmentTracker.Web.Features.Fulfilment.FulfilmentOptions>(builder.Configuration.GetSection(CommitmentTracker.Web.Features.Fulfilment.FulfilmentOptions.Section));

    var app = builder.Build();
    // What logs through the static logger (the page boundary's Commands) writes through the configured one from here on.
    Log.Logger = app.Services.GetRequiredService<Serilog.ILogger>();

    // First, so it answers before any other error page: an outage is a 503 with Retry-After, never a stack trace.
    app.UseDatabaseUnavailablePage();

    app.UseSecurityHeaders();
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseHsts();
    }
    app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
    app.UseSerilogRequestLogging();
    // Inside request logging, so an API refusal is logged as its status (404, 412), not as an exception.
    CommitmentTracker.Web.Features.Api.ApiProblems.UseApiProblems(app);
    app.UsePublicAddress();
    // Explicit, so they run after the security headers (left implicit, WebApplication puts them first in the pipeline).
    app.UseAuthentication();
    app.UseAuthorization();
    // Endpoint policies only: the public pages (shared records, customers' links; Features/PerAddressRateLimit).
    app.UseRateLimiter();
    app.UseAntiforgery();

    app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
    // Ready: the database answers (else 503). The alert mail backlog and the sweep's last run are reported with it, as
    // Degraded at worst (still 200): an instance without mail still serves pages.
    app.MapHealthChecks("/health/ready", new HealthCheckOptions
    {
        Predicate = check => check.Tags.Contains("ready"),
        ResponseWriter = HealthReportWriter.WriteAsync,
    });
    app.MapStaticAssets();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode()
        // Circuits use WebSockets only (decision 40). Long polling needs every request of a connection at the instance that
        // holds it, and when an instance stops, the fallback can reconnect a circuit to it in its last milliseconds, leaving
        // the page waiting on a connection nobody holds instead of reloading at the next instance.
        .Add(endpoint =>
        {
            foreach (var connection in endpoint.Metadata.OfType<Microsoft.AspNetCore.Http.Connections.HttpConnectionDispatcherOptions>())
                connection.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
        });
    app.MapAdditionalIdentityEndpoints();
    CommitmentTracker.Web.Features.Api.ApiRoutes.MapApi(app);
    app.MapCalendarFeeds();
    CommitmentTracker.Web.Features.Csv.CsvEndpoints.MapCsv(app);

    await app.RunAsync();
    return 0;
}
catch (PostgresBinariesNotFoundException ex)
{
    Log.Fatal("{Message}", ex.Message);
    return 2;
}
#pragma warning disable CA1031 // the host logs why it could not start, then exits non-zero
catch (Exception ex) when (ex is not HostAbortedException)
#pragma warning restore CA1031
{
    Log.Fatal(ex, "CommitmentTracker failed to start");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point, visible to the test hosts.</summary>
public partial class Program;
