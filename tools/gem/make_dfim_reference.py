#!/usr/bin/env python3
"""Records open-loop reference trajectories of GEM 3.0.2's doubly-fed induction machine (DoublyFedInductionMotorSystem)
in the format of shared/reference (case.json + trajectory.csv, SI units).

By hand only (never in CI, GEM is no dependency of the project):
    bash /work/shared/tools/setup-gem.sh <gem git dir> <gymnasium git dir>   # prints the PYTHONPATH to export
    export PYTHONPATH=...
    /usr/bin/python3 tools/gem/make_dfim_reference.py sim/MotorRT.Sim.Tests/data/reference-dfim

Each case drives GEM's plant (the physical system of a DFIM environment: multi converter of two B6 bridges, stator
then rotor; ideal 420 V supply; GEM's default DFIM) with a seeded input sequence and writes GEM's state after every
step times GEM's limits. No GEM noise, no environment layer.
"""
import math
import os
import sys

import numpy as np

import gym_electric_motor as gem
import gym_electric_motor.physical_systems as ps
from gym_electric_motor.physical_systems.physical_systems import DoublyFedInductionMotorSystem

from gem_case_files import write_case

U_SUP = 420.0


def continuous_actions(steps, tau, seed, omega):
    """Stator: a 50 Hz three-phase set (0.6) plus noise; rotor: the slip-frequency set (0.2) plus noise; clipped to ±1."""
    rng = np.random.default_rng(seed)
    p = 2
    f_s = 50.0
    f_r = f_s - p * omega / (2 * math.pi)
    out = np.empty((steps, 6))
    for k in range(steps):
        t = k * tau
        for ph in range(3):
            shift = 2 * math.pi * ph / 3
            out[k, ph] = 0.6 * math.cos(2 * math.pi * f_s * t - shift) + 0.05 * rng.standard_normal()
            out[k, 3 + ph] = 0.2 * math.cos(2 * math.pi * f_r * t - shift + 0.7) + 0.05 * rng.standard_normal()
    return np.clip(out, -1.0, 1.0)


def finite_actions(steps, seed):
    """Six-step sequences on both bridges (stator advancing every 40 steps, rotor every 70), 20 % random states."""
    rng = np.random.default_rng(seed)
    six_step = [4, 6, 2, 3, 1, 5]
    out = np.empty((steps, 2), dtype=int)
    for k in range(steps):
        s = six_step[(k // 40) % 6]
        r = six_step[(k // 70 + 2) % 6]
        if rng.random() < 0.2:
            s = int(rng.integers(0, 8))
        if rng.random() < 0.2:
            r = int(rng.integers(0, 8))
        out[k] = (s, r)
    return out


CASES = [
    dict(name="dfim-multib6-interlock-constspeed-dopri", env="Cont-CC-DFIM-v0", finite=False, load="const", omega=100.0,
         solver="dopri", tau=1e-4, steps=400, interlocking=2e-6, seed=11),
    dict(name="dfim-multib6-polyload-euler", env="Cont-SC-DFIM-v0", finite=False, load="poly", omega=0.0,
         solver="euler", tau=1e-4, steps=400, interlocking=0.0, seed=12),
    dict(name="dfim-finite-multib6-constspeed-dopri", env="Finite-CC-DFIM-v0", finite=True, load="const", omega=100.0,
         solver="dopri", tau=1e-5, steps=400, interlocking=0.0, seed=13),
]


def build(c):
    if c["finite"]:
        conv = ps.FiniteMultiConverter(subconverters=[ps.FiniteB6BridgeConverter(), ps.FiniteB6BridgeConverter()])
    else:
        il = c["interlocking"]
        conv = ps.ContMultiConverter(subconverters=[ps.ContB6BridgeConverter(interlocking_time=il),
                                                    ps.ContB6BridgeConverter(interlocking_time=il)])
    if c["load"] == "const":
        load = ps.ConstantSpeedLoad(omega_fixed=c["omega"])
    else:
        load = ps.PolynomialStaticLoad(load_parameter=dict(a=0.01, b=0.01, c=0.0, j_load=1e-5))
    if c["solver"] == "dopri":
        solver = ps.ScipyOdeSolver(integrator="dopri5", rtol=1e-10, atol=1e-12)
    else:
        solver = ps.EulerSolver(nsteps=1)
    return DoublyFedInductionMotorSystem(
        converter=conv, motor=ps.DoublyFedInductionMotor(), load=load,
        supply=ps.IdealVoltageSupply(u_nominal=U_SUP), ode_solver=solver, tau=c["tau"])


def record(c, out_dir):
    np.random.seed(0)  # GEM's induction machines draw a field angle from the global RNG at reset (unused: zero states)
    sys_ = build(c)
    names = list(sys_.state_names)
    limits = np.asarray(sys_.limits, dtype=float)
    state0 = np.asarray(sys_.reset(), dtype=float) * limits
    steps, tau = c["steps"], c["tau"]
    actions = finite_actions(steps, c["seed"]) if c["finite"] else continuous_actions(steps, tau, c["seed"], c["omega"])
    n_act = actions.shape[1]
    rows = []
    for k in range(steps):
        a = actions[k]
        s = np.asarray(sys_.simulate(a), dtype=float) * limits
        if not np.all(np.isfinite(s)):
            raise RuntimeError(f"{c['name']}: GEM state not finite at step {k + 1}")
        rows.append([(k + 1) * tau] + [float(x) for x in a] + [float(x) for x in s])

    motor = sys_.electrical_motor
    load = sys_.mechanical_load
    j_rotor = motor.motor_parameter["j_rotor"]
    if c["load"] == "const":
        load_doc = dict(type="ConstantSpeedLoad", j_load=0.0, j_total=j_rotor, omega_fixed=c["omega"])
    else:
        lp = dict(load.load_parameter)
        load_doc = dict(type="PolynomialStaticLoad", j_load=lp["j_load"], j_total=j_rotor + lp["j_load"],
                        load_parameter=dict(a=lp["a"], b=lp["b"], c=lp["c"], j_load=lp["j_load"]))
    if c["solver"] == "dopri":
        solver_doc = dict(name="dopri5-tight", detail="scipy.integrate.ode dopri5 rtol=1e-10 atol=1e-12")
    else:
        solver_doc = dict(name="euler", detail="explicit Euler, one step per tau")
    sub = "FiniteB6BridgeConverter" if c["finite"] else "ContB6BridgeConverter"
    columns = ["t"] + [f"action_{i}" for i in range(n_act)] + names
    doc = {
        "case": c["name"],
        "gem_version": gem.__version__ if hasattr(gem, "__version__") else "3.0.2",
        "gem_env_id": c["env"],
        "physical_system": "DoublyFedInductionMotorSystem",
        "motor": {"type": "DoublyFedInductionMotor", "motor_parameter": {k: float(v) for k, v in motor.motor_parameter.items()}},
        "converter": {"type": "FiniteMultiConverter" if c["finite"] else "ContMultiConverter",
                      "sub_converters": [sub, sub], "interlocking_time": c["interlocking"]},
        "supply": {"type": "IdealVoltageSupply", "u_nominal": U_SUP},
        "load": load_doc,
        "solver": solver_doc,
        "tau": tau,
        "steps": steps,
        "initial_state": {n: float(v) for n, v in zip(names, state0)},
        "state_names": names,
        "limits": {n: float(v) for n, v in zip(names, limits)},
        "action_kind": ("switching states (stator, rotor): six-step sequences with 20 % random states" if c["finite"]
                        else "duties (stator a b c, rotor a b c): 50 Hz stator set 0.6 and slip-frequency rotor set 0.2, "
                        "plus N(0, 0.05)") + f"; numpy default_rng({c['seed']})",
        "action_gain": 1.0 if c["finite"] else 0.6,
        "action_offset": 0.0,
        "columns": columns,
        "notes": "Recorded by tools/gem/make_dfim_reference.py with GEM 3.0.2. Row k holds the input applied over "
                 "[t-tau, t) and the state at t, in SI units (GEM's normalised state times its limits). epsilon is the "
                 "electrical rotor angle wrapped to [-pi, pi); i_sd, i_sq, i_rd, i_rq and u_sd, u_sq are in GEM's "
                 "rotor-flux frame, u_rd, u_rq in GEM's rotor-bridge frame (field angle minus epsilon).",
    }
    write_case(os.path.join(out_dir, c["name"]), doc, columns, rows, lambda v: f"{v:.12e}")
    peak = {n: max(abs(r[1 + n_act + i]) for r in rows) for i, n in enumerate(names)}
    print(c["name"], "peaks:", {k: round(v, 3) for k, v in peak.items() if k in ("omega", "torque", "i_sd", "i_sq", "i_rd", "i_rq")})


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "sim/MotorRT.Sim.Tests/data/reference-dfim"
    for c in CASES:
        record(c, out_dir)


if __name__ == "__main__":
    main()
