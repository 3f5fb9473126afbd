#!/usr/bin/env python3
"""Records one GEM 3.0.2 environment rollout of Cont-CC-DFIM-v0 in the layout of shared/gem-envs (the columns and
case.json keys sim/MotorRT.Sim.Gym.Tests reads): every reset and step with GEM's flattened observation, reward and flags.

By hand only (never in CI):
    bash /work/shared/tools/setup-gem.sh <gem git dir> <gymnasium git dir>   # prints the PYTHONPATH to export
    export PYTHONPATH=...
    /usr/bin/python3 tools/gem/make_dfim_env_rollout.py sim/MotorRT.Sim.Gym.Tests/data/gem-envs-dfim

The plant runs scipy's dopri5 at rtol 1e-10, atol 1e-12 (as shared/gem-envs); everything else is GEM's default.
Episode e starts with env.reset(seed=BASE_SEED + e); the actions are open loop (seeded): a 50 Hz stator set and a
slip-frequency rotor set whose amplitude differs per episode, so that episodes 0 and 2 end by the squared current
constraint and episode 1 runs its step budget.
"""
import math
import os
import sys

import numpy as np

import gym_electric_motor as gem
from gym_electric_motor.physical_systems import ScipyOdeSolver

from gem_case_files import write_case

ENV_ID = "Cont-CC-DFIM-v0"
BASE_SEED = 300
# (stator amplitude, amplitude growth per step, rotor amplitude, step budget)
EPISODES = [(0.6, 0.0, 0.2, 160), (0.25, 0.0, 0.1, 150), (0.2, 0.01, 0.15, 200)]


def main():
    out_dir = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "sim/MotorRT.Sim.Gym.Tests/data/gem-envs-dfim", ENV_ID)
    solver = ScipyOdeSolver(integrator="dopri5", rtol=1e-10, atol=1e-12, nsteps=100000)
    env = gem.make(ENV_ID, ode_solver=solver, visualization=())
    u = env.unwrapped
    ps = u.physical_system
    names = list(ps.state_names)
    rg = u.reference_generator
    ref_names = list(rg.reference_names)
    tau = ps.tau
    omega = float(ps.mechanical_load.omega_fixed) if hasattr(ps.mechanical_load, "omega_fixed") else 100.0
    f_s, p = 50.0, 2
    f_r = f_s - p * omega / (2 * math.pi)
    header = (["row", "episode", "k", "t"] + [f"action_{i}" for i in range(6)] + [f"obs_{n}" for n in names]
              + [f"obs_ref_{r}" for r in ref_names] + ["reward", "terminated", "truncated"])
    rows, episodes = [], []

    def flat(obs):
        return [float(x) for x in np.concatenate([np.asarray(obs[0], dtype=float).ravel(), np.asarray(obs[1], dtype=float).ravel()])]

    for e, (amp, growth, amp_r, budget) in enumerate(EPISODES):
        rng = np.random.default_rng(BASE_SEED + 1000 + e)
        obs, _ = env.reset(seed=BASE_SEED + e)
        first = len(rows)
        rows.append([len(rows), e, 0, 0.0] + [""] * 6 + flat(obs) + ["", "", ""])
        end = "budget"
        for k in range(1, budget + 1):
            t0 = (k - 1) * tau
            a_s = amp + growth * k
            a = np.empty(6)
            for ph in range(3):
                shift = 2 * math.pi * ph / 3
                a[ph] = a_s * math.cos(2 * math.pi * f_s * t0 - shift) + 0.03 * rng.standard_normal()
                a[3 + ph] = amp_r * math.cos(2 * math.pi * f_r * t0 - shift + 0.7) + 0.03 * rng.standard_normal()
            a = np.clip(a, -1.0, 1.0)
            obs, reward, terminated, truncated, _ = env.step(a)
            rows.append([len(rows), e, k, k * tau] + [float(x) for x in a] + flat(obs)
                        + [float(reward), int(bool(terminated)), int(bool(truncated))])
            if terminated:
                end = "terminated"
                break
        episodes.append(dict(seed=BASE_SEED + e, first_row=first, steps=len(rows) - first - 1, end=end))

    sq = [c for c in u.constraint_monitor.constraints]
    doc = {
        "env_id": ENV_ID,
        "gem_version": "3.0.2",
        "make": f"gem.make('{ENV_ID}', ode_solver=ScipyOdeSolver(integrator='dopri5', rtol=1e-10, atol=1e-12, nsteps=100000), visualization=())",
        "generator": "tools/gem/make_dfim_env_rollout.py",
        "tau": tau,
        "state_names": names,
        "limits": {n: float(v) for n, v in zip(names, ps.limits)},
        "nominal_state": {n: float(v) for n, v in zip(names, ps.nominal_state)},
        "state_space_low": [float(x) for x in ps.state_space.low],
        "reference_generator": {
            "class": type(rg).__name__,
            "reference_names": ref_names,
            "reference_space_low": [float(x) for x in rg.reference_space.low],
            "reference_space_high": [float(x) for x in rg.reference_space.high],
        },
        "reward_function": {
            "class": type(u.reward_function).__name__,
            "gamma": float(u.reward_function._gamma),
            "violation_reward": float(u.reward_function._violation_reward),
        },
        "constraints": {"list": [dict(**{"class": type(c).__name__},
                                      **({"states": list(c._states)} if hasattr(c, "_states")
                                         else {"observed_states": [names[i] for i in np.atleast_1d(c._observed_state_idx)]}))
                                 for c in sq]},
        "episodes": episodes,
        "notes": "One row per reset (k = 0, empty action and reward) and per step. obs_* is GEM's flattened "
                 "observation (normalised states in GEM's order, then the normalised references). Replay the "
                 "obs_ref_* columns; GEM's random streams are not reproduced.",
    }
    write_case(out_dir, doc, header, rows, lambda v: v if isinstance(v, str) else repr(v))
    print(ENV_ID, [(ep["steps"], ep["end"]) for ep in episodes])


if __name__ == "__main__":
    main()
