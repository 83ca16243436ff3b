namespace PdsWorkflow.Activities.Interfaces;

/// <summary>The life of an interface authorisation (001 第十九条).</summary>
public enum ApiAuthorizationStatus
{
    /// <summary>生效: the gateway forwards calls within its terms.</summary>
    Active,

    /// <summary>暂停: misuse suspected; the provider may resume it.</summary>
    Suspended,

    /// <summary>已到期: the term ended; the consumer applies again.</summary>
    Expired,

    /// <summary>已收回: unused for three months, taken back by the provider.</summary>
    Revoked,

    /// <summary>已终止: ended by the provider for misuse.</summary>
    Terminated,
}
