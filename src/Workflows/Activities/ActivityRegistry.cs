using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Definitions;

namespace PdsWorkflow.Workflows.Activities;

/// <summary>A type registered with <c>AddActivity&lt;T&gt;()</c>.</summary>
public sealed record ActivityRegistration(Type ActivityType);

/// <summary>All known activity types, their descriptors, and how to instantiate one for a node.</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, ActivityDescriptor> _descriptors = new(StringComparer.Ordinal);

    public ActivityRegistry(IEnumerable<ActivityRegistration> registrations, IOptions<WorkflowEngineOptions> options)
    {
        foreach (var registration in registrations)
        {
            var descriptor = Describe(registration.ActivityType);
            if (options.Value.RetryPolicies.TryGetValue(descriptor.Type, out var policy)) descriptor = descriptor with { RetryPolicy = policy };
            _descriptors[descriptor.Type] = descriptor;
        }
    }

    public IReadOnlyCollection<ActivityDescriptor> Descriptors => _descriptors.Values;

    public ActivityDescriptor? Find(string type) => _descriptors.GetValueOrDefault(type);

    /// <summary>A fresh activity with its inputs bound to the node's values (or the declared defaults).</summary>
    public Activity Create(ActivityDescriptor descriptor, ActivityNode node)
    {
        var activity = descriptor.Factory();
        foreach (var input in descriptor.Inputs)
        {
            var bound = InputConstructors.GetOrAdd(input.ValueType, static v => Constructor(typeof(Input<>).MakeGenericType(v)))
                .Invoke([input.Name, node.GetInput(input.Name), input.DefaultValue]);
            input.Property.SetValue(activity, bound);
        }

        foreach (var output in descriptor.Outputs)
            output.Property.SetValue(activity, OutputConstructors.GetOrAdd(output.Property.PropertyType, Constructor).Invoke([output.Name]));

        return activity;
    }

    // The internal constructors of Input<T> (by T) and Output<T> (by Output<T>), looked up once: an activity is created per execution.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, ConstructorInfo> InputConstructors = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, ConstructorInfo> OutputConstructors = new();

    private static ConstructorInfo Constructor(Type type) => type.GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance).Single();

    public IReadOnlyList<string> GetOutcomes(ActivityDescriptor descriptor, ActivityNode node) =>
        descriptor.HasDynamicOutcomes ? Create(descriptor, node).GetOutcomes(node, descriptor) : descriptor.Outcomes;

    internal static ActivityDescriptor Describe(Type type)
    {
        if (!typeof(Activity).IsAssignableFrom(type) || type.IsAbstract)
            throw new ArgumentException($"{type} is not a concrete activity.", nameof(type));
        var attribute = type.GetCustomAttribute<ActivityAttribute>()
            ?? throw new ArgumentException($"{type} has no [Activity] attribute.", nameof(type));
        var constructor = type.GetConstructor(Type.EmptyTypes)
            ?? throw new ArgumentException($"{type} needs a parameterless constructor; services come from the execution context.", nameof(type));

        var inputs = new List<InputDescriptor>();
        var outputs = new List<OutputDescriptor>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<InputAttribute>() is { } input)
            {
                if (!property.PropertyType.IsGenericType || property.PropertyType.GetGenericTypeDefinition() != typeof(Input<>))
                    throw new ArgumentException($"{type}.{property.Name} is marked [Input] but is not an Input<T>.", nameof(type));
                var valueType = property.PropertyType.GetGenericArguments()[0];
                inputs.Add(new InputDescriptor(CamelCase(property.Name), input.DisplayName, input.Description, KindOf(valueType),
                    input.UIHint, input.Required, input.DefaultValue is null ? null : JsonSerializer.SerializeToNode(input.DefaultValue),
                    input.SupportsExpression, input.Options)
                { Property = property, ValueType = valueType });
            }
            else if (property.GetCustomAttribute<OutputAttribute>() is { } output)
            {
                if (!property.PropertyType.IsGenericType || property.PropertyType.GetGenericTypeDefinition() != typeof(Output<>))
                    throw new ArgumentException($"{type}.{property.Name} is marked [Output] but is not an Output<T>.", nameof(type));
                outputs.Add(new OutputDescriptor(CamelCase(property.Name), output.DisplayName, output.Description,
                    KindOf(property.PropertyType.GetGenericArguments()[0])) { Property = property });
            }
        }

        var outcomes = type.GetCustomAttribute<OutcomesAttribute>()?.Outcomes ?? [Activity.Done];
        var dynamicOutcomes = type.GetMethod(nameof(Activity.GetOutcomes), BindingFlags.NonPublic | BindingFlags.Instance)!.DeclaringType != typeof(Activity);
        var retry = type.GetCustomAttribute<RetryPolicyAttribute>()?.Policy ?? RetryPolicy.None;
        var factory = () => (Activity)constructor.Invoke(null);
        return new ActivityDescriptor(attribute.Type, attribute.Category, attribute.DisplayName, attribute.Description,
            inputs, outputs, outcomes, dynamicOutcomes, retry)
        {
            ClrType = type, Factory = factory, Replayable = type.GetCustomAttribute<ReplayableAttribute>() is not null,
            OutcomeNames = global::PdsWorkflow.Workflows.Activities.OutcomeNames.For(dynamicOutcomes ? [.. outcomes, "Default"] : outcomes),
        };
    }

    private static string CamelCase(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    internal static string KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "String";
        if (type == typeof(bool)) return "Boolean";
        if (type == typeof(int) || type == typeof(long)) return "Integer";
        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float)) return "Number";
        if (type.IsEnum) return "String";
        if (type == typeof(TimeSpan)) return "Duration";
        if (type == typeof(JsonNode) || type == typeof(JsonObject)) return "Object";
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)) return "Array";
        return "Object";
    }
}
