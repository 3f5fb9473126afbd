// Namespaces nearly every suite of this project uses (the twin, the runtime's loop and configuration, the contracts).
global using MotorRT.Contracts;
global using MotorRT.Contracts.Configuration;
global using MotorRT.Contracts.Machines;
global using MotorRT.Policies.PI;
global using MotorRT.Runtime;
global using MotorRT.Runtime.Configuration;
global using MotorRT.Runtime.Loop;
global using MotorRT.Runtime.Safety;
global using MotorRT.Sim;
global using MotorRT.Sim.Presets;
global using MotorRT.Sim.Rig;
global using MotorRT.Sim.Testing;
global using Xunit.Abstractions;
