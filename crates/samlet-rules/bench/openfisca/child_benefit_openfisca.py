"""Same child-benefit rule in OpenFisca (vectorised with numpy), for comparison with samlet-rules.

The parameters are INVENTED for tests and benchmarks (same as rules/child-benefit/).

Usage:
    python child_benefit_openfisca.py POPULATION_CSV PERIOD [RUST_OUTPUT_CSV] [RUST_TOTAL_SECONDS] [RUST_COMPUTE_SECONDS]

Reads the same CSV (person_id,household_id,birth_date,role,annual_income), builds an OpenFisca
simulation (persons in households with roles parent/child/grandparent), calculates
`child_benefit` for the month, and - if the Rust output is given - checks that every household's
amount is identical and prints the speed ratio.

Money is kept exact: incomes and amounts are integers, and the 10 %/12 reduction is computed as
floor((120 * amount - excess) / 120), which is what the Rust rule computes with decimals.
"""

import resource
import sys
import time

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.model_api import ETERNITY, MONTH, Variable, date
from openfisca_core.parameters import ParameterNode
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

Person = build_entity(key="person", plural="persons", label="Person", is_person=True)
Household = build_entity(
    key="household",
    plural="households",
    label="Household",
    roles=[
        {"key": "parent", "plural": "parents", "label": "Parent"},
        {"key": "child", "plural": "children", "label": "Child"},
        {"key": "grandparent", "plural": "grandparents", "label": "Grandparent"},
    ],
)


class birth_date(Variable):
    value_type = date
    entity = Person
    definition_period = ETERNITY
    label = "Date of birth (Folkeregisteret)"


class annual_income(Variable):
    value_type = int
    entity = Person
    definition_period = ETERNITY
    label = "Annual income (A-ordningen)"


class age_first_of_month(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Age in whole years on the first day of the month"

    def formula(person, period, parameters):
        born = person("birth_date", period)
        start = np.datetime64(str(period.start), "D")
        sy = start.astype("datetime64[Y]").astype(int) + 1970
        sm = start.astype("datetime64[M]").astype(int) % 12 + 1
        sd = (start - start.astype("datetime64[M]")).astype(int) + 1
        by = born.astype("datetime64[Y]").astype(int) + 1970
        bm = born.astype("datetime64[M]").astype(int) % 12 + 1
        bd = (born - born.astype("datetime64[M]")).astype(int) + 1
        before_birthday = (sm < bm) | ((sm == bm) & (sd < bd))
        return sy - by - before_birthday


class is_child(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "barnetrygdloven § 2"

    def formula(person, period, parameters):
        return person.has_role(Household.CHILD) * (person("age_first_of_month", period) < 18)


class number_of_children(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        return household.sum(household.members("is_child", period))


class base_amount(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        rate = parameters(period).child_benefit.amount_per_child
        return household("number_of_children", period) * int(round(float(rate)))


class large_family_supplement(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        p = parameters(period).child_benefit.supplement
        n = household("number_of_children", period)
        return np.select([n >= 5, n >= 3], [int(p.five_or_more), int(p.three_or_four)], 0)


class parental_income(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):
        return household.sum(household.members("annual_income", period), role=Household.PARENT)


class child_benefit(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "barnetrygdloven § 10, § 10 a, § 10 b (invented)"

    def formula(household, period, parameters):
        p = parameters(period).child_benefit.means_test
        total = (household("base_amount", period) + household("large_family_supplement", period)).astype(np.int64)
        income = household("parental_income", period).astype(np.int64)
        excess = np.maximum(0, income - int(p.threshold))
        divisor = int(round(12 / float(p.rate)))  # 10 % / 12 -> 1/120, exact in integers
        return np.maximum(0, (divisor * total - excess) // divisor)


PARAMETERS = {
    "child_benefit": {
        "amount_per_child": {"values": {"2000-01-01": 1510, "2024-09-01": 1766}},
        "supplement": {
            "three_or_four": {"values": {"2000-01-01": 500}},
            "five_or_more": {"values": {"2000-01-01": 1200}},
        },
        "means_test": {
            "threshold": {"values": {"2000-01-01": 1200000}},
            "rate": {"values": {"2000-01-01": 0.1}},
        },
    }
}


class ChildBenefitSystem(TaxBenefitSystem):
    def __init__(self):
        super().__init__([Person, Household])
        for v in [birth_date, annual_income, age_first_of_month, is_child, number_of_children,
                  base_amount, large_family_supplement, parental_income, child_benefit]:
            self.add_variable(v)
        self.parameters = ParameterNode("", data=PARAMETERS)


def main():
    csv_path, period = sys.argv[1], sys.argv[2]
    rust_out = sys.argv[3] if len(sys.argv) > 3 else None
    rust_total = float(sys.argv[4]) if len(sys.argv) > 4 else None
    rust_compute = float(sys.argv[5]) if len(sys.argv) > 5 else None

    tbs = ChildBenefitSystem()

    t0 = time.perf_counter()
    try:  # pandas' C parser is OpenFisca users' usual, and fastest, way in
        import pandas as pd

        df = pd.read_csv(csv_path, dtype={"person_id": str, "household_id": str, "birth_date": str,
                                          "role": str, "annual_income": np.int64})
        person_ids = df["person_id"].to_numpy(dtype=str)
        hh_of_person = df["household_id"].to_numpy(dtype=str)
        births = pd.to_datetime(df["birth_date"], format="%Y-%m-%d").to_numpy().astype("datetime64[D]")
        roles = df["role"].to_numpy(dtype=str)
        incomes = df["annual_income"].to_numpy()
        loader = f"pandas {pd.__version__} read_csv"
        hh_ids = np.sort(pd.unique(df["household_id"]).astype(str))
    except ImportError:
        data = np.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=str)
        person_ids = data[:, 0]
        hh_of_person = data[:, 1]
        births = data[:, 2].astype("datetime64[D]")
        roles = data[:, 3]
        incomes = data[:, 4].astype(np.int64)
        loader = "numpy loadtxt"
        hh_ids = np.unique(hh_of_person)
    t_load = time.perf_counter() - t0

    t1 = time.perf_counter()
    sb = SimulationBuilder()
    sb.create_entities(tbs)
    sb.declare_person_entity("person", person_ids)
    households = sb.declare_entity("household", hh_ids)
    sb.join_with_persons(households, hh_of_person, roles)
    sim = sb.build(tbs)
    sim.set_input("birth_date", "eternity", births)
    sim.set_input("annual_income", "eternity", incomes.astype(np.int32))
    amounts = sim.calculate("child_benefit", period)
    t_compute = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"OpenFisca-Core child benefit, period {period}")
    print(f"  households     {len(hh_ids)}")
    print(f"  persons        {len(person_ids)}")
    print(f"  load (parse)   {t_load:.3f} s  ({loader})")
    print(f"  compute        {t_compute:.3f} s  (simulation build + calculate)")
    print(f"  total          {t_load + t_compute:.3f} s")
    print(f"  peak RSS       {peak_mb:.0f} MB")
    print(f"  sum of amounts {int(amounts.astype(np.int64).sum())} NOK")

    if rust_out:
        rust = np.loadtxt(rust_out, delimiter=",", skiprows=1, dtype=str)
        rust_map = dict(zip(rust[:, 0], rust[:, 1]))
        mismatches = 0
        for hid, amount in zip(hh_ids, amounts):
            if rust_map.get(hid) != str(int(amount)):
                mismatches += 1
                if mismatches <= 5:
                    print(f"  MISMATCH {hid}: openfisca {int(amount)}, rust {rust_map.get(hid)}")
        same = mismatches == 0 and len(rust_map) == len(hh_ids)
        print(f"  outputs identical to Rust: {'yes' if same else 'NO'} ({mismatches} mismatches, {len(rust_map)} vs {len(hh_ids)} households)")
        if rust_total:
            print(f"  speed-up Rust vs OpenFisca, total (load+compute): {(t_load + t_compute) / rust_total:.1f}x")
        if rust_compute:
            print(f"  speed-up Rust vs OpenFisca, compute only: {t_compute / rust_compute:.1f}x")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
