namespace PdsWorkflow.Workflows.Activities.BuiltIn;

public static class BuiltInTypes
{
    public const string Start = "Start";
    public const string End = "End";
    public const string Decision = "Decision";
    public const string Switch = "Switch";
    public const string Fork = "Fork";
    public const string Join = "Join";
    public const string SetVariable = "SetVariable";
    public const string WaitForEvent = "WaitForEvent";
    public const string Delay = "Delay";
    public const string Fault = "Fault";
    public const string RunWorkflow = "RunWorkflow";

    public const string ControlFlow = "流程控制";
    public const string Data = "数据";
    public const string Events = "事件与定时";
    public const string Composition = "子流程";
    public const string Errors = "异常";
}
