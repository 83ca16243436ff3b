using System.Text.Json;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Activities.Demo;

/// <summary>
/// The demo organisation as data (<c>definitions/demo/organization.json</c>): the city's regions, its units and the
/// fictitious people who work in them, each with the roles they hold in their own unit.
/// </summary>
public sealed class DemoOrganization
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public string? Description { get; init; }
    public required IReadOnlyList<DemoRegion> Regions { get; init; }
    public required IReadOnlyList<DemoUnit> Units { get; init; }

    /// <summary>Every person with the unit they work in.</summary>
    public IEnumerable<(DemoUnit Unit, DemoUser User)> People => Units.SelectMany(unit => unit.Users.Select(user => (unit, user)));

    /// <summary>Reads and checks the file; a file that cannot be read or fails a check comes back with its problems.</summary>
    public static DemoOrganizationLoadResult Load(string path)
    {
        if (!File.Exists(path)) return new(null, [$"找不到演示组织机构文件“{path}”"]);
        DemoOrganization? organization;
        try
        {
            organization = JsonSerializer.Deserialize<DemoOrganization>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            return new(null, [$"演示组织机构文件无法读取：{ex.Message}"]);
        }

        if (organization is null) return new(null, ["演示组织机构文件为空"]);
        var errors = DemoOrganizationChecks.Check(organization);
        return errors.Count == 0 ? new(organization, []) : new(null, errors);
    }
}

public sealed record DemoOrganizationLoadResult(DemoOrganization? Organization, IReadOnlyList<string> Errors);

/// <summary>An administrative division (GB/T 2260): 410400 平顶山市, 410422 叶县…</summary>
public sealed record DemoRegion(string Code, string Name);

public sealed class DemoUnit
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>One of <see cref="DataSharing.OrgUnitKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>A secondary unit's municipal department.</summary>
    public string? ParentId { get; init; }

    public required string RegionCode { get; init; }

    /// <summary>统一社会信用代码: fictitious, but its check characters are right (GB 32100, GB 11714).</summary>
    public required string CreditCode { get; init; }

    public IReadOnlyList<DemoUser> Users { get; init; } = [];
}

public sealed class DemoUser
{
    /// <summary>The sign-in name: the unit's id, a dot, and what the person does (<c>gaj.approver</c>).</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }
    public string? Title { get; init; }
    public required string Phone { get; init; }
    public required string Email { get; init; }

    /// <summary><see cref="DataSharing.Roles"/> held in the person's own unit.</summary>
    public required IReadOnlyList<string> Roles { get; init; }
}
