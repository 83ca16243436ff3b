using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>The convention every context on the product's database follows (the engine's and the modules').</summary>
public static class UtcDateTimes
{
    /// <summary>
    /// Every <see cref="DateTime"/> is UTC: SQLite reads times back with an unspecified kind, and Npgsql writes only UTC
    /// times to <c>timestamp with time zone</c>.
    /// </summary>
    public static ModelConfigurationBuilder UseUtcDateTimes(this ModelConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        builder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        return builder;
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
