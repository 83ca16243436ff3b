using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Exchange;

/// <summary>
/// The contract of an exchange step whose real effect (accounts, front-end databases, files, the gateway, the provincial
/// portal) is not connected yet: the definitions can name it and be published, and an instance that reaches it stops
/// with an incident saying so, instead of pretending the exchange happened.
/// </summary>
public abstract class ExchangeActivity : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        throw new WorkflowFaultException($"数据交换环节“{context.Descriptor.DisplayName}”（{context.Descriptor.Type}）尚未接入实际系统，已记为故障，待接入后由运维人员重试。");
}
