namespace PdsWorkflow.Workflows.Calendar;

internal static class HolidayNames
{
    public const string NewYear = "元旦";
    public const string SpringFestival = "春节";
    public const string Qingming = "清明节";
    public const string Labour = "劳动节";
    public const string DragonBoat = "端午节";
    public const string MidAutumn = "中秋节";
    public const string National = "国庆节";
}
