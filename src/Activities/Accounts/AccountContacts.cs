using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>
/// The contact on record for an account, beside the one the form gives: the account holder (a platform account being
/// reset) and the unit's data-sharing contacts and administrators, with the phone and e-mail the organisation tables
/// hold for them. Credentials go to the form's contact (seed 000 三、四: 回复至申请表联系人邮箱，短信告知申请表内联系人)
/// only when that contact is one of these people, or when the bureau's approver has confirmed the difference at the
/// issue step (form field <c>contactCheck</c>), having checked it with the contact on record.
/// </summary>
public static class AccountContacts
{
    /// <summary>The roles whose holders speak for a unit's accounts, in the order they are listed.</summary>
    private static readonly (string Role, string Name)[] Speakers =
    [
        (Roles.DataContact, "数据共享责任人"),
        (Roles.DepartmentAdmin, "部门管理员"),
        (Roles.CountyDataAdmin, "县区数据管理员"),
    ];

    private const int MaxListed = 6;

    /// <summary>The form field the issue step's approver fills when the form's contact is not on record.</summary>
    public const string CheckField = "contactCheck";

    public const string Confirmed = "confirmed";

    public sealed record Comparison(string RecordText, bool Differs);

    private sealed record Person(string Role, string Id, string Name, string? Phone, string? Email);

    public static async Task<Comparison> CompareAsync(WorkflowDbContext db, string unitId, UserRecord? holder, JsonObject form,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(form);
        var people = new List<Person>();
        if (holder is not null) people.Add(new Person("账号持有人", holder.Id, holder.DisplayName, holder.Phone, holder.Email));
        var roles = Speakers.Select(s => s.Role).ToArray();
        var speakers = await (from r in db.UserRoles.AsNoTracking()
                              join u in db.Users.AsNoTracking() on r.UserId equals u.Id
                              where r.OrgUnitId == unitId && roles.Contains(r.Role) && u.IsActive
                              orderby u.Id
                              select new { r.Role, u.Id, u.DisplayName, u.Phone, u.Email }).ToListAsync(cancellationToken);
        foreach (var (role, name) in Speakers)
        foreach (var s in speakers.Where(s => s.Role == role && people.All(p => p.Id != s.Id)))
            people.Add(new Person(name, s.Id, s.DisplayName, s.Phone, s.Email));

        var text = new StringBuilder();
        foreach (var p in people.Take(MaxListed))
            text.Append(p.Role).Append('：').Append(p.Name).Append("，手机 ").Append(p.Phone ?? "未登记")
                .Append("，邮箱 ").Append(p.Email ?? "未登记").Append('\n');
        if (people.Count == 0) text.Append("组织机构记录中没有该单位的数据共享责任人或管理员。");

        var phone = FormValues.Text(form, "phone");
        var email = FormValues.Text(form, "email");
        var differs = phone is not null && email is not null && !people.Any(p => SamePhone(p.Phone, phone) && SameEmail(p.Email, email));
        return new Comparison(text.ToString().TrimEnd('\n'), differs);
    }

    /// <summary>Digits only, without the country code: "139 3750 0001", "+86 13937500001" and "13937500001" are one number.</summary>
    public static string PhoneDigits(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.StartsWith("86", StringComparison.Ordinal) && digits.Length == 13 ? digits[2..] : digits;
    }

    private static bool SamePhone(string? recorded, string given) => recorded is not null && PhoneDigits(recorded) == PhoneDigits(given);

    private static bool SameEmail(string? recorded, string given) => recorded is not null && string.Equals(recorded.Trim(), given.Trim(), StringComparison.OrdinalIgnoreCase);
}
