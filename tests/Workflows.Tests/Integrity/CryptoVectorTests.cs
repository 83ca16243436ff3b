using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tests.Integrity;

/// <summary>
/// The national algorithms against the standards' own examples, and the chain formats against values computed outside
/// .NET (Python's hashlib, OpenSSL), so the tests do not only compare the code with itself.
/// </summary>
public sealed class CryptoVectorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>GB/T 32905-2016 附录 A, 示例 1: the three-byte message "abc".</summary>
    [Test]
    public void Sm3_of_abc_is_the_standards_example_1() =>
        Assert.That(HashAlgorithms.Hex(HashAlgorithms.Sm3, "abc"u8), Is.EqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"));

    /// <summary>GB/T 32905-2016 附录 A, 示例 2: the 64-byte message "abcd" repeated 16 times.</summary>
    [Test]
    public void Sm3_of_the_64_byte_message_is_the_standards_example_2() =>
        Assert.That(HashAlgorithms.Hex(HashAlgorithms.Sm3, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcd", 16)))),
            Is.EqualTo("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"));

    /// <summary>
    /// GB/T 32918.2-2016 附录 A (GM/T 0003.2-2012 A.2): the signature example on the standard's 256-bit test curve, user
    /// id ALICE123@YAHOO.COM, message "message digest". Verified by the product's SM2 verification with that curve and id.
    /// </summary>
    [Test]
    public void Sm2_verifies_the_standards_signature_example_and_rejects_it_for_another_message()
    {
        var p = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3", 16);
        var n = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7", 16);
        var curve = new FpCurve(p, new BigInteger("787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498", 16),
            new BigInteger("63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A", 16), n, BigInteger.One);
        var g = curve.CreatePoint(new BigInteger("421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D", 16),
            new BigInteger("0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2", 16));
        var domain = new ECDomainParameters(curve, g, n, BigInteger.One);
        var privateKey = new BigInteger("128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263", 16);
        var publicKey = g.Multiply(privateKey).Normalize();
        var signature = new Org.BouncyCastle.Asn1.DerSequence(
            new Org.BouncyCastle.Asn1.DerInteger(new BigInteger("40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1", 16)),
            new Org.BouncyCastle.Asn1.DerInteger(new BigInteger("6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7", 16))).GetEncoded();
        var alice = Encoding.ASCII.GetBytes("ALICE123@YAHOO.COM");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Convert.ToHexString(publicKey.AffineXCoord.GetEncoded()), Is.EqualTo("0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A"),
                "the example's public key xA");
            Assert.That(Signatures.VerifySm2(domain, publicKey.GetEncoded(false), alice, "message digest"u8.ToArray(), signature), Is.True);
            Assert.That(Signatures.VerifySm2(domain, publicKey.GetEncoded(false), alice, "message digesT"u8.ToArray(), signature), Is.False);
            Assert.That(Signatures.VerifySm2(domain, publicKey.GetEncoded(false), Signatures.DefaultSm2UserId, "message digest"u8.ToArray(), signature), Is.False,
                "the user id is part of what is signed");
        }
    }

    /// <summary>
    /// A signature made by OpenSSL 3.0.19 on the recommended curve sm2p256v1 with the default user id 1234567812345678
    /// (<c>openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678</c>): the product's configuration.
    /// </summary>
    [Test]
    public void Sm2_with_the_default_user_id_verifies_a_signature_made_by_openssl()
    {
        var publicKey = Convert.FromBase64String("BNDIL4au8fa83BlYs1cAo76kaaAVp23MZUULkgfYmNy8FJ9FV43pU/5XQflCmy4grfDz7TizNvSy9SXxtNMjtiA=");
        var signature = Convert.FromBase64String("MEYCIQDtTK7O3nihE4MqFHhm4VwO1tjFiXCAsSzt5Fd8+cJ62QIhAIdrw6LCmuJpTTtQVSgy8OV3/uWqjthhYNmHhCeEIMAn");
        var message = Encoding.UTF8.GetBytes("平顶山市政务数据共享交换平台 checkpoint");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Signatures.Verify(SignatureAlgorithms.Sm2, publicKey, message, signature), Is.True);
            Assert.That(Signatures.Verify(SignatureAlgorithms.Sm2, publicKey, [.. message, (byte)'!'], signature), Is.False);
            Assert.That(Signatures.Verify(SignatureAlgorithms.EcdsaP256, publicKey, message, signature), Is.False, "the algorithm is part of the check");
        }
    }

    [TestCase(SignatureAlgorithms.Sm2)]
    [TestCase(SignatureAlgorithms.EcdsaP256)]
    [TestCase(SignatureAlgorithms.Ed25519)]
    public void A_new_key_signs_and_only_its_own_signature_over_the_same_bytes_verifies(string algorithm)
    {
        var key = Signatures.Generate(algorithm);
        var other = Signatures.Generate(algorithm);
        var message = "pds-checkpoint/1\ninstance-0\n7"u8.ToArray();
        var signature = Signatures.Sign(key, message);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Signatures.Verify(algorithm, key.PublicKey, message, signature), Is.True);
            Assert.That(Signatures.Verify(algorithm, other.PublicKey, message, signature), Is.False);
            Assert.That(Signatures.Verify(algorithm, key.PublicKey, "pds-checkpoint/1\ninstance-0\n8"u8.ToArray(), signature), Is.False);
            Assert.That(Signatures.Verify(algorithm, key.PublicKey, message, [.. signature[..^1], (byte)(signature[^1] ^ 1)]), Is.False);
            Assert.That(key.KeyId, Has.Length.EqualTo(16).And.Not.EqualTo(other.KeyId));
        }
    }

    private static JournalRecord Entry(string algorithm) => new()
    {
        InstanceId = Guid.Parse("6f1c1d7e-58a4-4c36-9a0e-0f3f8e3c2a11"), Sequence = 42,
        Timestamp = new DateTime(2026, 3, 2, 1, 2, 3, DateTimeKind.Utc).AddTicks(1234567), EventName = "ActivityCompleted", ActivityId = "provider-approval",
        ActivityType = "UserTask", ActivityExecutionId = Guid.Parse("0b7f2f7c-2d7e-4a57-8f0c-3b1c9b0f5e21"), Outcome = "Approve",
        InputsJson = "{\"title\":\"库表订阅申请：人口基本信息\"}", OutputsJson = "{\"decision\":\"Approve\",\"comment\":\"同意共享 😀\"}",
        Actor = "gaj.approver", Message = "提供方审批", Records = "task-action 0123456789abcdef0123456789abcdef " + new string('c', 64),
        Algorithm = algorithm, PreviousHash = new string('a', 64), Hash = "",
    };

    /// <summary>
    /// Computed with Python's hashlib (OpenSSL's SM3 and SHA-256) over the fields each written as its UTF-8 length, a
    /// colon and its UTF-8 bytes (null as "-"): "pds-journal/2", the algorithm, the instance, sequence, ticks to the
    /// microsecond, event, activity, type, execution, outcome, inputs, outputs, actor, message, records, previous hash.
    /// </summary>
    [TestCase(HashAlgorithms.Sm3, "3d322554c390ac9a66addad81f2b442aa8d5eab4c467af0a1303da81ac7d800e")]
    [TestCase(HashAlgorithms.Sha256, "69b256702b60df0a5f9f37240b601eb12be7c45500d6225e794fd31262dab89c")]
    public void An_entry_with_an_algorithm_hashes_its_length_prefixed_fields(string algorithm, string expected) =>
        Assert.That(JournalHasher.Compute(Entry(algorithm)), Is.EqualTo(expected));

    [Test]
    public void Null_fields_hash_unlike_empty_ones_and_a_field_cannot_borrow_from_the_next()
    {
        var started = new JournalRecord
        {
            InstanceId = Guid.Parse("6f1c1d7e-58a4-4c36-9a0e-0f3f8e3c2a11"), Sequence = 1, Timestamp = Entry(HashAlgorithms.Sm3).Timestamp,
            EventName = "WorkflowStarted", Algorithm = HashAlgorithms.Sm3, PreviousHash = "", Hash = "",
        };
        var shifted = Entry(HashAlgorithms.Sm3);
        shifted.Actor = "gaj.approver提供方";
        shifted.Message = "审批";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JournalHasher.Compute(started), Is.EqualTo("fe057fb092f543c940df2389ecb73b77284c507f964b805f7d85005c24ff7d96"));
            started.Actor = "";
            Assert.That(JournalHasher.Compute(started), Is.Not.EqualTo("fe057fb092f543c940df2389ecb73b77284c507f964b805f7d85005c24ff7d96"));
            Assert.That(JournalHasher.Compute(shifted), Is.Not.EqualTo(JournalHasher.Compute(Entry(HashAlgorithms.Sm3))));
        }
    }

    [Test]
    public void An_entry_of_an_unknown_algorithm_never_matches()
    {
        var entry = Entry("MD5");
        Assert.That(JournalHasher.Compute(entry), Is.Not.EqualTo(JournalHasher.Compute(Entry(HashAlgorithms.Sm3))).And.Not.Length.EqualTo(64));
    }
}
