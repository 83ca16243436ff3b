using System.Globalization;

namespace PdsWorkflow.Workflows.Calendar;

/// <summary>Loads every notice file (*.json, one per year, named after its year) of a folder.</summary>
public static class HolidayNoticeFolder
{
    public static NoticeFolderLoadResult Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            return new NoticeFolderLoadResult([], [new NoticeValidationError(folder, "", "找不到节假日通知目录。")]);
        }

        var errors = new List<NoticeValidationError>();
        var byYear = new Dictionary<int, List<(string File, HolidayNotice Notice)>>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var parsed = HolidayNoticeReader.Parse(File.ReadAllText(path), file);
            errors.AddRange(parsed.Errors);
            if (parsed.Notice is not { } notice)
            {
                continue;
            }

            var nameYear = Path.GetFileNameWithoutExtension(path);
            if (int.TryParse(nameYear, NumberStyles.None, CultureInfo.InvariantCulture, out var fileYear) &&
                fileYear != notice.Year)
            {
                errors.Add(new NoticeValidationError(file, "year", $"文件名表示 {fileYear} 年，但通知年份为 {notice.Year}。"));
                continue;
            }

            if (!byYear.TryGetValue(notice.Year, out var sameYear))
            {
                byYear[notice.Year] = sameYear = [];
            }

            sameYear.Add((file, notice));
        }

        foreach (var (year, sameYear) in byYear.Where(entry => entry.Value.Count > 1))
        {
            errors.Add(new NoticeValidationError(folder, "year",
                $"{year} 年有多份通知：{string.Join("、", sameYear.Select(entry => entry.File))}，每年只能有一份。"));
        }

        var notices = byYear.Values
            .Where(sameYear => sameYear.Count == 1)
            .Select(sameYear => sameYear[0].Notice)
            .OrderBy(notice => notice.Year)
            .ToList();
        return new NoticeFolderLoadResult(notices, errors);
    }
}
