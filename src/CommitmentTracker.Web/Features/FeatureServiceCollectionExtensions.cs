using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Features.CustomerLinks;
using CommitmentTracker.Web.Features.DeliveryRecords;
using CommitmentTracker.Web.Features.Forecasts;
using CommitmentTracker.Web.Features.InboundMail;
using CommitmentTracker.Web.Features.Webhooks;
using FluentValidation;

namespace CommitmentTracker.Web.Features;

/// <summary>Registers the feature services, one per capability.</summary>
public static class FeatureServiceCollectionExtensions
{
    public static IServiceCollection AddFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ActorAccessor>();
        services.AddScoped<Components.Shared.UserTime>();
        services.AddScoped<Settings.MySettingsService>();
        services.AddRisk(configuration);
        services.AddWebhooks(configuration);
        services.AddScoped<Calendar.CalendarFeedService>();
        services.AddForecasts(configuration);
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        services.AddScoped<Deals.DealsService>();
        services.AddScoped<Accounts.AccountsService>();
        services.AddScoped<Search.SearchService>();
        services.AddScoped<Fulfilment.FulfilmentService>();
        services.AddScoped<Fulfilment.MilestonePlanService>();
        services.AddScoped<TechnicalReviews.TechnicalReviewService>();
        services.AddScoped<Administration.UsersService>();
        services.AddScoped<Administration.ChecklistTemplateService>();
        services.AddScoped<Administration.LeadTimesService>();
        services.AddScoped<Administration.MilestoneTemplatesService>();
        services.AddScoped<Calendars.WorkingCalendarsService>();
        services.AddScoped<Risk.RiskLibraryService>();
        services.AddScoped<Risk.RiskSettingsService>();
        services.AddScoped<Promises.PromisesService>();
        services.AddScoped<Checklist.ChecklistService>();
        services.AddScoped<Communications.CommunicationsService>();
        services.AddScoped<Home.HomeService>();
        services.AddScoped<Dashboard.DashboardService>();
        services.AddScoped<Dashboard.RecoveryInsightsService>();
        services.AddScoped<Dashboard.ForecastCalibrationService>();
        services.AddScoped<DeliveryRecords.DeliveryRecordService>();
        services.AddScoped<DeliveryRecords.SharedRecordService>();
        services.AddSharedRecordRateLimit(configuration);
        services.AddScoped<CustomerLinks.CustomerLinkService>();
        services.AddScoped<CustomerLinks.CustomerPageService>();
        services.AddCustomerLinkRateLimit(configuration);
        services.AddScoped<Recovery.RecoveryService>();
        services.AddScoped<Api.ApiTokensService>();
        services.AddScoped<Csv.CsvImportService>();
        services.AddScoped<Alerts.AlertsService>();
        services.AddSingleton<Alerts.DigestService>();
        services.AddSingleton<Alerts.MailSender>();
        services.AddHostedService<Alerts.AlertMailDispatcher>();
        services.AddHealthChecks().AddCheck<Alerts.MailBacklogHealthCheck>("alert-mail", tags: ["ready"]);
        services.AddHostedService<Alerts.DailyDigestSender>();
        services.AddInboundMail(configuration);
        return services;
    }
}
