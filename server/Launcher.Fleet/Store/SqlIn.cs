using System.Globalization;
using System.Text;
using Dapper;

namespace Launcher.Fleet.Store;

/// <summary>
/// <c>column IN (@p0, @p1, …)</c> with one parameter per value: the same SQL on SQLite and PostgreSQL (Dapper
/// expands a list parameter for SQLite but passes an array to Npgsql, which needs <c>= ANY</c>). Callers bound the
/// list (SQLite allows 32,766 parameters, PostgreSQL 65,535).
/// </summary>
internal static class SqlIn
{
    public static string Of(string column, IReadOnlyList<string> values, DynamicParameters parameters, string prefix = "p")
    {
        var sql = new StringBuilder(column).Append(" IN (");
        for (int i = 0; i < values.Count; i++)
        {
            string name = prefix + i.ToString(CultureInfo.InvariantCulture);
            parameters.Add(name, values[i]);
            sql.Append(i == 0 ? "@" : ", @").Append(name);
        }

        return sql.Append(')').ToString();
    }
}
