using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PdsWorkflow.Activities.Exchange.Tables;

/// <summary>
/// An order-independent SHA-256 checksum of a table's rows, computed the same way on both sides of an exchange: each
/// row's canonical values (<see cref="ExchangeColumn.Canonical"/>, each length-prefixed, null marked apart from "")
/// are hashed with SHA-256, the row digests are added as 256-bit integers modulo 2^256 (a multiset hash: the order in
/// which either database returns its rows does not matter, a duplicated or missing row does), and the result is
/// SHA-256(column names, row count, sum). Streaming: memory does not grow with the table.
/// </summary>
public sealed class TableChecksum(IReadOnlyList<ExchangeColumn> columns)
{
    private readonly ulong[] _sum = new ulong[4];
    private readonly byte[] _digest = new byte[32];

    public long Rows { get; private set; }

    public void Add(IReadOnlyList<object?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        for (var i = 0; i < columns.Count; i++)
        {
            if (row[i] is null)
            {
                hash.AppendData([0]);
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(columns[i].Canonical(row[i]!));
            hash.AppendData([1]);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        hash.GetHashAndReset(_digest);
        ulong carry = 0;
        for (var limb = 0; limb < 4; limb++)
        {
            var add = BinaryPrimitives.ReadUInt64LittleEndian(_digest.AsSpan(limb * 8, 8));
            var partial = _sum[limb] + add;
            var carried = partial + carry;
            carry = (partial < add ? 1UL : 0UL) + (carried < partial ? 1UL : 0UL);
            _sum[limb] = carried;
        }

        Rows++;
    }

    /// <summary>The checksum as lower-case hex.</summary>
    public string Value()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join("\u001f", columns.Select(c => c.Name + ":" + c.ItemType))));
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, Rows);
        hash.AppendData(buffer);
        foreach (var limb in _sum)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, limb);
            hash.AppendData(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
