using System.Reflection;
using System.Runtime.CompilerServices;

namespace MotorRT.Runtime.Loop;

/// <summary>
/// Compiles every non-generic method of the given types before Running (<see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/>),
/// so the branches the arming warm-up cannot take (the Running tick, trips, deadline checks) do not pay the JIT in the
/// first Running ticks. Off the real-time path; allocates (reflection) at arm time only.
/// </summary>
public static class JitPreparation
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Prepares the methods of <paramref name="types"/>; returns how many were prepared.</summary>
    public static int Prepare(params Type[] types)
    {
        ArgumentNullException.ThrowIfNull(types);
        int prepared = 0;
        foreach (Type type in types)
        {
            if (type.ContainsGenericParameters) continue;
            foreach (MethodInfo m in type.GetMethods(All))
            {
                if (m.IsAbstract || m.ContainsGenericParameters) continue;
                try
                {
                    RuntimeHelpers.PrepareMethod(m.MethodHandle);
                    prepared++;
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException or BadImageFormatException)
                {
                    // Some methods (e.g. runtime-implemented ones) cannot be prepared; they are compiled on first call.
                }
            }
        }
        return prepared;
    }
}
