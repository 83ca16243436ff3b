using System.Globalization;
using System.Text;
using PdsWorkflow.Activities.Catalog;

namespace PdsWorkflow.Activities.Exchange.Tables;

/// <summary>How a column's values travel: the CLR type both front-end adapters read and write.</summary>
public enum ExchangeValueKind
{
    Text,
    Decimal,
    Date,
    Timestamp,
    Boolean,
    Binary,
    Integer,
    Double,
}

/// <summary>
/// One column of a receiving table: an information item (信息项) of the catalog entry, its data type of seed 002 8.2
/// (字符型 C, 数值型 N, 货币型 Y, 日期型 D, 日期时间型 T, 逻辑型 L, 备注型 M, 通用型 G, 双精度型 B, 整型 I, 浮点型 F) and
/// its length. The column is named as the item: the catalog describes the provider's table column by column.
/// </summary>
public sealed record ExchangeColumn(string Name, string ItemType, ExchangeValueKind Kind, int? Length)
{
    /// <summary>The column for an item, or null when the item's type is not one of seed 002's.</summary>
    public static ExchangeColumn? From(CatalogItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var type = item.Type.Trim().ToUpperInvariant();
        ExchangeValueKind? kind = type switch
        {
            "C" or "M" => ExchangeValueKind.Text,
            "N" or "Y" => ExchangeValueKind.Decimal,
            "D" => ExchangeValueKind.Date,
            "T" => ExchangeValueKind.Timestamp,
            "L" => ExchangeValueKind.Boolean,
            "G" => ExchangeValueKind.Binary,
            "I" => ExchangeValueKind.Integer,
            "B" or "F" => ExchangeValueKind.Double,
            _ => null,
        };
        return kind is { } k ? new ExchangeColumn(item.Name.Trim(), type, k, type == "C" && item.Length is > 0 ? item.Length : null) : null;
    }

    /// <summary>
    /// The PostgreSQL type of the receiving column. Numbers are unconstrained <c>numeric</c>: a catalog length of 5 for
    /// 身高 must not round 170.5 away; text keeps the catalog's length, so an over-long value is refused, not cut.
    /// </summary>
    public string PostgresType => Kind switch
    {
        ExchangeValueKind.Text => Length is { } length ? $"varchar({length.ToString(CultureInfo.InvariantCulture)})" : "text",
        ExchangeValueKind.Decimal => "numeric",
        ExchangeValueKind.Date => "date",
        ExchangeValueKind.Timestamp => "timestamp",
        ExchangeValueKind.Boolean => "boolean",
        ExchangeValueKind.Binary => "bytea",
        ExchangeValueKind.Integer => "bigint",
        ExchangeValueKind.Double => "double precision",
        _ => throw new InvalidOperationException($"No PostgreSQL type for {Kind}."),
    };

    /// <summary>The type a source column is cast to when read (without the length: an over-long value is reported, not truncated).</summary>
    public string PostgresReadType => Kind == ExchangeValueKind.Text ? "text" : PostgresType;

    /// <summary>The declared type on SQLite (its affinity); dates and timestamps are ISO 8601 text.</summary>
    public string SqliteType => Kind switch
    {
        ExchangeValueKind.Text or ExchangeValueKind.Date or ExchangeValueKind.Timestamp => "TEXT",
        ExchangeValueKind.Decimal => "NUMERIC",
        ExchangeValueKind.Boolean or ExchangeValueKind.Integer => "INTEGER",
        ExchangeValueKind.Binary => "BLOB",
        ExchangeValueKind.Double => "REAL",
        _ => throw new InvalidOperationException($"No SQLite type for {Kind}."),
    };

    /// <summary>Checks a value read from the source against the catalog (a text longer than its item's length).</summary>
    public string? Problem(object? value) =>
        value is string text && Length is { } length && text.Length > length
            ? $"数据项“{Name}”的值长度 {text.Length} 超过目录规定的 {length}"
            : null;

    /// <summary>
    /// The value's canonical text for the checksum, the same whichever database it was read from: numbers without
    /// trailing zeros, dates as yyyy-MM-dd, timestamps as ISO 8601 to the tick, booleans as 1/0, binaries in base64.
    /// </summary>
    public string Canonical(object value) => value switch
    {
        string s => s,
        decimal d => (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        byte[] bytes => System.Convert.ToBase64String(bytes),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double f => f.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Unexpected value of type {value.GetType()} in column {Name}."),
    };

    /// <summary>Turns a value read by a generic reader (SQLite's storage classes) into this column's CLR type.</summary>
    public object? Convert(object? raw)
    {
        if (raw is null or DBNull) return null;
        var invariant = CultureInfo.InvariantCulture;
        return Kind switch
        {
            ExchangeValueKind.Text => raw as string ?? System.Convert.ToString(raw, invariant),
            ExchangeValueKind.Decimal => raw is string s ? decimal.Parse(s, NumberStyles.Float, invariant) : System.Convert.ToDecimal(raw, invariant),
            ExchangeValueKind.Date => raw switch
            {
                DateOnly d => d,
                DateTime t => DateOnly.FromDateTime(t),
                string s => DateOnly.FromDateTime(DateTime.Parse(s, invariant, DateTimeStyles.RoundtripKind)),
                _ => throw Unexpected(raw),
            },
            ExchangeValueKind.Timestamp => raw switch
            {
                DateTime t => t,
                string s => DateTime.Parse(s, invariant, DateTimeStyles.RoundtripKind),
                _ => throw Unexpected(raw),
            },
            ExchangeValueKind.Boolean => raw switch
            {
                bool b => b,
                string s => s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase),
                _ => System.Convert.ToInt64(raw, invariant) != 0,
            },
            ExchangeValueKind.Binary => raw as byte[] ?? (raw is string s ? Encoding.UTF8.GetBytes(s) : throw Unexpected(raw)),
            ExchangeValueKind.Integer => raw is string s ? long.Parse(s, invariant) : System.Convert.ToInt64(raw, invariant),
            ExchangeValueKind.Double => raw is string s ? double.Parse(s, invariant) : System.Convert.ToDouble(raw, invariant),
            _ => throw Unexpected(raw),
        };
    }

    private InvalidOperationException Unexpected(object raw) => new($"Cannot read a {raw.GetType().Name} as {Kind} in column {Name}.");
}
