using PdsWorkflow.Workflows.Definitions;

namespace PdsWorkflow.Workflows.Activities;

internal interface IInput
{
    string Name { get; }
    InputValue? Value { get; }
}

/// <summary>A typed input of an activity: the literal or expression the definition gives, read through the context.</summary>
public sealed class Input<T> : IInput
{
    internal Input(string name, InputValue? value, object? defaultValue)
    {
        Name = name;
        Value = value;
        DefaultValue = defaultValue;
    }

    public string Name { get; }
    public InputValue? Value { get; }
    internal object? DefaultValue { get; }
}

/// <summary>A typed output: written through the context, kept with the instance and recorded in the journal.</summary>
public sealed class Output<T>
{
    internal Output(string name) => Name = name;

    public string Name { get; }
}
