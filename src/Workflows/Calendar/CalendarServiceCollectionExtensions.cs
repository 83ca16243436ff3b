using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Calendar;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WorkingDayCalendar"/> as a singleton built from the notice files in
    /// <see cref="WorkingDayCalendarOptions.NoticesPath"/>; the settings and the files are validated at start-up.
    /// </summary>
    public static IServiceCollection AddWorkingDayCalendar(
        this IServiceCollection services, Action<WorkingDayCalendarOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WorkingDayCalendarOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<WorkingDayCalendarOptions>, WorkingDayCalendarOptionsValidator>());
        services.TryAddSingleton(provider =>
            CreateCalendar(provider.GetRequiredService<IOptions<WorkingDayCalendarOptions>>().Value));
        return services;
    }

    private static WorkingDayCalendar CreateCalendar(WorkingDayCalendarOptions options)
    {
        var loaded = HolidayNoticeFolder.Load(Path.GetFullPath(options.NoticesPath));
        if (!loaded.IsValid)
        {
            throw new InvalidOperationException(
                $"The holiday notices in {options.NoticesPath} are invalid: {string.Join("; ", loaded.Errors)}");
        }

        return new WorkingDayCalendar(loaded.Notices, options);
    }
}
